"""Take applications to calls: the organisation's details, themes, state, reference and hashed code, and the PDFs sent

Revision ID: 1251298beafe
Revises: 96385b0018ea
Create Date: 2026-12-03 18:08:42.474943

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1251298beafe'
down_revision = '96385b0018ea'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('draft', 'submitted', 'in_screening', 'more_information', 'shortlisted', 'selected', 'not_selected', 'withdrawn', 'duplicate', name='applicationstate', native_enum=False, length=20), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('un_agency', 'ngo', 'trust', 'csr_foundation', 'academic', 'government', 'other', name='organisationkind', native_enum=False, length=20), nullable=False),
    sa.Column('darpan_id', sa.String(length=60), nullable=True),
    sa.Column('pan', sa.String(length=10), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_mobile', sa.String(length=10), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('un_agency', 'ngo', 'trust', 'csr_foundation', 'academic', 'government', 'other')", name=op.f('ck_applications_kind')),
    sa.CheckConstraint('contact_mobile IS NULL OR length(contact_mobile) = 10', name=op.f('ck_applications_mobile_digits')),
    sa.CheckConstraint('duplicate_of_id IS NULL OR duplicate_of_id <> id', name=op.f('ck_applications_not_own_duplicate')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_applications_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_applications_district_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['applications.id'], name=op.f('fk_applications_duplicate_of_id_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_applications_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_applications_organisation_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('call_id', 'number', name='one_number_per_call'),
    sa.UniqueConstraint('reference', name=op.f('uq_applications_reference'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_state'), ['state'], unique=False)

    op.create_table('application_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('call_document_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size = length(content)', name=op.f('ck_application_documents_size_of_content')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_documents_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_document_id'], ['call_documents.id'], name=op.f('fk_application_documents_call_document_id_call_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_documents'))
    )
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_documents_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_documents_call_document_id'), ['call_document_id'], unique=False)

    op.create_table('application_themes',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.CheckConstraint("theme IN ('water', 'sanitation', 'health', 'nutrition', 'livelihoods', 'gender', 'education', 'governance', 'climate', 'other')", name=op.f('ck_application_themes_theme')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_themes_application_id_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'theme', name=op.f('pk_application_themes'))
    )


def downgrade():
    op.drop_table('application_themes')
    with op.batch_alter_table('application_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_documents_call_document_id'))
        batch_op.drop_index(batch_op.f('ix_application_documents_application_id'))

    op.drop_table('application_documents')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_state'))
        batch_op.drop_index(batch_op.f('ix_applications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_applications_district_id'))
        batch_op.drop_index(batch_op.f('ix_applications_call_id'))

    op.drop_table('applications')
