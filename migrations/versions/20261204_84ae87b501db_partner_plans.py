"""Keep partners' annual plans with their activities, history and quarterly updates, and master trainers with their
programmes, the modules they may teach and those that name them as experts

Revision ID: 84ae87b501db
Revises: 5a7c3e91d2b4
Create Date: 2026-12-04 02:56:57.883223

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '84ae87b501db'
down_revision = '5a7c3e91d2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'resubmitted', 'approved', name='planstate', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'returned', 'resubmitted', 'approved')", name=op.f('ck_annual_plans_state')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_annual_plans_year_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_annual_plans_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_annual_plans_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_plans')),
    sa.UniqueConstraint('organisation_id', 'year', name='one_plan_per_year'),
    sa.UniqueConstraint('reference', name=op.f('uq_annual_plans_reference'))
    )
    with op.batch_alter_table('annual_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_plans_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_plans_state'), ['state'], unique=False)

    op.create_table('master_trainers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_master_trainers_named')),
    sa.CheckConstraint('mobile IS NULL OR length(mobile) = 10', name=op.f('ck_master_trainers_mobile_digits')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_master_trainers_district_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_master_trainers_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_master_trainers'))
    )
    with op.batch_alter_table('master_trainers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_master_trainers_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_master_trainers_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('master_trainer_modules',
    sa.Column('master_trainer_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['master_trainer_id'], ['master_trainers.id'], name=op.f('fk_master_trainer_modules_master_trainer_id_master_trainers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_master_trainer_modules_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('master_trainer_id', 'module_id', name=op.f('pk_master_trainer_modules'))
    )
    with op.batch_alter_table('master_trainer_modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_master_trainer_modules_module_id'), ['module_id'], unique=False)

    op.create_table('master_trainer_programmes',
    sa.Column('master_trainer_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['master_trainer_id'], ['master_trainers.id'], name=op.f('fk_master_trainer_programmes_master_trainer_id_master_trainers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_master_trainer_programmes_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('master_trainer_id', 'programme_id', name=op.f('pk_master_trainer_programmes'))
    )
    with op.batch_alter_table('master_trainer_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_master_trainer_programmes_programme_id'), ['programme_id'], unique=False)

    op.create_table('module_experts',
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('master_trainer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['master_trainer_id'], ['master_trainers.id'], name=op.f('fk_module_experts_master_trainer_id_master_trainers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_module_experts_module_id_modules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('module_id', 'master_trainer_id', name=op.f('pk_module_experts'))
    )
    with op.batch_alter_table('module_experts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_experts_master_trainer_id'), ['master_trainer_id'], unique=False)

    op.create_table('plan_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Enum('national', 'state', 'district', 'block', name='activitylevel', native_enum=False, length=20), nullable=False),
    sa.Column('planned_from', sa.Date(), nullable=False),
    sa.Column('planned_to', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.CheckConstraint("level IN ('national', 'state', 'district', 'block')", name=op.f('ck_plan_activities_level')),
    sa.CheckConstraint("theme IN ('water', 'sanitation', 'health', 'nutrition', 'livelihoods', 'gender', 'education', 'governance', 'climate', 'other')", name=op.f('ck_plan_activities_theme')),
    sa.CheckConstraint("title <> ''", name=op.f('ck_plan_activities_titled')),
    sa.CheckConstraint('participants BETWEEN 0 AND 10000000', name=op.f('ck_plan_activities_participants_range')),
    sa.CheckConstraint('planned_to >= planned_from', name=op.f('ck_plan_activities_ends_after_start')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plans.id'], name=op.f('fk_plan_activities_plan_id_annual_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activities'))
    )
    with op.batch_alter_table('plan_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activities_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'returned', 'resubmitted', 'approved', name='planstate', native_enum=False, length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('by_partner', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'returned', 'resubmitted', 'approved')", name=op.f('ck_plan_events_state')),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_plan_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plans.id'], name=op.f('fk_plan_events_plan_id_annual_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_events'))
    )
    with op.batch_alter_table('plan_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_events_plan_id'), ['plan_id'], unique=False)

    op.create_table('quarterly_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('by_partner', sa.Boolean(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_quarterly_updates_quarter_range')),
    sa.ForeignKeyConstraint(['plan_id'], ['annual_plans.id'], name=op.f('fk_quarterly_updates_plan_id_annual_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_quarterly_updates_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarterly_updates')),
    sa.UniqueConstraint('plan_id', 'quarter', name='one_update_per_quarter')
    )
    with op.batch_alter_table('quarterly_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarterly_updates_plan_id'), ['plan_id'], unique=False)

    op.create_table('activity_progress',
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('done', 'partly', 'not_started', name='progress', native_enum=False, length=20), nullable=False),
    sa.Column('reached', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.CheckConstraint("status IN ('done', 'partly', 'not_started')", name=op.f('ck_activity_progress_status')),
    sa.CheckConstraint('reached BETWEEN 0 AND 10000000', name=op.f('ck_activity_progress_reached_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activities.id'], name=op.f('fk_activity_progress_activity_id_plan_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['quarterly_updates.id'], name=op.f('fk_activity_progress_update_id_quarterly_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('update_id', 'activity_id', name=op.f('pk_activity_progress'))
    )
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_progress_activity_id'), ['activity_id'], unique=False)

    op.create_table('plan_activity_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(district_id IS NULL) <> (block_id IS NULL)', name=op.f('ck_plan_activity_areas_one_level')),
    sa.ForeignKeyConstraint(['activity_id'], ['plan_activities.id'], name=op.f('fk_plan_activity_areas_activity_id_plan_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_plan_activity_areas_block_id_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_activity_areas_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_activity_areas'))
    )
    with op.batch_alter_table('plan_activity_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_activity_areas_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_activity_areas_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_activity_areas_district_id'), ['district_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_activity_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activity_areas_district_id'))
        batch_op.drop_index(batch_op.f('ix_plan_activity_areas_block_id'))
        batch_op.drop_index(batch_op.f('ix_plan_activity_areas_activity_id'))

    op.drop_table('plan_activity_areas')
    with op.batch_alter_table('activity_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_progress_activity_id'))

    op.drop_table('activity_progress')
    with op.batch_alter_table('quarterly_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarterly_updates_plan_id'))

    op.drop_table('quarterly_updates')
    with op.batch_alter_table('plan_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_events_plan_id'))

    op.drop_table('plan_events')
    with op.batch_alter_table('plan_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_activities_plan_id'))

    op.drop_table('plan_activities')
    with op.batch_alter_table('module_experts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_experts_master_trainer_id'))

    op.drop_table('module_experts')
    with op.batch_alter_table('master_trainer_programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_master_trainer_programmes_programme_id'))

    op.drop_table('master_trainer_programmes')
    with op.batch_alter_table('master_trainer_modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_master_trainer_modules_module_id'))

    op.drop_table('master_trainer_modules')
    with op.batch_alter_table('master_trainers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_master_trainers_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_master_trainers_district_id'))

    op.drop_table('master_trainers')
    with op.batch_alter_table('annual_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_plans_state'))
        batch_op.drop_index(batch_op.f('ix_annual_plans_organisation_id'))

    op.drop_table('annual_plans')
