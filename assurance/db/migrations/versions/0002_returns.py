"""returns: at most one accepted submission per partner, period and return type

Revision ID: 0002_returns
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_returns"
down_revision = "0001"
branch_labels = None
depends_on = None

WHERE = sa.text("status = 'accepted'")


def upgrade() -> None:
    op.create_index(
        "uq_submissions_one_accepted", "submissions", ["partner_id", "period_id", "return_type"], unique=True,
        sqlite_where=WHERE, postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index("uq_submissions_one_accepted", table_name="submissions")
