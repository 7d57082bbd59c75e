"""a record that does not rewrite itself: commentary tied to its figure, issued packs, SPC recalculation points

Revision ID: 0009_record
Revises: 0008_audit_chain
Create Date: 2026-11-30 21:00:00

- commentary keeps the figure it was written about (value, numerator, denominator), so a resubmission that
  changes the figure shows the commentary as written about the old value.
- issued_packs holds each board pack as the chair issued it (file, sha256, who, when, the figures in it);
  database triggers refuse UPDATE and DELETE, so an issued pack stays as issued.
- spc_recalculations: points from which a measure's SPC limits are computed afresh (a known change in process).
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_record"
down_revision = "0008_audit_chain"
branch_labels = None
depends_on = None

KEPT = "an issued board pack is kept as issued: it cannot be changed or deleted"
SQLITE_TRIGGERS = [f"CREATE TRIGGER issued_packs_no_{verb.lower()} BEFORE {verb} ON issued_packs "
                   f"BEGIN SELECT RAISE(ABORT, '{KEPT}'); END" for verb in ("UPDATE", "DELETE")]
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION issued_packs_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{KEPT}';
END $$"""
PG_TRIGGERS = [
    "CREATE TRIGGER issued_packs_no_change BEFORE UPDATE OR DELETE ON issued_packs "
    "FOR EACH ROW EXECUTE FUNCTION issued_packs_kept()",
    "CREATE TRIGGER issued_packs_no_truncate BEFORE TRUNCATE ON issued_packs "
    "FOR EACH STATEMENT EXECUTE FUNCTION issued_packs_kept()",
]


def upgrade() -> None:
    with op.batch_alter_table("commentary") as batch_op:
        batch_op.add_column(sa.Column("figure_value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("figure_numerator", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("figure_denominator", sa.BigInteger(), nullable=True))
    op.create_table(
        "issued_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=12), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("publication_mode", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_packs")),
    )
    op.create_index("ix_issued_packs_period_label", "issued_packs", ["period_label"])
    op.create_table(
        "spc_recalculations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=60), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("period_label", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"],
                                name=op.f("fk_spc_recalculations_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spc_recalculations")),
    )
    op.create_index("ix_spc_recalculations_measure", "spc_recalculations", ["measure"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in SQLITE_TRIGGERS:
            op.execute(sql)
    elif dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for sql in PG_TRIGGERS:
            op.execute(sql)


def downgrade() -> None:
    op.drop_index("ix_spc_recalculations_measure", table_name="spc_recalculations")
    op.drop_table("spc_recalculations")
    op.drop_index("ix_issued_packs_period_label", table_name="issued_packs")
    op.drop_table("issued_packs")  # its triggers go with it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS issued_packs_kept()")
    with op.batch_alter_table("commentary") as batch_op:
        batch_op.drop_column("figure_denominator")
        batch_op.drop_column("figure_numerator")
        batch_op.drop_column("figure_value")
