"""Signing in while a long load holds SQLite's write lock: a plain "busy" message, never a traceback.

Always on a SQLite file of its own (the lock is SQLite's), so it runs in the PostgreSQL run too."""

import sqlite3
import time

from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from assurance.access import audit
from assurance.access.accounts import authenticate, create_user, find_user
from assurance.access.settings import AuthSettings
from assurance.db.bootstrap import init_database
from assurance.db.engine import get_engine
from tests.access.conftest import ADMIN
from tests.conftest import TODAY
from tests.pages.helpers import APP

PASSWORD = "correct horse battery"
BUSY = "The service is busy; try again in a moment."


def _short_busy_timeout(dbapi_conn, _record) -> None:
    dbapi_conn.execute("PRAGMA busy_timeout = 300")  # after the engine's own 30 s setting


def _sqlite_board(tmp_path, board, monkeypatch):
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    event.listen(engine, "connect", _short_busy_timeout)
    init_database(engine, board, today=TODAY)
    create_user(engine, ADMIN, "ann", "Ann", "qa", password=PASSWORD)
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    return engine, path


def _hold_write_lock(path):
    """Another connection holding the write lock, as a large load does."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_busy_database_gives_a_plain_answer_and_reading_needs_no_lock(tmp_path, board, monkeypatch):
    engine, path = _sqlite_board(tmp_path, board, monkeypatch)
    holder = _hold_write_lock(path)
    try:
        assert find_user(engine, "ann").username == "ann"  # reading is not blocked
        for password in (PASSWORD, "not the password"):  # right or wrong: the same answer, nothing recorded
            start = time.monotonic()
            r = authenticate(engine, "ann", password, settings=AuthSettings())
            assert (r.user, r.message, r.busy) == (None, BUSY, True)
            assert time.monotonic() - start < 5
    finally:
        holder.rollback()
        holder.close()
    with engine.connect() as c:  # the sign-in's shorter wait is not left on the pooled connection
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 300
    assert authenticate(engine, "ann", PASSWORD, settings=AuthSettings()).user.username == "ann"
    assert list(audit.search(engine, actor="ann")["Action"]) == [audit.SIGN_IN]  # one short write, once free
    assert audit.verify(engine).intact


def test_the_sign_in_page_says_the_service_is_busy(tmp_path, board, monkeypatch):
    _engine, path = _sqlite_board(tmp_path, board, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    holder = _hold_write_lock(path)
    try:
        at.text_input(key="sign-in-username").input("ann")
        at.text_input(key="sign-in-password").input(PASSWORD)
        next(b for b in at.button if b.label == "Sign in").click()
        at.run()
    finally:
        holder.rollback()
        holder.close()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == [BUSY] and at.title[0].value == "Sign in"
    next(b for b in at.button if b.label == "Sign in").click()  # the same form, once the load is done
    at.run()
    assert at.title[0].value == "Overview"
