"""Partners of programmes: whom a programme reaches, its partner organisations, their access codes and attendance

Revision ID: 6a45f4d978f2
Revises: 84ae87b501db
Create Date: 2026-12-04 02:52:56.866889

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a45f4d978f2'
down_revision = '84ae87b501db'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_partners',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_programme_partners_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_programme_partners_call_id_calls'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_partners_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_partners_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'organisation_id', name=op.f('pk_programme_partners'))
    )
    with op.batch_alter_table('programme_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_partners_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_partners_organisation_id'), ['organisation_id'], unique=False)

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reaches', sa.Enum('gram_panchayats', 'partners', 'both', name='reach', native_enum=False, length=20), server_default='gram_panchayats', nullable=False))

    op.create_table('organisation_access_code_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_organisation_access_code_issues_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_access_code_issues_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_access_code_issues'))
    )
    with op.batch_alter_table('organisation_access_code_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_access_code_issues_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_access_codes',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=128), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_organisation_access_codes_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_access_codes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisation_access_codes'))
    )

    op.create_table('organisation_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('first_marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('count_sarpanch', sa.Integer(), nullable=True),
    sa.Column('count_secretary', sa.Integer(), nullable=True),
    sa.Column('count_ward_member', sa.Integer(), nullable=True),
    sa.Column('count_shg_member', sa.Integer(), nullable=True),
    sa.Column('count_other', sa.Integer(), nullable=True),
    sa.Column('mode', sa.Enum('youtube', 'webcast', 'video_conference', 'block_office', name='watchmode', native_enum=False, length=20), nullable=True),
    sa.Column('source', sa.Enum('poster', 'live', 'checklist', 'upload', 'command', 'sms', name='marksource', native_enum=False, length=20), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('participants BETWEEN 1 AND 500 AND (count_sarpanch IS NULL OR count_sarpanch BETWEEN 0 AND 500) AND (count_secretary IS NULL OR count_secretary BETWEEN 0 AND 500) AND (count_ward_member IS NULL OR count_ward_member BETWEEN 0 AND 500) AND (count_shg_member IS NULL OR count_shg_member BETWEEN 0 AND 500) AND (count_other IS NULL OR count_other BETWEEN 0 AND 500)', name=op.f('ck_organisation_attendances_counts_in_range')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_organisation_attendances_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_attendances_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_organisation_attendances_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_attendances')),
    sa.UniqueConstraint('session_id', 'organisation_id', name=op.f('uq_organisation_attendances_session_id_organisation_id'))
    )
    with op.batch_alter_table('organisation_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_attendances_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_attendance_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attendance_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mark_key', sa.String(length=36), nullable=True),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('count_sarpanch', sa.Integer(), nullable=True),
    sa.Column('count_secretary', sa.Integer(), nullable=True),
    sa.Column('count_ward_member', sa.Integer(), nullable=True),
    sa.Column('count_shg_member', sa.Integer(), nullable=True),
    sa.Column('count_other', sa.Integer(), nullable=True),
    sa.Column('mode', sa.Enum('youtube', 'webcast', 'video_conference', 'block_office', name='watchmode', native_enum=False, length=20), nullable=True),
    sa.Column('source', sa.Enum('poster', 'live', 'checklist', 'upload', 'command', 'sms', name='marksource', native_enum=False, length=20), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attendance_id'], ['organisation_attendances.id'], name=op.f('fk_organisation_attendance_revisions_attendance_id_organisation_attendances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_organisation_attendance_revisions_marked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_attendance_revisions')),
    sa.UniqueConstraint('attendance_id', 'revision', name=op.f('uq_organisation_attendance_revisions_attendance_id_revision')),
    sa.UniqueConstraint('mark_key', name=op.f('uq_organisation_attendance_revisions_mark_key'))
    )


def downgrade():
    op.drop_table('organisation_attendance_revisions')
    with op.batch_alter_table('organisation_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_attendances_organisation_id'))

    op.drop_table('organisation_attendances')

    op.drop_table('organisation_access_codes')
    with op.batch_alter_table('organisation_access_code_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_access_code_issues_organisation_id'))

    op.drop_table('organisation_access_code_issues')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('reaches')

    with op.batch_alter_table('programme_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_partners_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_programme_partners_call_id'))

    op.drop_table('programme_partners')
