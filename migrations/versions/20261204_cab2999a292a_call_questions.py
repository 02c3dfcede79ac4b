"""Ask each call's applicants its own questions of every kind, and keep their answers with the application

Revision ID: cab2999a292a
Revises: 1251298beafe
Create Date: 2026-12-04 03:00:08.640899

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cab2999a292a'
down_revision = '1251298beafe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('rating', 'single', 'multiple', 'short_text', 'long_text', name='questionkind', native_enum=False, length=20), nullable=False),
    sa.Column('text_hi', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_questions_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_questions')),
    sa.UniqueConstraint('call_id', 'position', name=op.f('uq_call_questions_call_id_position'))
    )
    with op.batch_alter_table('call_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_questions_call_id'), ['call_id'], unique=False)

    op.create_table('application_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('option_key', sa.String(length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.CheckConstraint('CASE WHEN rating IS NULL THEN 0 ELSE 1 END + CASE WHEN option_key IS NULL THEN 0 ELSE 1 END + CASE WHEN text IS NULL THEN 0 ELSE 1 END = 1', name=op.f('ck_application_answers_one_value')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_application_answers_rating_1_to_5')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_answers_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['call_questions.id'], name=op.f('fk_application_answers_question_id_call_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_answers'))
    )
    with op.batch_alter_table('application_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_answers_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_answers_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('application_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_answers_question_id'))
        batch_op.drop_index(batch_op.f('ix_application_answers_application_id'))

    op.drop_table('application_answers')
    with op.batch_alter_table('call_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_questions_call_id'))

    op.drop_table('call_questions')
