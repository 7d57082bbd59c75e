"""audit trail: no rewrite by REPLACE, and a hash chain for tamper evidence

Revision ID: 0008_audit_chain
Revises: 0007_access
Create Date: 2026-12-01 09:00:00

SQLite's REPLACE (and INSERT OR REPLACE) deletes the old row without firing DELETE triggers, so a BEFORE
INSERT trigger now refuses any insert whose id is already taken. Each event gets `chain_hash`: sha256 over
the previous event's hash and the event's own fields (assurance.access.audit.chain_hash, copied here so this
migration never changes). Existing events are back-filled in id order.
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0008_audit_chain"
down_revision = "0007_access"
branch_labels = None
depends_on = None

APPEND_ONLY = "the audit trail is append-only: events cannot be changed or deleted"
GENESIS = "0" * 64
SQLITE_TRIGGERS = [
    *(f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
      f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END" for verb in ("UPDATE", "DELETE")),
    "CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events "
    "WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
]
SQLITE_TRIGGER_NAMES = ["audit_events_no_update", "audit_events_no_delete", "audit_events_no_replace"]

events = sa.table(
    "audit_events", sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("actor", sa.String),
    sa.column("action", sa.String), sa.column("target", sa.String), sa.column("details", sa.Text),
    sa.column("source", sa.String), sa.column("address", sa.String), sa.column("chain_hash", sa.String),
)


def _chain_hash(previous: str, row) -> str:
    fields = [row.id, row.at.isoformat(sep=" "), row.actor, row.action, row.target, row.details, row.source,
              row.address]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def _back_fill() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(events.c.id, events.c.at, events.c.actor, events.c.action, events.c.target,
                                  events.c.details, events.c.source, events.c.address).order_by(events.c.id)).all()
    previous = GENESIS
    for row in rows:
        previous = _chain_hash(previous, row)
        bind.execute(events.update().where(events.c.id == row.id).values(chain_hash=previous))


def _drop_sqlite_triggers() -> None:
    for name in SQLITE_TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_triggers()  # the back-fill updates rows; the table is rebuilt below
    elif dialect == "postgresql":
        op.execute("LOCK TABLE audit_events IN EXCLUSIVE MODE")
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
    op.add_column("audit_events", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    _back_fill()
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.alter_column("chain_hash", existing_type=sa.String(length=64), nullable=False)
    if dialect == "sqlite":
        for sql in SQLITE_TRIGGERS:
            op.execute(sql)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_triggers()
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_column("chain_hash")
    if dialect == "sqlite":
        for sql in SQLITE_TRIGGERS[:2]:  # as 0007 left them
            op.execute(sql)
