from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from assurance.access import audit
from assurance.access.accounts import (
    GENERIC_FAILURE,
    AccountError,
    authenticate,
    check_password_rules,
    find_user,
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
    with pytest.raises(AccountError, match="username"):
        check_password_rules("kettle JoSmith harbour", "jo.smith")
    check_password_rules(PASSWORD, "jo.smith")


@pytest.mark.parametrize("password", [
    " " * 12, "a" * 20, "111111111111", "abcabcabcabc", "passwordpassword",  # one character, or a pattern, repeated
    "123456789012", "0987654321098", "qwertyuiopas", "QWERTYUIOP!!", "abcdefghijkl", "1qaz2wsx3edc", "a b c d e f g h",
    "password1234", "Password!!!!", "PASSWORD12345678", "!!sunshine2024", "iloveyou1234", "football1234", "Qwerty123456",
])
def test_weak_passwords_are_refused_with_advice(password):
    with pytest.raises(AccountError, match="Use three or more random words") as refused:
        check_password_rules(password, "jo.smith")
    assert password not in str(refused.value)  # the message never repeats the password


def test_the_board_and_the_product_are_not_passwords():
    from assurance import config

    board = config.board()
    for password in (board.name, f"{board.area}2026!!".lower(), "Safeguarding2026!", "assurance-dashboard"):
        with pytest.raises(AccountError, match="Board"):
            check_password_rules(password, "jo.smith")


@pytest.mark.parametrize("password", [
    "correct horse battery", "kettle harbour violet", "Tr0ub4dor&3-horse", "my dog eats 3 pears",
    "x" * 10 + "y" * 10 + "z", "é" * 6 + "kettle harbour", "w" * 64 + " long",  # long is fine
])
def test_good_passwords_are_taken(password):
    check_password_rules(password, "jo.smith")


def test_the_deny_list_ships_a_few_thousand_common_passwords():
    from assurance.access.accounts import common_passwords

    common = common_passwords()
    assert len(common) >= 4000 and {"password", "123456", "qwerty", "iloveyou", "letmein"} <= common
    assert all(p == p.lower() and p.strip() == p and p for p in common)


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
        assert r.user is None and r.message == GENERIC_FAILURE
    assert _events(engine, audit.LOCKED_OUT).empty
    r = authenticate(engine, "ann", "wrong 5", None, NOW + timedelta(seconds=5), SETTINGS)
    assert r.user is None and r.message == GENERIC_FAILURE  # a lock is never told: it would confirm the username
    # The right password does not work while locked ...
    r = authenticate(engine, "ann", PASSWORD, None, NOW + timedelta(minutes=14, seconds=59), SETTINGS)
    assert r.user is None and r.message == GENERIC_FAILURE
    # ... and does once the 15 minutes are over.
    r = authenticate(engine, "ann", PASSWORD, None, NOW + timedelta(minutes=15, seconds=6), SETTINGS)
    assert r.user is not None
    locked = _events(engine, audit.LOCKED_OUT)
    assert len(locked) == 1 and "10:15" in locked.iloc[0]["Details"]  # the lock is recorded, and until when
    assert find_user(engine, "ann").locked_until is None  # the lock ran out with the right password
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
        assert authenticate(engine, "ann", "nope nope nope", None, NOW, SETTINGS).message == GENERIC_FAILURE
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is not None
    assert _events(engine, audit.LOCKED_OUT).empty


def test_unknown_disabled_and_oidc_only_users_get_the_same_plain_message(engine, make_user):
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    make_user("ann", "analyst", "POL", password=PASSWORD)
    make_user("otto", "qa", email="otto@board.example")  # no local password: OpenID Connect only
    update_user(engine, ADMIN, "ann", active=False)
    for name, pw in (("nobody", PASSWORD), ("ann", PASSWORD), ("otto", ""), ("", "")):
        r = authenticate(engine, name, pw, None, NOW, SETTINGS)
        assert r.user is None and r.message == GENERIC_FAILURE
    failed = _events(engine, audit.SIGN_IN_FAILED)
    assert len(failed) == 4
    # Who: a known user by their stored name; someone unknown as anonymous (what they typed is the target).
    assert list(failed["Who"]) == ["anonymous", "otto", "ann", "anonymous"]
    assert pd.isna(list(failed["Target"])[0])
    assert list(failed["Target"])[-1] == "nobody"
    assert _events(engine, audit.SIGN_IN).empty


def test_an_administrator_can_unlock(engine, make_user):
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    make_user("ann", "analyst", "POL", password=PASSWORD)
    for _ in range(5):
        authenticate(engine, "ann", "nope nope nope", None, NOW, SETTINGS)
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is None  # locked
    update_user(engine, ADMIN, "ann", unlock=True)
    assert authenticate(engine, "ann", PASSWORD, None, NOW, SETTINGS).user is not None
    changed = _events(engine, audit.USER_CHANGED)
    assert '"unlocked": true' in changed.iloc[0]["Details"]


def test_unknown_wrong_and_locked_take_the_same_time(engine, make_user):
    """Every refusal checks a password hash: none is quick enough to tell an attacker which it was."""
    import time
    from statistics import median

    make_user("ann", "analyst", "POL", password=PASSWORD)
    make_user("bob", "analyst", "POL", password=PASSWORD)
    for _ in range(5):
        authenticate(engine, "bob", "nope nope nope", None, NOW, SETTINGS)  # bob is now locked

    lenient = AuthSettings(max_failed_sign_ins=1000)  # ann is never locked here

    def timed(name):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert authenticate(engine, name, "nope nope nope", None, NOW, lenient).message == GENERIC_FAILURE
            times.append(time.perf_counter() - start)
        return median(times)

    wrong = timed("ann")
    for other in (timed("nobody"), timed("bob")):
        assert other > wrong / 2, (other, wrong)  # skipping the hash would be ten times quicker
