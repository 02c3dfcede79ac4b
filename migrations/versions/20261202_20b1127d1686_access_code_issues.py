"""Keep a record of every access code issued: which gram panchayat, when, by whom, alone or with its block

Revision ID: 20b1127d1686
Revises: 4d7207885d66
Create Date: 2026-12-02 07:54:32.790762

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20b1127d1686'
down_revision = '4d7207885d66'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_code_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('whole_block', sa.Boolean(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_access_code_issues_gram_panchayat_id_gram_panchayats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_access_code_issues_issued_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_code_issues'))
    )
    with op.batch_alter_table('access_code_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_code_issues_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)
    # The codes issued before this record existed: their latest issue is known, the earlier ones are not.
    op.execute("INSERT INTO access_code_issues (gram_panchayat_id, version, whole_block, issued_at, issued_by_id) "
               "SELECT gram_panchayat_id, version, false, issued_at, issued_by_id FROM gp_access_codes")


def downgrade():
    with op.batch_alter_table('access_code_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_code_issues_gram_panchayat_id'))

    op.drop_table('access_code_issues')
