"""The audit trail: who did what, when, to what, and from where. Append-only (the database refuses changes)."""

from __future__ import annotations

import getpass
import json
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, String, cast, func, insert, or_, select

from assurance.db.models import AuditEvent

# Action names used across the product (others may add their own: short, lower case, dotted).
SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in failed"
LOCKED_OUT = "account locked"
SIGN_OUT = "sign-out"
SIGNED_OUT_IDLE = "signed out (idle)"
EXPORT = "export"
USER_CREATED = "user created"
USER_CHANGED = "user changed"
CHALLENGE_RAISED = "challenge raised"
CHALLENGE_RESPONDED = "challenge responded"
CHALLENGE_CLOSED = "challenge closed"
CHALLENGE_REOPENED = "challenge reopened"
ACCESS_REFUSED = "access refused"
RETURN_LOADED = "return loaded"
RETURN_REJECTED = "return rejected"
SUBMISSION_SUPERSEDED = "submission superseded"
LOAD_FAILED = "load failed"  # the database could not take it: rolled back, nothing changed
UPLOAD_REFUSED = "upload refused"  # not a readable, safe workbook: nothing was recorded but this
COMMAND = "cli command"

COLUMNS = ["When", "Who", "Action", "Target", "Details", "Source", "From"]


def _clip(text: str | None, n: int) -> str | None:
    return None if text is None else str(text)[:n]


def record(engine: Engine, actor: str, action: str, target: str | None = None, details=None, source: str = "app",
           address: str | None = None, at: datetime | None = None, conn=None) -> None:
    """Append one event. details may be text or anything JSON can hold. Pass conn to write inside a transaction."""
    if details is not None and not isinstance(details, str):
        details = json.dumps(details, default=str, sort_keys=True)
    row = {
        "at": at or datetime.now().replace(microsecond=0),
        "actor": _clip(actor or "unknown", 120),
        "action": _clip(action, 60),
        "target": _clip(target, 200),
        "details": details,
        "source": _clip(source, 10),
        "address": _clip(address or ("cli" if source == "cli" else "local"), 64),
    }
    if conn is not None:
        conn.execute(insert(AuditEvent), row)
        return
    with engine.begin() as c:
        c.execute(insert(AuditEvent), row)


def cli_actor() -> str:
    """Who runs a command: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "unknown"


def record_cli(engine: Engine, action: str, target: str | None = None, details=None) -> None:
    record(engine, cli_actor(), action, target, details, source="cli", address="cli")


def search(engine: Engine, actor: str | None = None, action: str | None = None, start: date | None = None,
           end: date | None = None, text: str | None = None, limit: int = 5000) -> pd.DataFrame:
    """Events newest first. actor/action match exactly; text is a case-insensitive match on target and details."""
    q = select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.target, AuditEvent.details,
               AuditEvent.source, AuditEvent.address)
    if actor:
        q = q.where(AuditEvent.actor == actor)
    if action:
        q = q.where(AuditEvent.action == action)
    if start:
        q = q.where(AuditEvent.at >= datetime.combine(start, datetime.min.time()))
    if end:
        q = q.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    if text and text.strip():
        like = f"%{text.strip().lower()}%"
        q = q.where(or_(func.lower(AuditEvent.target).like(like), func.lower(cast(AuditEvent.details, String)).like(like),
                        func.lower(AuditEvent.actor).like(like)))
    q = q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    with engine.connect() as c:
        rows = c.execute(q).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def actors_and_actions(engine: Engine) -> tuple[list[str], list[str]]:
    """The distinct actors and actions in the trail (for search filters)."""
    with engine.connect() as c:
        actors = c.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)).all()
        actions = c.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return list(actors), list(actions)
