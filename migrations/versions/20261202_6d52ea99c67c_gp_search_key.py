"""Give each gram panchayat a spelling-blind key of its names, so that a name typed in Latin letters finds it

Revision ID: 6d52ea99c67c
Revises: 0124afa83a8e
Create Date: 2026-12-02 12:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d52ea99c67c'
down_revision = '0124afa83a8e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('gram_panchayats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=250), server_default='', nullable=False))
    # The keys of the places already there, as the hierarchy import makes them for new ones.
    from trainer.regions.names import place_key

    connection = op.get_bind()
    table = sa.table('gram_panchayats', sa.column('id', sa.Integer), sa.column('name_hi', sa.String),
                     sa.column('name_en', sa.String), sa.column('search_key', sa.String))
    rows = connection.execute(sa.select(table.c.id, table.c.name_hi, table.c.name_en)).all()
    keys = [{"key_id": row.id, "key": place_key(row.name_hi, row.name_en)} for row in rows]
    if keys:
        connection.execute(table.update().where(table.c.id == sa.bindparam("key_id"))
                           .values(search_key=sa.bindparam("key")), keys)


def downgrade():
    with op.batch_alter_table('gram_panchayats', schema=None) as batch_op:
        batch_op.drop_column('search_key')
