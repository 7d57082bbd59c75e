"""sign-in sessions that survive a refresh; the definitions each stored figure was built from

Revision ID: 0010_sessions_builds
Revises: 0009_record
Create Date: 2026-12-01 00:10:00

- web_sessions: one row per browser sign-in. The browser holds only a signed, HttpOnly cookie naming the
  session; the row says who, since when, when last seen (idle time) and when it ended (sign-out).
- figure_builds: the fingerprint of the SQL definitions quarterly_figures was last built from, so a changed
  or added definition rebuilds the stored figures.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_sessions_builds"
down_revision = "0009_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "figure_builds",
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_figure_builds")),
    )


def downgrade() -> None:
    op.drop_table("figure_builds")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
