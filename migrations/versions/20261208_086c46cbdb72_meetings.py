"""Review meetings: offices and their officers; meeting series, meetings with invitees, agenda, attendance and minutes revisions; directives with their events and action-taken reports

Revision ID: 086c46cbdb72
Revises: fdb406fa2d3c
Create Date: 2026-12-08 00:13:00.216749

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '086c46cbdb72'
down_revision = 'fdb406fa2d3c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_offices_named')),
    sa.CheckConstraint('(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_offices_one_area')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_offices_block_id_blocks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_offices_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_offices_division_id_divisions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offices'))
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offices_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offices_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offices_division_id'), ['division_id'], unique=False)

    op.create_table('office_officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('designation', sa.String(length=120), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_officers_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_office_officers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_officers')),
    sa.UniqueConstraint('office_id', 'user_id', name=op.f('uq_office_officers_office_id_user_id'))
    )
    with op.batch_alter_table('office_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_officers_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_hi', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('chair_office_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("code <> ''", name=op.f('ck_meeting_series_coded')),
    sa.CheckConstraint("title_hi <> '' OR title_en <> ''", name=op.f('ck_meeting_series_titled')),
    sa.CheckConstraint('(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_meeting_series_one_area')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_meeting_series_block_id_blocks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_meeting_series_campaign_id_campaigns'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['chair_office_id'], ['offices.id'], name=op.f('fk_meeting_series_chair_office_id_offices'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meeting_series_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_meeting_series_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_meeting_series_division_id_divisions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_meeting_series_programme_id_programmes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_series')),
    sa.UniqueConstraint('code', name=op.f('uq_meeting_series_code'))
    )
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_chair_office_id'), ['chair_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_series_programme_id'), ['programme_id'], unique=False)

    op.create_table('meeting_series_offices',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_meeting_series_offices_office_id_offices'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['series_id'], ['meeting_series.id'], name=op.f('fk_meeting_series_offices_series_id_meeting_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'office_id', name=op.f('pk_meeting_series_offices'))
    )
    with op.batch_alter_table('meeting_series_offices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_series_offices_office_id'), ['office_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('venue', sa.Text(), nullable=False),
    sa.Column('youtube_url', sa.String(length=300), nullable=False),
    sa.Column('webcast_url', sa.String(length=300), nullable=False),
    sa.Column('meeting_url', sa.String(length=300), nullable=False),
    sa.Column('meeting_details', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('chair_name', sa.String(length=200), nullable=False),
    sa.Column('chair_designation', sa.String(length=120), nullable=False),
    sa.Column('secretary_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'notice_sent', 'held', 'minutes_final', name='meetingstatus', native_enum=False, length=20), nullable=False),
    sa.Column('attendance_token', sa.String(length=32), nullable=False),
    sa.Column('notice_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes_finalised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes_finalised_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(minutes_finalised_at IS NULL) = (status <> 'minutes_final')", name=op.f('ck_meetings_finalised_when_final')),
    sa.CheckConstraint("status IN ('draft', 'notice_sent', 'held', 'minutes_final')", name=op.f('ck_meetings_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meetings_ends_after_start')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_meetings_numbered')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['minutes_finalised_by_id'], ['users.id'], name=op.f('fk_meetings_minutes_finalised_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['secretary_id'], ['users.id'], name=op.f('fk_meetings_secretary_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['meeting_series.id'], name=op.f('fk_meetings_series_id_meeting_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('attendance_token', name=op.f('uq_meetings_attendance_token')),
    sa.UniqueConstraint('series_id', 'number', name=op.f('uq_meetings_series_id_number'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_secretary_id'), ['secretary_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_hi', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('presenting_office_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('normal', 'follow_up', name='agendakind', native_enum=False, length=20), nullable=False),
    sa.CheckConstraint("kind IN ('normal', 'follow_up')", name=op.f('ck_agenda_items_kind')),
    sa.CheckConstraint("title_hi <> '' OR title_en <> ''", name=op.f('ck_agenda_items_titled')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['presenting_office_id'], ['offices.id'], name=op.f('fk_agenda_items_presenting_office_id_offices'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('meeting_id', 'position', name=op.f('uq_agenda_items_meeting_id_position'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_presenting_office_id'), ['presenting_office_id'], unique=False)
        batch_op.create_index('uq_agenda_items_one_follow_up', ['meeting_id'], unique=True, sqlite_where=sa.text("kind = 'follow_up'"), postgresql_where=sa.text("kind = 'follow_up'"))

    op.create_table('meeting_attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('designation', sa.String(length=120), nullable=False),
    sa.Column('office_text', sa.String(length=200), nullable=False),
    sa.Column('how', sa.Enum('qr', 'ticked', name='attendancehow', native_enum=False, length=20), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("how IN ('qr', 'ticked')", name=op.f('ck_meeting_attendances_how')),
    sa.CheckConstraint("user_id IS NOT NULL OR name <> ''", name=op.f('ck_meeting_attendances_someone')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_meeting_attendances_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendances_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_meeting_attendances_office_id_offices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendances')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_meeting_attendances_meeting_id_user_id'))
    )
    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendances_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendances_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_invitees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('designation', sa.String(length=120), nullable=False),
    sa.Column('office_text', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.CheckConstraint("(CASE WHEN office_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN name <> '' THEN 1 ELSE 0 END) = 1", name=op.f('ck_meeting_invitees_one_kind')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_invitees_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_meeting_invitees_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_invitees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_invitees')),
    sa.UniqueConstraint('meeting_id', 'office_id', name=op.f('uq_meeting_invitees_meeting_id_office_id')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_meeting_invitees_meeting_id_user_id'))
    )
    with op.batch_alter_table('meeting_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_invitees_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_invitees_user_id'), ['user_id'], unique=False)

    op.create_table('directives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('text_hi', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('owner_office_id', sa.Integer(), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('priority', sa.Enum('high', 'normal', 'low', name='priority', native_enum=False, length=20), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('target_value', sa.Integer(), nullable=True),
    sa.Column('target_percent', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped', name='directivestatus', native_enum=False, length=20), nullable=False),
    sa.Column('drop_reason', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(status = 'dropped') = (drop_reason <> '')", name=op.f('ck_directives_dropped_with_reason')),
    sa.CheckConstraint("priority IN ('high', 'normal', 'low')", name=op.f('ck_directives_priority')),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped')", name=op.f('ck_directives_status')),
    sa.CheckConstraint("text_hi <> '' OR text_en <> ''", name=op.f('ck_directives_worded')),
    sa.CheckConstraint('(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_directives_one_area')),
    sa.CheckConstraint('target_percent IS NULL OR target_percent BETWEEN 0 AND 100', name=op.f('ck_directives_target_percent_range')),
    sa.CheckConstraint('target_value IS NULL OR target_value BETWEEN 0 AND 2147483647', name=op.f('ck_directives_target_value_range')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_directives_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_directives_block_id_blocks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_directives_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_directives_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_directives_division_id_divisions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_directives_indicator_id_indicators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_directives_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_office_id'], ['offices.id'], name=op.f('fk_directives_owner_office_id_offices'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_directives_owner_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directives')),
    sa.UniqueConstraint('meeting_id', 'number', name=op.f('uq_directives_meeting_id_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_directives_reference'))
    )
    with op.batch_alter_table('directives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directives_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_owner_office_id'), ['owner_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directives_status'), ['status'], unique=False)

    op.create_table('minutes_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('discussion_hi', sa.Text(), nullable=False),
    sa.Column('discussion_en', sa.Text(), nullable=False),
    sa.Column('decisions_hi', sa.Text(), nullable=False),
    sa.Column('decisions_en', sa.Text(), nullable=False),
    sa.Column('correction', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("NOT correction OR reason <> ''", name=op.f('ck_minutes_revisions_correction_has_reason')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_minutes_revisions_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by_id'], ['users.id'], name=op.f('fk_minutes_revisions_written_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revisions')),
    sa.UniqueConstraint('agenda_item_id', 'number', name=op.f('uq_minutes_revisions_agenda_item_id_number'))
    )
    op.create_table('action_taken_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('figures', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('content_type', sa.String(length=40), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("text <> ''", name=op.f('ck_action_taken_reports_worded')),
    sa.CheckConstraint('(content IS NULL) = (content_type IS NULL)', name=op.f('ck_action_taken_reports_typed_content')),
    sa.CheckConstraint('content IS NULL OR size = length(content)', name=op.f('ck_action_taken_reports_size_of_content')),
    sa.CheckConstraint('figures IS NULL OR figures BETWEEN 0 AND 2147483647', name=op.f('ck_action_taken_reports_figures_range')),
    sa.ForeignKeyConstraint(['directive_id'], ['directives.id'], name=op.f('fk_action_taken_reports_directive_id_directives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_action_taken_reports_office_id_offices'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_action_taken_reports_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_taken_reports'))
    )
    with op.batch_alter_table('action_taken_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_taken_reports_directive_id'), ['directive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_taken_reports_office_id'), ['office_id'], unique=False)

    op.create_table('directive_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped', name='directivestatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped', name='directivestatus', native_enum=False, length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('old_due_on', sa.Date(), nullable=True),
    sa.Column('new_due_on', sa.Date(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("from_status IS NULL OR from_status IN ('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped')", name=op.f('ck_directive_events_from_status')),
    sa.CheckConstraint("to_status IN ('open', 'in_progress', 'reported_done', 'verified', 'reopened', 'dropped')", name=op.f('ck_directive_events_to_status')),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_directive_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['directive_id'], ['directives.id'], name=op.f('fk_directive_events_directive_id_directives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_directive_events_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directive_events'))
    )
    with op.batch_alter_table('directive_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directive_events_directive_id'), ['directive_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directive_events_meeting_id'), ['meeting_id'], unique=False)



def downgrade():
    with op.batch_alter_table('directive_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directive_events_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_directive_events_directive_id'))

    op.drop_table('directive_events')
    with op.batch_alter_table('action_taken_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_taken_reports_office_id'))
        batch_op.drop_index(batch_op.f('ix_action_taken_reports_directive_id'))

    op.drop_table('action_taken_reports')
    op.drop_table('minutes_revisions')
    with op.batch_alter_table('directives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directives_status'))
        batch_op.drop_index(batch_op.f('ix_directives_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_directives_owner_office_id'))
        batch_op.drop_index(batch_op.f('ix_directives_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_directives_due_on'))
        batch_op.drop_index(batch_op.f('ix_directives_division_id'))
        batch_op.drop_index(batch_op.f('ix_directives_district_id'))
        batch_op.drop_index(batch_op.f('ix_directives_block_id'))
        batch_op.drop_index(batch_op.f('ix_directives_agenda_item_id'))

    op.drop_table('directives')
    with op.batch_alter_table('meeting_invitees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_user_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_invitees_office_id'))

    op.drop_table('meeting_invitees')
    with op.batch_alter_table('meeting_attendances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendances_user_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendances_office_id'))

    op.drop_table('meeting_attendances')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('uq_agenda_items_one_follow_up', sqlite_where=sa.text("kind = 'follow_up'"), postgresql_where=sa.text("kind = 'follow_up'"))
        batch_op.drop_index(batch_op.f('ix_agenda_items_presenting_office_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_secretary_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('meeting_series_offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_offices_office_id'))

    op.drop_table('meeting_series_offices')
    with op.batch_alter_table('meeting_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_series_programme_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_series_division_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_series_district_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_series_chair_office_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_series_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_series_block_id'))

    op.drop_table('meeting_series')
    with op.batch_alter_table('office_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_officers_user_id'))

    op.drop_table('office_officers')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offices_division_id'))
        batch_op.drop_index(batch_op.f('ix_offices_district_id'))
        batch_op.drop_index(batch_op.f('ix_offices_block_id'))

    op.drop_table('offices')
