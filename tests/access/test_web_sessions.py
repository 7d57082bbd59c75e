"""Web sessions: the signed browser token, and the sign-in it names (live, ended, idle, expired, disabled)."""

import hashlib
import hmac
import os
import stat
from datetime import timedelta

import pytest
from sqlalchemy import select

from assurance.access import audit, sessions
from assurance.access.accounts import update_user
from assurance.db.models import AuditEvent, WebSession
from tests.access.conftest import ADMIN, NOW

KEY = b"k" * 32


def test_a_signed_token_verifies_and_anything_else_does_not():
    token = sessions.new_token()
    value = sessions.sign(token, KEY)
    expected = hmac.new(KEY, b"assurance web session\x00" + token.encode(), hashlib.sha256).hexdigest()
    assert value == f"{token}.{expected}"
    assert sessions.verify(value, KEY) == token
    other = sessions.new_token()
    for forged in (f"{other}.{expected}", f"{token}.{'0' * 64}", sessions.sign(token, b"x" * 32), token, "",
                   None, f"{token}.{expected}.x", f".{expected}"):
        assert sessions.verify(forged, KEY) is None, forged
    assert len({sessions.new_token() for _ in range(100)}) == 100


def test_the_cookie_is_http_only_strict_and_expiring():
    header = sessions.set_cookie_header("v", https=False)
    assert header == f"assurance_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age={12 * 3600}"
    secure = sessions.set_cookie_header("v", https=True)
    assert secure.startswith("__Host-assurance_session=v; Path=/;") and secure.endswith("; Secure")


def test_the_secret_is_made_once_outside_the_checkout_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    monkeypatch.setenv("ASSURANCE_INSTANCE_DIR", str(tmp_path / "instance"))
    first = sessions.secret()
    path = tmp_path / "instance" / "session-secret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and len(first) == 64
    assert sessions.secret() == first  # the same key after a restart: sign-ins survive it
    monkeypatch.setenv(sessions.SECRET_ENV, "s" * 40)
    assert sessions.secret() == b"s" * 40
    monkeypatch.setenv(sessions.SECRET_ENV, "short")
    with pytest.raises(ValueError, match="at least 32 characters"):
        sessions.secret()


def _signed_in(engine, make_user, username="ann", role="qa"):
    user = make_user(username, role)
    token = sessions.new_token()
    sessions.bind(engine, token, user.id, user.username, "10.0.0.1", now=NOW)
    return user, token


def test_a_bound_token_names_a_live_sign_in_until_sign_out(engine, make_user):
    user, token = _signed_in(engine, make_user)
    with engine.connect() as c:
        row = c.execute(select(WebSession)).one()
    assert row.id == hashlib.sha256(token.encode()).hexdigest() and token not in row.id  # no usable token kept
    assert (row.user_id, row.username, row.address) == (user.id, "ann", "10.0.0.1")
    found = sessions.look_up(engine, token, 30, now=NOW + timedelta(minutes=29))
    assert (found.state, found.user_id) == ("live", user.id)
    assert sessions.look_up(engine, sessions.new_token(), 30, now=NOW).state == "none"
    assert sessions.end(engine, token, now=NOW + timedelta(minutes=1))
    assert not sessions.end(engine, token)  # already ended
    assert sessions.look_up(engine, token, 30, now=NOW + timedelta(minutes=2)) == sessions.Found(None, "ann", "ended")
    sessions.bind(engine, token, user.id, user.username, "10.0.0.1", now=NOW + timedelta(minutes=3))  # again, same tab
    assert sessions.look_up(engine, token, 30, now=NOW + timedelta(minutes=4)).state == "live"


def test_activity_keeps_a_sign_in_and_idle_time_ends_it_once(engine, make_user):
    user, token = _signed_in(engine, make_user)
    sessions.touch(engine, token, now=NOW + timedelta(seconds=5))  # within TOUCH_SECONDS: not written
    sessions.touch(engine, token, now=NOW + timedelta(minutes=25))
    assert sessions.look_up(engine, token, 30, now=NOW + timedelta(minutes=50)).state == "live"
    later = NOW + timedelta(minutes=56)
    assert sessions.judge(engine, token, 30, "10.0.0.2", now=later).state == "idle"
    assert sessions.judge(engine, token, 30, "10.0.0.2", now=later).state == "ended"
    with engine.connect() as c:
        assert c.scalar(select(WebSession.ended_at)) == later
        recorded = c.execute(select(AuditEvent.actor, AuditEvent.target)
                             .where(AuditEvent.action == audit.SIGNED_OUT_IDLE)).all()
    assert recorded == [("ann", "ann")]


def test_a_sign_in_ends_after_a_working_day_however_active(engine, make_user):
    _user, token = _signed_in(engine, make_user)
    for hours in range(1, 13):
        sessions.touch(engine, token, now=NOW + timedelta(hours=hours))
    assert sessions.look_up(engine, token, 30, now=NOW + timedelta(hours=12, seconds=1)).state == "expired"


def test_a_disabled_user_is_not_signed_in(engine, make_user):
    _user, token = _signed_in(engine, make_user)
    _other, kept = _signed_in(engine, make_user, "bob")
    update_user(engine, ADMIN, "ann", active=False)
    assert sessions.look_up(engine, token, 30, now=NOW).state == "inactive"
    assert sessions.look_up(engine, kept, 30, now=NOW).state == "live"
