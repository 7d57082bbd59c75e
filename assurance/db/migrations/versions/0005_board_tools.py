"""board tools

Revision ID: 0005_board_tools
Revises: 0001
Create Date: 2026-11-23 03:32:54.745938
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_board_tools'
down_revision = '0002_returns'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sar_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('published', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sar_reviews')),
    sa.UniqueConstraint('reference', name=op.f('uq_sar_reviews_reference'))
    )
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=60), nullable=True),
    sa.Column('period_label', sa.String(length=12), nullable=True),
    sa.Column('evidence_value', sa.Double(), nullable=True),
    sa.Column('evidence_numerator', sa.BigInteger(), nullable=True),
    sa.Column('evidence_denominator', sa.BigInteger(), nullable=True),
    sa.Column('evidence_unit', sa.String(length=20), nullable=True),
    sa.Column('evidence_rag', sa.String(length=8), nullable=True),
    sa.Column('evidence_note', sa.Text(), nullable=True),
    sa.Column('raised_by', sa.String(length=120), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_by', sa.String(length=120), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=120), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_challenges_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenges_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_challenges_status', ['status', 'due_date'], unique=False)

    op.create_table('commentary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=60), nullable=False),
    sa.Column('period_label', sa.String(length=12), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_commentary_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commentary'))
    )
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.create_index('ix_commentary_lookup', ['period_label', 'measure'], unique=False)

    op.create_table('challenge_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_events_challenge_id_challenges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_events'))
    )
    with op.batch_alter_table('challenge_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_events_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('board_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('recommendation_no', sa.String(length=20), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=True),
    sa.Column('audit_ref', sa.String(length=60), nullable=True),
    sa.Column('audit_result_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner_partner_id', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('completed_date', sa.Date(), nullable=True),
    sa.Column('progress', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('updated_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['audit_result_id'], ['audit_results.id'], name=op.f('fk_board_actions_audit_result_id_audit_results')),
    sa.ForeignKeyConstraint(['owner_partner_id'], ['partners.id'], name=op.f('fk_board_actions_owner_partner_id_partners')),
    sa.ForeignKeyConstraint(['review_id'], ['sar_reviews.id'], name=op.f('fk_board_actions_review_id_sar_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_actions')),
    sa.UniqueConstraint('audit_result_id', name=op.f('uq_board_actions_audit_result_id'))
    )
    with op.batch_alter_table('board_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_actions_owner_partner_id'), ['owner_partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_actions_review_id'), ['review_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('board_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_actions_review_id'))
        batch_op.drop_index(batch_op.f('ix_board_actions_owner_partner_id'))

    op.drop_table('board_actions')
    with op.batch_alter_table('challenge_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_events_challenge_id'))

    op.drop_table('challenge_events')
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.drop_index('ix_commentary_lookup')

    op.drop_table('commentary')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_challenges_status')
        batch_op.drop_index(batch_op.f('ix_challenges_partner_id'))

    op.drop_table('challenges')
    op.drop_table('sar_reviews')
