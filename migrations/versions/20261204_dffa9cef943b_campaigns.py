"""Campaigns: their phases, offices and programmes, indicators with targets by place and phase, and values reported by place and period with their history

Revision ID: dffa9cef943b
Revises: 3f1c0a7d2b9e
Create Date: 2026-12-04 19:12:12.015859

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dffa9cef943b'
down_revision = '3f1c0a7d2b9e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_hi', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_hi', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('period_kind', sa.Enum('week', 'month', 'phase', name='periodkind', native_enum=False, length=20), nullable=False),
    sa.Column('approval', sa.Enum('none', 'district', 'district_then_state', name='approval', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("approval IN ('none', 'district', 'district_then_state')", name=op.f('ck_campaigns_approval')),
    sa.CheckConstraint("period_kind IN ('week', 'month', 'phase')", name=op.f('ck_campaigns_period_kind')),
    sa.CheckConstraint("title_hi <> '' OR title_en <> ''", name=op.f('ck_campaigns_titled')),
    sa.CheckConstraint('(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1', name=op.f('ck_campaigns_one_area')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_campaigns_ends_after_start')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_campaigns_block_id_blocks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_campaigns_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_campaigns_district_id_districts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['division_id'], ['divisions.id'], name=op.f('fk_campaigns_division_id_divisions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaigns_division_id'), ['division_id'], unique=False)

    op.create_table('campaign_offices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('responsibilities', sa.Text(), nullable=False),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_campaign_offices_named')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_offices_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_offices'))
    )
    with op.batch_alter_table('campaign_offices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_offices_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_phases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_campaign_phases_named')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_campaign_phases_ends_after_start')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_phases_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_phases')),
    sa.UniqueConstraint('campaign_id', 'position', name=op.f('uq_campaign_phases_campaign_id_position'))
    )
    op.create_table('campaign_programmes',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_programmes_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_campaign_programmes_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'programme_id', name=op.f('pk_campaign_programmes'))
    )
    with op.batch_alter_table('campaign_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_programmes_programme_id'), ['programme_id'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('unit_hi', sa.String(length=60), nullable=False),
    sa.Column('unit_en', sa.String(length=60), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('may_exceed_target', sa.Boolean(), nullable=False),
    sa.Column('share_of_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('gp', 'block', 'district', name='level', native_enum=False, length=20), nullable=False),
    sa.Column('source', sa.Enum('reported', 'gps_trained', 'participants', 'feedback_responses', name='source', native_enum=False, length=30), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(source = 'reported') = (programme_id IS NULL)", name=op.f('ck_indicators_programme_of_computed')),
    sa.CheckConstraint("level IN ('gp', 'block', 'district')", name=op.f('ck_indicators_level')),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_indicators_named')),
    sa.CheckConstraint("source IN ('reported', 'gps_trained', 'participants', 'feedback_responses')", name=op.f('ck_indicators_source')),
    sa.CheckConstraint('share_of_id IS NULL OR share_of_id <> id', name=op.f('ck_indicators_not_share_of_itself')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_indicators_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_indicators_programme_id_programmes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['share_of_id'], ['indicators.id'], name=op.f('fk_indicators_share_of_id_indicators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('campaign_id', 'code', name=op.f('uq_indicators_campaign_id_code'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicators_share_of_id'), ['share_of_id'], unique=False)

    op.create_table('indicator_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('(CASE WHEN gram_panchayat_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_indicator_targets_one_place')),
    sa.CheckConstraint('value BETWEEN 0 AND 2147483647', name=op.f('ck_indicator_targets_value_range')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_indicator_targets_block_id_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_indicator_targets_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_indicator_targets_gram_panchayat_id_gram_panchayats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_targets_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['phase_id'], ['campaign_phases.id'], name=op.f('fk_indicator_targets_phase_id_campaign_phases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_targets')),
    sa.UniqueConstraint('indicator_id', 'phase_id', 'block_id', name='uq_indicator_targets_phase_block'),
    sa.UniqueConstraint('indicator_id', 'phase_id', 'district_id', name='uq_indicator_targets_phase_district'),
    sa.UniqueConstraint('indicator_id', 'phase_id', 'gram_panchayat_id', name='uq_indicator_targets_phase_gp')
    )
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_targets_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_targets_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_targets_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_targets_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index('uq_indicator_targets_whole_block', ['indicator_id', 'block_id'], unique=True, sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))
        batch_op.create_index('uq_indicator_targets_whole_district', ['indicator_id', 'district_id'], unique=True, sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))
        batch_op.create_index('uq_indicator_targets_whole_gp', ['indicator_id', 'gram_panchayat_id'], unique=True, sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))

    op.create_table('indicator_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('reported', 'approved_district', 'approved_state', name='valuestate', native_enum=False, length=20), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('reported', 'approved_district', 'approved_state')", name=op.f('ck_indicator_values_state')),
    sa.CheckConstraint('(CASE WHEN gram_panchayat_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_indicator_values_one_place')),
    sa.CheckConstraint('value BETWEEN 0 AND 2147483647', name=op.f('ck_indicator_values_value_range')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_indicator_values_block_id_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_indicator_values_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_indicator_values_gram_panchayat_id_gram_panchayats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_indicator_values_reported_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_values')),
    sa.UniqueConstraint('indicator_id', 'period_start', 'block_id', name='uq_indicator_values_block'),
    sa.UniqueConstraint('indicator_id', 'period_start', 'district_id', name='uq_indicator_values_district'),
    sa.UniqueConstraint('indicator_id', 'period_start', 'gram_panchayat_id', name='uq_indicator_values_gp')
    )
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_values_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_values_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_indicator_values_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)

    op.create_table('indicator_value_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('reported', 'approved_district', 'approved_state', name='valuestate', native_enum=False, length=20), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('reported', 'approved_district', 'approved_state')", name=op.f('ck_indicator_value_revisions_state')),
    sa.CheckConstraint('value BETWEEN 0 AND 2147483647', name=op.f('ck_indicator_value_revisions_value_range')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], name=op.f('fk_indicator_value_revisions_reported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['value_id'], ['indicator_values.id'], name=op.f('fk_indicator_value_revisions_value_id_indicator_values'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value_revisions')),
    sa.UniqueConstraint('value_id', 'revision', name=op.f('uq_indicator_value_revisions_value_id_revision'))
    )


def downgrade():
    op.drop_table('indicator_value_revisions')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_values_gram_panchayat_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_values_district_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_values_block_id'))

    op.drop_table('indicator_values')
    with op.batch_alter_table('indicator_targets', schema=None) as batch_op:
        batch_op.drop_index('uq_indicator_targets_whole_gp', sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))
        batch_op.drop_index('uq_indicator_targets_whole_district', sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))
        batch_op.drop_index('uq_indicator_targets_whole_block', sqlite_where=sa.text('phase_id IS NULL'), postgresql_where=sa.text('phase_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_indicator_targets_phase_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_targets_gram_panchayat_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_targets_district_id'))
        batch_op.drop_index(batch_op.f('ix_indicator_targets_block_id'))

    op.drop_table('indicator_targets')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_share_of_id'))
        batch_op.drop_index(batch_op.f('ix_indicators_programme_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('campaign_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_programmes_programme_id'))

    op.drop_table('campaign_programmes')
    op.drop_table('campaign_phases')
    with op.batch_alter_table('campaign_offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_offices_campaign_id'))

    op.drop_table('campaign_offices')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_division_id'))
        batch_op.drop_index(batch_op.f('ix_campaigns_district_id'))
        batch_op.drop_index(batch_op.f('ix_campaigns_block_id'))

    op.drop_table('campaigns')
