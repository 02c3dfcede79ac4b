"""Keep a registry of partner organisations: identifiers, themes, areas of work, contact people and duplicates

Revision ID: 00c92cdc2ac2
Revises: 9e75f0684057
Create Date: 2026-12-03 17:26:50.486532

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '00c92cdc2ac2'
down_revision = '9e75f0684057'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_hi', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('un_agency', 'ngo', 'trust', 'csr_foundation', 'academic', 'government', 'other', name='organisationkind', native_enum=False, length=20), nullable=False),
    sa.Column('darpan_id', sa.String(length=60), nullable=True),
    sa.Column('darpan_key', sa.String(length=60), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('registration_key', sa.String(length=60), nullable=True),
    sa.Column('registering_authority', sa.String(length=200), nullable=False),
    sa.Column('pan', sa.String(length=10), nullable=True),
    sa.Column('name_hi_key', sa.String(length=200), nullable=False),
    sa.Column('name_en_key', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('un_agency', 'ngo', 'trust', 'csr_foundation', 'academic', 'government', 'other')", name=op.f('ck_organisations_kind')),
    sa.CheckConstraint("name_hi <> '' OR name_en <> ''", name=op.f('ck_organisations_named')),
    sa.CheckConstraint('duplicate_of_id IS NULL OR duplicate_of_id <> id', name=op.f('ck_organisations_not_own_duplicate')),
    sa.CheckConstraint('pan IS NULL OR length(pan) = 10', name=op.f('ck_organisations_pan_length')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_organisations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_organisations_district_id_districts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['organisations.id'], name=op.f('fk_organisations_duplicate_of_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_darpan_key'), ['darpan_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_pan'), ['pan'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_registration_key'), ['registration_key'], unique=False)

    op.create_table('organisation_areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('district_id IS NULL OR block_id IS NULL', name=op.f('ck_organisation_areas_one_level')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_organisation_areas_block_id_blocks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_organisation_areas_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_areas_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_areas'))
    )
    with op.batch_alter_table('organisation_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_areas_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_areas_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_areas_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('designation', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=10), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.CheckConstraint('mobile IS NULL OR length(mobile) = 10', name=op.f('ck_organisation_contacts_mobile_digits')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_contacts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_contacts'))
    )
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_contacts_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_themes',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.CheckConstraint("theme IN ('water', 'sanitation', 'health', 'nutrition', 'livelihoods', 'gender', 'education', 'governance', 'climate', 'other')", name=op.f('ck_organisation_themes_theme')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_themes_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'theme', name=op.f('pk_organisation_themes'))
    )
    with op.batch_alter_table('organisation_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_themes_theme'), ['theme'], unique=False)



def downgrade():
    with op.batch_alter_table('organisation_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_themes_theme'))

    op.drop_table('organisation_themes')
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_organisation_id'))

    op.drop_table('organisation_contacts')
    with op.batch_alter_table('organisation_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_areas_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_areas_district_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_areas_block_id'))

    op.drop_table('organisation_areas')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_registration_key'))
        batch_op.drop_index(batch_op.f('ix_organisations_pan'))
        batch_op.drop_index(batch_op.f('ix_organisations_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_organisations_district_id'))
        batch_op.drop_index(batch_op.f('ix_organisations_darpan_key'))

    op.drop_table('organisations')
