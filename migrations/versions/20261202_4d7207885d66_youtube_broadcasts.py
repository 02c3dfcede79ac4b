"""Keep each session's YouTube broadcast in a table of its own, with what it owes derived, not stored

Revision ID: 4d7207885d66
Revises: 7ba028752843
Create Date: 2026-12-02 07:57:39.092956

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d7207885d66'
down_revision = '7ba028752843'
branch_labels = None
depends_on = None

OLD_COLUMNS = ('youtube_broadcast_id', 'youtube_action', 'youtube_error', 'youtube_attempts', 'youtube_retry_at',
               'youtube_claimed_until', 'youtube_views', 'youtube_peak_viewers', 'youtube_stats_at')


def upgrade():
    op.create_table('youtube_broadcasts',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('broadcast_id', sa.String(length=64), nullable=True),
    sa.Column('synced_sequence', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=40), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('views', sa.Integer(), nullable=True),
    sa.Column('peak_viewers', sa.Integer(), nullable=True),
    sa.Column('stats_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_youtube_broadcasts_session_id_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_youtube_broadcasts'))
    )
    # A broadcast whose session owed nothing was in step with the session's sequence; one still owed work
    # (youtube_action set) is not, so the next sweep brings it in line.
    op.execute(
        "INSERT INTO youtube_broadcasts (session_id, broadcast_id, synced_sequence, error, attempts, retry_at, "
        "views, peak_viewers, stats_at) "
        "SELECT id, youtube_broadcast_id, CASE WHEN youtube_action IS NULL AND youtube_broadcast_id IS NOT NULL "
        "THEN sequence END, youtube_error, youtube_attempts, youtube_retry_at, youtube_views, "
        "youtube_peak_viewers, youtube_stats_at FROM training_sessions "
        "WHERE youtube_broadcast_id IS NOT NULL OR youtube_error IS NOT NULL OR youtube_views IS NOT NULL")
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        for column in OLD_COLUMNS:
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('youtube_broadcast_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('youtube_action', sa.Enum('save', 'delete', name='youtubeaction', native_enum=False, length=20), nullable=True))
        batch_op.add_column(sa.Column('youtube_error', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('youtube_attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('youtube_retry_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('youtube_claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('youtube_views', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('youtube_peak_viewers', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('youtube_stats_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE training_sessions SET youtube_broadcast_id = b.broadcast_id, youtube_error = b.error, "
        "youtube_attempts = b.attempts, youtube_retry_at = b.retry_at, youtube_views = b.views, "
        "youtube_peak_viewers = b.peak_viewers, youtube_stats_at = b.stats_at, youtube_action = CASE WHEN "
        "b.synced_sequence IS NULL OR b.synced_sequence <> training_sessions.sequence THEN 'save' END "
        "FROM youtube_broadcasts AS b WHERE b.session_id = training_sessions.id")
    op.drop_table('youtube_broadcasts')
