"""Browser sign-ins that survive a refresh: a signed, HttpOnly cookie names a web session kept in the database.

The server hands every browser a random token in a cookie (see `serve.py`), signed with a secret kept in the
instance folder (assurance/paths.py). Signing in binds the browser's token to the user (a `web_sessions` row whose id is the
token's SHA-256, so the database never holds a usable token). Each run of the app looks the token up: the
sign-in holds while the row is not ended, not idle past the limit, not older than MAX_HOURS and the user is still
active. Signing out ends the row. A page load whose token names no live sign-in gets a fresh token, so a token
planted in a browser before sign-in is replaced rather than bound (session fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import OperationalError

from assurance.access import audit
from assurance.db.engine import session_scope, short_write
from assurance.db.models import User, WebSession
from assurance.errors import AssuranceError
from assurance.paths import instance_dir

COOKIE = "assurance_session"
SECURE_COOKIE = "__Host-assurance_session"  # over HTTPS: Secure, and no subdomain can set it
MAX_HOURS = 12  # a sign-in lasts a working day at most, however active
TOUCH_SECONDS = 15  # last_seen_at is written at most this often
SECRET_ENV = "ASSURANCE_SESSION_SECRET"
_PURPOSE = b"assurance web session\x00"


def secret() -> bytes:
    """The server's signing secret: ASSURANCE_SESSION_SECRET, else a random key kept in the instance folder
    (made on first use, readable by the server's account only; written whole before any process can read it)."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        if len(configured) < 32:
            raise ValueError(f"{SECRET_ENV} must be at least 32 characters long.")
        return configured.encode()
    path = instance_dir() / "session-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".session-secret.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 32:
        raise SessionSecretError(f"The file session-secret in the instance folder ({path.parent}) holds no usable key "
                                 "(it is empty or cut short). Delete it and restart the app: a new key is made, and "
                                 "everyone signs in again.")
    return key.encode()


def cookie_name(https: bool) -> str:
    return SECURE_COOKIE if https else COOKIE


class SessionSecretError(AssuranceError):
    """The instance folder's signing key cannot be used."""


def end_for_user(session, user_id: int, now: datetime | None = None) -> int:
    """End every live sign-in of a user (in the caller's transaction): what they may do has changed."""
    result = session.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
                             .values(ended_at=now or datetime.now()))
    return result.rowcount


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _signature(token: str, key: bytes) -> str:
    return hmac.new(key, _PURPOSE + token.encode(), hashlib.sha256).hexdigest()


def sign(token: str, key: bytes | None = None) -> str:
    """The cookie's value: the token and its HMAC-SHA256 under the server secret."""
    return f"{token}.{_signature(token, key or secret())}"


def verify(value: str | None, key: bytes | None = None) -> str | None:
    """The token in a cookie value, or None when the value was not signed by this server."""
    if not value or value.count(".") != 1:
        return None
    token, signature = value.split(".")
    if not token or not hmac.compare_digest(signature, _signature(token, key or secret())):
        return None
    return token


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_cookie_header(value: str, https: bool) -> str:
    """The Set-Cookie header for a browser's token: HttpOnly (no script can read it), SameSite=Lax (a link from
    e-mail or the intranet keeps the sign-in; other sites' requests carry no cookie), expiring."""
    parts = [f"{cookie_name(https)}={value}", "Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={MAX_HOURS * 3600}"]
    if https:
        parts.append("Secure")
    return "; ".join(parts)


@dataclass(frozen=True)
class Found:
    """What a browser's token names: a live sign-in (user_id set), or why there is none."""

    user_id: int | None
    username: str | None
    state: str  # "live", "none" (never signed in), "ended", "idle", "expired", "inactive"
    idle_since: datetime | None = None


def look_up(engine: Engine, token: str, idle_minutes: int, now: datetime | None = None) -> Found:
    """The sign-in the token names, judged now (nothing is written)."""
    now = now or datetime.now()
    with engine.connect() as conn:
        row = conn.execute(
            select(WebSession.user_id, WebSession.username, WebSession.created_at, WebSession.last_seen_at,
                   WebSession.ended_at, User.active, User.username.label("current_name"))
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.id == session_id(token))
        ).one_or_none()
    if row is None:
        return Found(None, None, "none")
    if row.ended_at is not None:
        return Found(None, row.username, "ended")
    if not row.active or row.current_name != row.username:
        return Found(None, row.username, "inactive")
    if now - row.created_at > timedelta(hours=MAX_HOURS):
        return Found(None, row.username, "expired")
    if now - row.last_seen_at > timedelta(minutes=idle_minutes):
        return Found(row.user_id, row.username, "idle", row.last_seen_at)
    return Found(row.user_id, row.username, "live")


def judge(engine: Engine, token: str, idle_minutes: int, address: str, now: datetime | None = None) -> Found:
    """The sign-in the token names; one found idle is ended here and recorded as signed out for idle time."""
    found = look_up(engine, token, idle_minutes, now)
    if found.state == "idle" and end(engine, token, now):
        audit.record(engine, found.username, audit.SIGNED_OUT_IDLE, found.username, {"minutes": idle_minutes},
                     "app", address)
    return found


def bind(engine: Engine, token: str, user_id: int, username: str, address: str, now: datetime | None = None) -> None:
    """Sign the browser in: its token now names this user's session (a signed-out token in the same tab is reused)."""
    now = now or datetime.now()
    sid = session_id(token)
    with short_write(engine), session_scope(engine) as s:
        s.execute(delete(WebSession).where(WebSession.created_at < now - timedelta(hours=MAX_HOURS),
                                           WebSession.id != sid))  # past the working day: no use to anyone
        row = s.get(WebSession, sid)
        if row is None:
            s.add(WebSession(id=sid, user_id=user_id, username=username, created_at=now, last_seen_at=now,
                             ended_at=None, address=address[:64]))
        else:
            row.user_id, row.username, row.address = user_id, username, address[:64]
            row.created_at = row.last_seen_at = now
            row.ended_at = None


def touch(engine: Engine, token: str, now: datetime | None = None) -> None:
    """The browser was active now (written at most every TOUCH_SECONDS; skipped while a load holds the database,
    as the next run writes it)."""
    now = now or datetime.now()
    try:
        with short_write(engine), session_scope(engine) as s:
            s.execute(update(WebSession)
                      .where(WebSession.id == session_id(token), WebSession.ended_at.is_(None),
                             WebSession.last_seen_at < now - timedelta(seconds=TOUCH_SECONDS))
                      .values(last_seen_at=now))
    except OperationalError:
        pass


def end(engine: Engine, token: str, now: datetime | None = None) -> bool:
    """End the sign-in the token names (sign-out, idle); True when it was live until now."""
    with short_write(engine), session_scope(engine) as s:
        result = s.execute(update(WebSession)
                           .where(WebSession.id == session_id(token), WebSession.ended_at.is_(None))
                           .values(ended_at=now or datetime.now()))
        return result.rowcount > 0
