"""Certificates of partner organisations: a certificate's organisation, a batch's audience and how far it went

Revision ID: 3f1c0a7d2b9e
Revises: 6a45f4d978f2
Create Date: 2026-12-04 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c0a7d2b9e'
down_revision = '6a45f4d978f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificates_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificates_organisation_id_organisations'), 'organisations',
                                    ['organisation_id'], ['id'])

    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.Enum('gram_panchayats', 'partners', name='audience',
                                                          native_enum=False, length=20),
                                      server_default='gram_panchayats', nullable=False))
        batch_op.add_column(sa.Column('last_organisation_id', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_column('last_organisation_id')
        batch_op.drop_column('audience')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificates_organisation_id'))
        batch_op.drop_column('organisation_id')
