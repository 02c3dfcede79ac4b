"""Record how an application came in (the public page, paper, e-mail or an imported file) and the day it did

Revision ID: 4c1d2e7a9b30
Revises: cab2999a292a
Create Date: 2026-12-04 03:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c1d2e7a9b30'
down_revision = 'cab2999a292a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('online', 'paper', 'email', 'file', name='applicationchannel', native_enum=False, length=20), nullable=False, server_default='online'))
        batch_op.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint('channel', "channel IN ('online', 'paper', 'email', 'file')")
        batch_op.create_check_constraint('received_on_given', "channel = 'online' OR received_on IS NOT NULL")

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.alter_column('channel', server_default=None)


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_applications_received_on_given'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_applications_channel'), type_='check')
        batch_op.drop_column('received_on')
        batch_op.drop_column('channel')
