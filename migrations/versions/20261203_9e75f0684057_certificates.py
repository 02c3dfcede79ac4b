"""Certificates of participation and appreciation: designs and their signatories, certificates, the batches that
issue them and the bundles that print them

Revision ID: 9e75f0684057
Revises: 3f1c0a9d7b21
Create Date: 2026-12-03 16:59:33.087239

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e75f0684057'
down_revision = '3f1c0a9d7b21'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('certificate_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('notify', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='workstate', native_enum=False, length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('issued', sa.Integer(), nullable=False),
    sa.Column('already', sa.Integer(), nullable=False),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.Column('last_gp_id', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_certificate_batches_block_id_blocks')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_certificate_batches_district_id_districts')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_certificate_batches_programme_id_programmes')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_certificate_batches_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batches'))
    )
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_batches_programme_id'), ['programme_id'], unique=False)

    op.create_table('certificate_bundles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='workstate', native_enum=False, length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_certificate_bundles_block_id_blocks')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_certificate_bundles_district_id_districts')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_certificate_bundles_programme_id_programmes')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_certificate_bundles_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_bundles'))
    )
    with op.batch_alter_table('certificate_bundles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_bundles_programme_id'), ['programme_id'], unique=False)

    op.create_table('certificate_designs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('participation', 'appreciation', name='certificatekind', native_enum=False, length=20), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('office_hi', sa.String(length=200), nullable=False),
    sa.Column('office_en', sa.String(length=200), nullable=False),
    sa.Column('title_hi', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('body_hi', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('emblem', sa.LargeBinary(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_certificate_designs_programme_id_programmes')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_certificate_designs_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_designs')),
    sa.UniqueConstraint('programme_id', name=op.f('uq_certificate_designs_programme_id'))
    )
    op.create_table('certificate_signatories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('design_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('designation_hi', sa.String(length=200), nullable=False),
    sa.Column('designation_en', sa.String(length=200), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['design_id'], ['certificate_designs.id'], name=op.f('fk_certificate_signatories_design_id_certificate_designs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_signatories')),
    sa.UniqueConstraint('design_id', 'position', name=op.f('uq_certificate_signatories_design_id_position'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=10), nullable=False),
    sa.Column('subject_key', sa.String(length=80), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('participation', 'appreciation', name='certificatekind', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('issued', 'revoked', 'replaced', name='certificatestate', native_enum=False, length=20), nullable=False),
    sa.Column('design_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('recipient_kind', sa.Enum('gram_panchayat', 'person', 'organisation', name='recipientkind', native_enum=False, length=20), nullable=False),
    sa.Column('gram_panchayat_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('recipient_hi', sa.String(length=200), nullable=False),
    sa.Column('recipient_en', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.String(length=400), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_certificates_revision_from_one')),
    sa.ForeignKeyConstraint(['batch_id'], ['certificate_batches.id'], name=op.f('fk_certificates_batch_id_certificate_batches')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_certificates_block_id_blocks')),
    sa.ForeignKeyConstraint(['design_id'], ['certificate_designs.id'], name=op.f('fk_certificates_design_id_certificate_designs')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_certificates_district_id_districts')),
    sa.ForeignKeyConstraint(['gram_panchayat_id'], ['gram_panchayats.id'], name=op.f('fk_certificates_gram_panchayat_id_gram_panchayats')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_certificates_programme_id_programmes')),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_certificates_replaces_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('subject_key', 'revision', name=op.f('uq_certificates_subject_key_revision'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_gram_panchayat_id'), ['gram_panchayat_id'], unique=False)
        batch_op.create_index('ix_certificates_programme_district', ['programme_id', 'district_id'], unique=False)




def downgrade():
    
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_programme_district')
        batch_op.drop_index(batch_op.f('ix_certificates_gram_panchayat_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_district_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_block_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_signatories')
    op.drop_table('certificate_designs')
    with op.batch_alter_table('certificate_bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_bundles_programme_id'))

    op.drop_table('certificate_bundles')
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batches_programme_id'))

    op.drop_table('certificate_batches')

