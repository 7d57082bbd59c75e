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
from assurance.errors import AssuranceError
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


def test_the_cookie_is_http_only_lax_and_expiring():
    """Lax, not Strict: a link from e-mail or the intranet carries the cookie, so following it keeps the sign-in
    (Strict would send no cookie, and the page load would replace the signed-in token). Nothing the app serves
    changes anything on a GET, and no cross-site request but a top-level link carries it."""
    header = sessions.set_cookie_header("v", https=False)
    assert header == f"assurance_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age={12 * 3600}"
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


def test_an_empty_or_half_written_secret_file_is_never_a_signing_key(tmp_path, monkeypatch):
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    monkeypatch.setenv("ASSURANCE_INSTANCE_DIR", str(tmp_path))
    (tmp_path / "session-secret").write_text("")
    with pytest.raises(AssuranceError, match="session-secret"):
        sessions.secret()
    (tmp_path / "session-secret").write_text("abc")
    with pytest.raises(AssuranceError, match="session-secret"):
        sessions.secret()


def test_processes_starting_together_share_one_secret(tmp_path):
    """Several server processes started at once on a new install: each gets the same whole key, none an error."""
    import subprocess
    import sys

    env = {**os.environ, "ASSURANCE_INSTANCE_DIR": str(tmp_path / "instance")}
    env.pop(sessions.SECRET_ENV, None)
    script = "from assurance.access import sessions; print(sessions.secret().decode())"
    runs = [subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(6)]
    results = [(p.communicate(timeout=120), p.returncode) for p in runs]
    assert all(code == 0 for _, code in results), [err for (_, err), _ in results]
    keys = {out.strip() for (out, _), _ in results}
    assert len(keys) == 1 and len(keys.pop()) == 64


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
    assert sessions.look_up(engine, token, 30, now=NOW).state == "ended"  # ended when the account was disabled
    assert sessions.look_up(engine, kept, 30, now=NOW).state == "live"


@pytest.mark.parametrize("change", [{"password": "A much longer new passphrase 42"}, {"role_key": "chair"},
                                    {"active": False}, {"partner_code": "LA"}])
def test_a_change_to_what_a_user_may_do_ends_their_sign_ins_at_once(engine, make_user, change):
    """A password reset after a suspected compromise, a new role or partner, a disabled account: every browser
    signed in as that user must sign in again; another user's sign-in is untouched."""
    ann = make_user("ann", "analyst", "POL")
    token = sessions.new_token()
    sessions.bind(engine, token, ann.id, ann.username, "10.0.0.1", now=NOW)
    _other, kept = _signed_in(engine, make_user, "bob")
    update_user(engine, ADMIN, "ann", **({"partner_code": None} if "role_key" in change else {}), **change)
    assert sessions.look_up(engine, token, 30, now=NOW).state in ("ended", "inactive")
    with engine.connect() as c:
        row = c.execute(select(WebSession).where(WebSession.id == sessions.session_id(token))).one()
    assert row.ended_at is not None
    assert sessions.look_up(engine, kept, 30, now=NOW).state == "live"


def test_a_change_of_name_or_e_mail_keeps_the_sign_in(engine, make_user):
    _user, token = _signed_in(engine, make_user)
    update_user(engine, ADMIN, "ann", name="Ann Other", email="ann@example.org")
    assert sessions.look_up(engine, token, 30, now=NOW).state == "live"


def test_signing_in_clears_away_sign_ins_past_the_working_day(engine, make_user):
    _user, old = _signed_in(engine, make_user)
    later = NOW + timedelta(hours=13)
    sessions.bind(engine, sessions.new_token(), _user.id, _user.username, "10.0.0.1", now=later)
    with engine.connect() as c:
        ids = set(c.scalars(select(WebSession.id)))
    assert sessions.session_id(old) not in ids and len(ids) == 1
