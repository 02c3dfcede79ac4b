"""Keep each browser's sign-in on the server (user_logins), in place of one session token per user

Revision ID: 0124afa83a8e
Revises: 20b1127d1686
Create Date: 2026-12-02 08:03:53.936505

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0124afa83a8e'
down_revision = '20b1127d1686'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_logins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_logins')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_logins_token_hash'))
    )
    with op.batch_alter_table('user_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_logins_user_id'), ['user_id'], unique=False)

    # Every browser signed in before this revision signs in again: their cookies named the old token.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=False, server_default=''))

    with op.batch_alter_table('user_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_logins_user_id'))

    op.drop_table('user_logins')
