"""Open calls for expressions of interest, with their themes, screening criteria and the documents they ask for

Revision ID: 96385b0018ea
Revises: 00c92cdc2ac2
Create Date: 2026-12-03 17:52:49.079942

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96385b0018ea'
down_revision = '00c92cdc2ac2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_hi', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('description_hi', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("title_hi <> '' OR title_en <> ''", name=op.f('ck_calls_titled')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_calls_closes_after_opening')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calls_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    op.create_table('call_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('text_hi', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('max_score', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.CheckConstraint("text_hi <> '' OR text_en <> ''", name=op.f('ck_call_criteria_worded')),
    sa.CheckConstraint('max_score BETWEEN 1 AND 100', name=op.f('ck_call_criteria_max_score_range')),
    sa.CheckConstraint('weight BETWEEN 1 AND 100', name=op.f('ck_call_criteria_weight_range')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_criteria_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_criteria'))
    )
    with op.batch_alter_table('call_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_criteria_call_id'), ['call_id'], unique=False)

    op.create_table('call_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_call_documents_named')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_documents_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_documents'))
    )
    with op.batch_alter_table('call_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_documents_call_id'), ['call_id'], unique=False)

    op.create_table('call_themes',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.CheckConstraint("theme IN ('water', 'sanitation', 'health', 'nutrition', 'livelihoods', 'gender', 'education', 'governance', 'climate', 'other')", name=op.f('ck_call_themes_theme')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_themes_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', 'theme', name=op.f('pk_call_themes'))
    )


def downgrade():
    op.drop_table('call_themes')
    with op.batch_alter_table('call_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_documents_call_id'))

    op.drop_table('call_documents')
    with op.batch_alter_table('call_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_criteria_call_id'))

    op.drop_table('call_criteria')
    op.drop_table('calls')
