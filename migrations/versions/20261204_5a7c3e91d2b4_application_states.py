"""Keep each application's history of states, and the decisions prepared for applications until they are published

Revision ID: 5a7c3e91d2b4
Revises: 9ce7d37f0a78
Create Date: 2026-12-04 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7c3e91d2b4'
down_revision = '9ce7d37f0a78'
branch_labels = None
depends_on = None

STATES = ('draft', 'submitted', 'in_screening', 'more_information', 'shortlisted', 'selected', 'not_selected',
          'withdrawn', 'duplicate')


def upgrade():
    op.create_table('application_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.Enum(*STATES, name='applicationstate', native_enum=False, length=20), nullable=False),
    sa.Column('to_state', sa.Enum(*STATES, name='applicationstate', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('by_applicant', sa.Boolean(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('file_content', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint('from_state <> to_state', name=op.f('ck_application_events_changes_state')),
    sa.CheckConstraint('file_size IS NULL OR file_size = length(file_content)', name=op.f('ck_application_events_size_of_file')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_events_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_application_events_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_events'))
    )
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_events_application_id'), ['application_id'], unique=False)

    op.create_table('application_decisions',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('selected', 'not_selected', name='decisionoutcome', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('prepared_by_id', sa.Integer(), nullable=True),
    sa.Column('prepared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_decisions_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prepared_by_id'], ['users.id'], name=op.f('fk_application_decisions_prepared_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_application_decisions'))
    )
    with op.batch_alter_table('application_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_decisions_published_at'), ['published_at'], unique=False)

    # The applications submitted so far: their submission is the first line of their history.
    op.execute("INSERT INTO application_events (application_id, from_state, to_state, note, by_applicant, by_id, at) "
               "SELECT id, 'draft', state, '', entered_by_id IS NULL, entered_by_id, COALESCE(submitted_at, created_at) "
               "FROM applications WHERE state <> 'draft'")


def downgrade():
    with op.batch_alter_table('application_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_decisions_published_at'))

    op.drop_table('application_decisions')
    with op.batch_alter_table('application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_events_application_id'))

    op.drop_table('application_events')
