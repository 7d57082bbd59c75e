"""quarterly figures

Revision ID: 0006_figures
Revises: 0005_board_tools
Create Date: 2026-11-23 04:02:45.906108
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_figures'
down_revision = '0005_board_tools'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quarterly_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('definition', sa.String(length=60), nullable=False),
    sa.Column('numerator', sa.BigInteger(), nullable=False),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_quarterly_figures_partner_id_partners')),
    sa.ForeignKeyConstraint(['period_id'], ['periods.id'], name=op.f('fk_quarterly_figures_period_id_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarterly_figures')),
    sa.UniqueConstraint('period_id', 'partner_id', 'definition', name='uq_quarterly_figures_key')
    )


def downgrade() -> None:
    op.drop_table('quarterly_figures')
