from datetime import timedelta

import pytest
from sqlalchemy import select

from assurance.access import audit
from assurance.access.accounts import (
    GENERIC_FAILURE,
    AccountError,
    authenticate,
    check_password_rules,
    hash_password,
    verify_password,
)
from assurance.access.settings import AuthSettings
from assurance.db.models import User
from tests.access.conftest import NOW

PASSWORD = "correct horse battery"
SETTINGS = AuthSettings(max_failed_sign_ins=5, lockout_minutes=15)


def test_hashes_are_argon2id_salted_and_verify():
    h1, h2 = hash_password(PASSWORD), hash_password(PASSWORD)
    assert h1.startswith("$argon2id$") and h1 != h2  # a fresh salt each time
    assert PASSWORD not in h1
    assert verify_password(h1, PASSWORD) and verify_password(h2, PASSWORD)
    assert not verify_password(h1, PASSWORD + "!")
    assert not verify_password(None, PASSWORD)  # no local password: never matches
    assert not verify_password("not a hash", PASSWORD)


def test_password_rules():
    with pytest.raises(AccountError, match="at least 12"):
        check_password_rules("short")
    with pytest.raises(AccountError, match="username"):
        check_password_rules("xx-jo.smith-xx", "jo.smith")
    check_password_rules(PASSWORD, "jo.smith")


def test_stored_password_is_a_hash(engine, make_user):
    make_user("ann", "analyst", "POL", password=PASSWORD)
    with engine.connect() as c:
        stored = c.scalar(select(User.password_hash).where(User.username == "ann"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def _events(engine, action):
    return audit.search(engine, action=action)


def test_sign_in_success_resets_failures_and_is_audited(engine, make_user):
    make_user("ann", "analyst", "POL", password=PASSWORD)
    assert authenticate(engine, "ann", "wrong password!", "10.0.0.9", NOW, SETTINGS).user is None
    r = authenticate(engine, " ANN ", PASSWORD, "10.0.0.9", NOW, SETTINGS)  # usernames are case-insensitive
    assert r.user.username == "ann" and r.user.partner_code == "POL" and r.user.role == "analyst"
    with engine.connect() as c:
        u = c.execute(select(User.failed_sign_ins, User.last_sign_in).where(User.username == "ann")).one()
    assert u.failed_sign_ins == 0 and u.last_sign_in == NOW
    ok = _events(engine, audit.SIGN_IN)
    assert list(ok["Who"]) == ["ann"] and list(ok["From"]) == ["10.0.0.9"] and list(ok["Source"]) == ["app"]
    assert len(_events(engine, audit.SIGN_IN_FAILED)) == 1


def test_five_failures_lock_the_account_for_fifteen_minutes(engine, make_user):
    make_user("ann", "analyst", "POL", password=PASSWORD)
    for i in range(4):
        r = authenticate(engine, "ann", f"wrong {i}", None, NOW + timedelta(seconds=i), SETTINGS)
        assert r.user is None and r.message == GENERIC_FAILURE and not r.locked
    r = authenticate(engine, "ann", "wrong 5", None, NOW + timedelta(seconds=5), SETTINGS)
    assert r.locked and "locked" in r.message and "10:15" in r.message
    # The right password does not work while locked ...
    r = authenticate(engine, "ann", PASSWORD, None, NOW + timedelta(minutes=14, seconds=59), SETTINGS)
    assert r.user is None and r.locked
    # ... and does once the 15 minutes are over.
    r = authenticate(engine, "ann", PASSWORD, None, NOW + timedelta(minutes=15, seconds=6), SETTINGS)
    assert r.user is not None
    assert len(_events(engine, audit.LOCKED_OUT)) == 1
    failed = _events(engine, audit.SIGN_IN_FAILED)
    assert len(failed) == 6  # five wrong passwords and one try while locked
    assert failed["Details"].str.contains("account locked").sum() == 1
    assert (failed["Who"] == "ann").all() and (failed["From"] == "local").all()


def test_failures_below_the_limit_are_forgotten_after_a_success(engine, make_user):
    make_user("ann", "analyst", "POL", password=PASSWORD)
    for _ in range(4):
        authenticate(engine, "ann", "nope nope nope", None, NOW, SETTINGS)
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is not None
    for _ in range(4):
        assert not authenticate(engine, "ann", "nope nope nope", None, NOW, SETTINGS).locked
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is not None


def test_unknown_disabled_and_oidc_only_users_get_the_same_plain_message(engine, make_user):
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    make_user("ann", "analyst", "POL", password=PASSWORD)
    make_user("otto", "qa", email="otto@board.example")  # no local password: OpenID Connect only
    update_user(engine, ADMIN, "ann", active=False)
    for name, pw in (("nobody", PASSWORD), ("ann", PASSWORD), ("otto", ""), ("", "")):
        r = authenticate(engine, name, pw, None, NOW, SETTINGS)
        assert r.user is None and r.message == GENERIC_FAILURE and not r.locked
    assert len(_events(engine, audit.SIGN_IN_FAILED)) == 4
    assert _events(engine, audit.SIGN_IN).empty


def test_an_administrator_can_unlock(engine, make_user):
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    make_user("ann", "analyst", "POL", password=PASSWORD)
    for _ in range(5):
        authenticate(engine, "ann", "nope nope nope", None, NOW, SETTINGS)
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).locked
    update_user(engine, ADMIN, "ann", unlock=True)
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is not None
    changed = _events(engine, audit.USER_CHANGED)
    assert '"unlocked": true' in changed.iloc[0]["Details"]
