"""Keep when a mark saved on a phone without network was made, and the one-time key of each mark sent

Revision ID: 3f1c0a9d7b21
Revises: d95221be823b
Create Date: 2026-12-03 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c0a9d7b21'
down_revision = 'd95221be823b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('made_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('attendance_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('made_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('mark_key', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_attendance_revisions_mark_key'), ['mark_key'])


def downgrade():
    with op.batch_alter_table('attendance_revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_attendance_revisions_mark_key'), type_='unique')
        batch_op.drop_column('mark_key')
        batch_op.drop_column('made_at')
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_column('made_at')
