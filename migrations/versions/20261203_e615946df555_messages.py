"""Send messages through an outbox: templates as edited, receipts, SMS received, daily counts per channel,
programmes' reminder switches and broadcasts

Revision ID: e615946df555
Revises: 5107e3442478
Create Date: 2026-12-03 11:47:32.128980

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e615946df555'
down_revision = '5107e3442478'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_daily_counts',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'day', name=op.f('pk_message_daily_counts'))
    )
    op.create_table('message_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('session_tomorrow', 'session_starting', 'session_missed', 'feedback_reminder', 'certificate_ready', 'access_code_reissued', 'sms_mark_recorded', 'sms_mark_refused', name='messagekind', native_enum=False, length=30), nullable=False),
    sa.Column('channel', sa.Enum('whatsapp', 'sms', 'email', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('dlt_template_id', sa.String(length=19), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_message_templates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
    sa.UniqueConstraint('kind', 'channel', 'language', name=op.f('uq_message_templates_kind_channel_language'))
    )
    op.create_table('programme_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('day_before', 'starting', 'missed', 'feedback', name='reminderkind', native_enum=False, length=20), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_reminders_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_programme_reminders_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_reminders')),
    sa.UniqueConstraint('programme_id', 'kind', name=op.f('uq_programme_reminders_programme_id_kind'))
    )
    op.create_table('message_broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.Enum('untrained', 'present', 'without_feedback', name='audience', native_enum=False, length=20), nullable=False),
    sa.Column('kind', sa.Enum('session_tomorrow', 'session_starting', 'session_missed', 'feedback_reminder', 'certificate_ready', 'access_code_reissued', 'sms_mark_recorded', 'sms_mark_refused', name='messagekind', native_enum=False, length=30), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('send_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.Enum('scheduled', 'queued', 'cancelled', name='broadcaststate', native_enum=False, length=20), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_message_broadcasts_block_id_blocks')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_message_broadcasts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_message_broadcasts_district_id_districts')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_message_broadcasts_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_message_broadcasts_session_id_training_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_broadcasts'))
    )
    with op.batch_alter_table('message_broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_broadcasts_programme_id'), ['programme_id'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('session_tomorrow', 'session_starting', 'session_missed', 'feedback_reminder', 'certificate_ready', 'access_code_reissued', 'sms_mark_recorded', 'sms_mark_refused', name='messagekind', native_enum=False, length=30), nullable=False),
    sa.Column('channel', sa.Enum('whatsapp', 'sms', 'email', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('broadcast_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('subject_line', sa.String(length=300), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('registration', sa.JSON(), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'sending', 'sent', 'delivered', 'read', 'retrying', 'failed', 'unknown', name='messagestate', native_enum=False, length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('provider_message_id', sa.String(length=120), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resent_by_id', sa.Integer(), nullable=True),
    sa.Column('resent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['resent_by_id'], ['users.id'], name=op.f('fk_outbox_messages_resent_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['broadcast_id'], ['message_broadcasts.id'], name=op.f('fk_outbox_messages_broadcast_id_message_broadcasts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_outbox_messages_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_outbox_messages_gram_panchayat_id_gram_panchayats')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_outbox_messages_programme_id_programmes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_outbox_messages_session_id_training_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_messages_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('channel', 'provider_message_id', name=op.f('uq_outbox_messages_channel_provider_message_id')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_messages_idempotency_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_session_id'), ['session_id'], unique=False)

    op.create_table('inbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_message_id', sa.String(length=120), nullable=False),
    sa.Column('sender', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('reply_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_inbound_sms_gram_panchayat_id_gram_panchayats')),
    sa.ForeignKeyConstraint(['reply_id'], ['outbox_messages.id'], name=op.f('fk_inbound_sms_reply_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['training_sessions.id'], name=op.f('fk_inbound_sms_session_id_training_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_sms')),
    sa.UniqueConstraint('provider_message_id', name=op.f('uq_inbound_sms_provider_message_id'))
    )
    op.create_table('message_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('whatsapp', 'sms', 'email', name='channel', native_enum=False, length=20), nullable=False),
    sa.Column('provider_message_id', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], name=op.f('fk_message_receipts_message_id_outbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_receipts')),
    sa.UniqueConstraint('channel', 'provider_message_id', 'status', name=op.f('uq_message_receipts_channel_provider_message_id_status'))
    )
    with op.batch_alter_table('message_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_receipts_message_id'), ['message_id'], unique=False)



def downgrade():
    with op.batch_alter_table('message_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_receipts_message_id'))

    op.drop_table('message_receipts')
    op.drop_table('inbound_sms')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_session_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_programme_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_gram_panchayat_id'))
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_contact_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_broadcast_id'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('message_broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_broadcasts_programme_id'))

    op.drop_table('message_broadcasts')
    op.drop_table('programme_reminders')
    op.drop_table('message_templates')
    op.drop_table('message_daily_counts')
