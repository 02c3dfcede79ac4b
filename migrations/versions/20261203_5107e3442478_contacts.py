"""Keep the contacts of gram panchayats (secretary, sarpanch, others) and officers: mobile, e-mail, language, channels and opt-outs

Revision ID: 5107e3442478
Revises: 6d52ea99c67c
Create Date: 2026-12-03 11:39:41.528257

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5107e3442478'
down_revision = '6d52ea99c67c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('secretary', 'sarpanch', 'other', 'officer', name='contactrole', native_enum=False, length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('language', sa.String(length=2), server_default='hi', nullable=False),
    sa.Column('accepts_sms', sa.Boolean(), nullable=False),
    sa.Column('accepts_whatsapp', sa.Boolean(), nullable=False),
    sa.Column('accepts_email', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opt_out_source', sa.Enum('sms', 'staff', 'whatsapp', name='optoutsource', native_enum=False, length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('secretary', 'sarpanch', 'other', 'officer')", name=op.f('ck_contacts_role')),
    sa.CheckConstraint("opt_out_source IS NULL OR opt_out_source IN ('sms', 'staff', 'whatsapp')", name=op.f('ck_contacts_opt_out_source')),
    sa.CheckConstraint("CASE WHEN user_id IS NULL THEN role <> 'officer' ELSE role = 'officer' END", name=op.f('ck_contacts_role_fits_owner')),
    sa.CheckConstraint("language IN ('hi', 'en')", name=op.f('ck_contacts_language')),
    sa.CheckConstraint('(gram_panchayat_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_contacts_gp_or_user')),
    sa.CheckConstraint('(opted_out_at IS NULL) = (opt_out_source IS NULL)', name=op.f('ck_contacts_opt_out_with_source')),
    sa.CheckConstraint('mobile IS NOT NULL OR email IS NOT NULL', name=op.f('ck_contacts_reachable')),
    sa.CheckConstraint('mobile IS NULL OR length(mobile) = 10', name=op.f('ck_contacts_mobile_digits')),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_contacts_gram_panchayat_id_gram_panchayats'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_contacts_updated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('user_id', name=op.f('uq_contacts_user_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_mobile'), ['mobile'], unique=False)
        batch_op.create_index('uq_contacts_gp_single_role', ['gram_panchayat_id', 'role'], unique=True, sqlite_where=sa.text("role IN ('secretary', 'sarpanch')"), postgresql_where=sa.text("role IN ('secretary', 'sarpanch')"))



def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('uq_contacts_gp_single_role', sqlite_where=sa.text("role IN ('secretary', 'sarpanch')"), postgresql_where=sa.text("role IN ('secretary', 'sarpanch')"))
        batch_op.drop_index(batch_op.f('ix_contacts_mobile'))
        batch_op.drop_index(batch_op.f('ix_contacts_gram_panchayat_id'))
    op.drop_table('contacts')
