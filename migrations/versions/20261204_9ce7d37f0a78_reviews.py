"""Screen applications: the reviewers of a call, their conflicts of interest, the applications given to each and their scores per criterion

Revision ID: 9ce7d37f0a78
Revises: 4c1d2e7a9b30
Create Date: 2026-12-04 02:52:04.045614

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9ce7d37f0a78'
down_revision = '4c1d2e7a9b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_reviewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('named_by_id', sa.Integer(), nullable=True),
    sa.Column('named_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_reviewers_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['named_by_id'], ['users.id'], name=op.f('fk_call_reviewers_named_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_reviewers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_reviewers')),
    sa.UniqueConstraint('call_id', 'user_id', name='one_reviewer_per_call')
    )
    with op.batch_alter_table('call_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_reviewers_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_reviewers_user_id'), ['user_id'], unique=False)

    op.create_table('review_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_review_conflicts_reasoned')),
    sa.CheckConstraint('(organisation_id IS NULL) <> (application_id IS NULL)', name=op.f('ck_review_conflicts_one_party')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_review_conflicts_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_review_conflicts_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_review_conflicts_declared_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_review_conflicts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_conflicts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_conflicts'))
    )
    with op.batch_alter_table('review_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_conflicts_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_conflicts_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_conflicts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_conflicts_user_id'), ['user_id'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recommendation', sa.Enum('select', 'maybe', 'reject', name='recommendation', native_enum=False, length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("recommendation IS NULL OR recommendation IN ('select', 'maybe', 'reject')", name=op.f('ck_reviews_recommendation')),
    sa.CheckConstraint('reviewed_at IS NULL OR recommendation IS NOT NULL', name=op.f('ck_reviews_reviewed_with_recommendation')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_reviews_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_reviews_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reviews_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('application_id', 'user_id', name='one_review_per_reviewer')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_user_id'), ['user_id'], unique=False)

    op.create_table('review_scores',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score BETWEEN 0 AND 100', name=op.f('ck_review_scores_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['call_criteria.id'], name=op.f('fk_review_scores_criterion_id_call_criteria'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_scores_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', 'criterion_id', name=op.f('pk_review_scores'))
    )
    with op.batch_alter_table('review_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_scores_criterion_id'), ['criterion_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_scores_criterion_id'))

    op.drop_table('review_scores')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_user_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_application_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('review_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_conflicts_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_conflicts_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_review_conflicts_call_id'))
        batch_op.drop_index(batch_op.f('ix_review_conflicts_application_id'))

    op.drop_table('review_conflicts')
    with op.batch_alter_table('call_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_reviewers_user_id'))
        batch_op.drop_index(batch_op.f('ix_call_reviewers_call_id'))

    op.drop_table('call_reviewers')
