"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 03:22:02.356435
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working_day', sa.Boolean(), nullable=False),
    sa.Column('working_day_index', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('returns', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('code', name=op.f('uq_partners_code'))
    )
    op.create_table('periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=12), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periods')),
    sa.UniqueConstraint('label', name=op.f('uq_periods_label'))
    )
    op.create_table('stored_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_files'))
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('return_type', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('submitted_by', sa.String(length=120), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('template_version', sa.String(length=20), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('query_count', sa.Integer(), nullable=False),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_submissions_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_submissions_period_id_periods')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['submissions.id'], name=op.f('fk_submissions_superseded_by_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_lookup', ['period_id', 'partner_id', 'return_type', 'status'], unique=False)

    op.create_table('assurance_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('measure_code', sa.String(length=40), nullable=False),
    sa.Column('numerator', sa.BigInteger(), nullable=True),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.Column('commentary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_assurance_measures_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_assurance_measures_period_id_periods')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_assurance_measures_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assurance_measures'))
    )
    with op.batch_alter_table('assurance_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assurance_measures_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index('ix_assurance_period_partner', ['period_id', 'partner_id', 'measure_code'], unique=False)

    op.create_table('audit_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('audit_ref', sa.String(length=60), nullable=False),
    sa.Column('case_ref', sa.String(length=60), nullable=False),
    sa.Column('audit_date', sa.Date(), nullable=False),
    sa.Column('theme', sa.String(length=120), nullable=True),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('agency_partner_id', sa.Integer(), nullable=True),
    sa.Column('grade_msp', sa.String(length=24), nullable=True),
    sa.Column('grade_risk', sa.String(length=24), nullable=True),
    sa.Column('grade_capacity', sa.String(length=24), nullable=True),
    sa.Column('grade_partnership', sa.String(length=24), nullable=True),
    sa.Column('grade_recording', sa.String(length=24), nullable=True),
    sa.Column('grade_outcome', sa.String(length=24), nullable=True),
    sa.Column('overall_grade', sa.String(length=24), nullable=False),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.Column('action_required', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agency_partner_id'], ['partners.id'], name=op.f('fk_audit_results_agency_partner_id_partners')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_audit_results_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_audit_results_period_id_periods')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_audit_results_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_results'))
    )
    with op.batch_alter_table('audit_results', schema=None) as batch_op:
        batch_op.create_index('ix_audit_period_agency', ['period_id', 'agency_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_results_submission_id'), ['submission_id'], unique=False)

    op.create_table('concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('concern_ref', sa.String(length=60), nullable=False),
    sa.Column('person_id', sa.String(length=60), nullable=False),
    sa.Column('date_received', sa.Date(), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('referral_source', sa.String(length=120), nullable=True),
    sa.Column('age_band', sa.String(length=12), nullable=False),
    sa.Column('gender', sa.String(length=12), nullable=False),
    sa.Column('ethnicity_detailed', sa.String(length=120), nullable=True),
    sa.Column('ethnicity_broad', sa.String(length=120), nullable=False),
    sa.Column('primary_support_reason', sa.String(length=120), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_concerns_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_concerns_period_id_periods')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_concerns_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.create_index('ix_concerns_period_partner', ['period_id', 'partner_id'], unique=False)
        batch_op.create_index('ix_concerns_person', ['partner_id', 'person_id', 'date_received'], unique=False)
        batch_op.create_index('ix_concerns_ref', ['partner_id', 'concern_ref'], unique=False)
        batch_op.create_index('ix_concerns_submission', ['submission_id'], unique=False)

    op.create_table('enquiries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('enquiry_ref', sa.String(length=60), nullable=False),
    sa.Column('concern_ref', sa.String(length=60), nullable=False),
    sa.Column('person_id', sa.String(length=60), nullable=False),
    sa.Column('enquiry_type', sa.String(length=12), nullable=False),
    sa.Column('date_started', sa.Date(), nullable=False),
    sa.Column('date_concluded', sa.Date(), nullable=False),
    sa.Column('risk_assessment_outcome', sa.String(length=120), nullable=True),
    sa.Column('risk_outcome', sa.String(length=120), nullable=True),
    sa.Column('lacked_capacity', sa.String(length=120), nullable=True),
    sa.Column('capacity_support', sa.String(length=4), nullable=True),
    sa.Column('msp_asked', sa.String(length=120), nullable=True),
    sa.Column('msp_achieved', sa.String(length=120), nullable=True),
    sa.Column('felt_safer', sa.String(length=12), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_enquiries_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_enquiries_period_id_periods')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_enquiries_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiries'))
    )
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.create_index('ix_enquiries_concern', ['partner_id', 'concern_ref'], unique=False)
        batch_op.create_index('ix_enquiries_period_partner', ['period_id', 'partner_id'], unique=False)
        batch_op.create_index('ix_enquiries_person', ['partner_id', 'person_id'], unique=False)
        batch_op.create_index('ix_enquiries_submission', ['submission_id'], unique=False)

    op.create_table('validation_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('sheet', sa.String(length=60), nullable=True),
    sa.Column('row', sa.Integer(), nullable=True),
    sa.Column('column', sa.String(length=8), nullable=True),
    sa.Column('field', sa.String(length=80), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_validation_issues_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_validation_issues'))
    )
    with op.batch_alter_table('validation_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_validation_issues_submission_id'), ['submission_id'], unique=False)

    op.create_table('enquiry_risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enquiry_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id'], name=op.f('fk_enquiry_risks_enquiry_id_enquiries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enquiry_risks')),
    sa.UniqueConstraint('enquiry_id', 'dimension', 'category', name='uq_enquiry_risks_item')
    )
    with op.batch_alter_table('enquiry_risks', schema=None) as batch_op:
        batch_op.create_index('ix_enquiry_risks_enquiry', ['enquiry_id', 'dimension'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enquiry_risks', schema=None) as batch_op:
        batch_op.drop_index('ix_enquiry_risks_enquiry')

    op.drop_table('enquiry_risks')
    with op.batch_alter_table('validation_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_validation_issues_submission_id'))

    op.drop_table('validation_issues')
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_index('ix_enquiries_submission')
        batch_op.drop_index('ix_enquiries_person')
        batch_op.drop_index('ix_enquiries_period_partner')
        batch_op.drop_index('ix_enquiries_concern')

    op.drop_table('enquiries')
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index('ix_concerns_submission')
        batch_op.drop_index('ix_concerns_ref')
        batch_op.drop_index('ix_concerns_person')
        batch_op.drop_index('ix_concerns_period_partner')

    op.drop_table('concerns')
    with op.batch_alter_table('audit_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_results_submission_id'))
        batch_op.drop_index('ix_audit_period_agency')

    op.drop_table('audit_results')
    with op.batch_alter_table('assurance_measures', schema=None) as batch_op:
        batch_op.drop_index('ix_assurance_period_partner')
        batch_op.drop_index(batch_op.f('ix_assurance_measures_submission_id'))

    op.drop_table('assurance_measures')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_lookup')

    op.drop_table('submissions')
    op.drop_table('stored_files')
    op.drop_table('periods')
    op.drop_table('partners')
    op.drop_table('calendar_days')
