"""Loads stay consistent whatever happens around them: two at once, a crash or a full disk mid-load."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from assurance.access import audit
from assurance.cli import main
from assurance.db.engine import get_engine
from assurance.db.models import Concern, StoredFile, Submission
from assurance.measures.compute import period_figures
from assurance.returns import load as load_module
from assurance.returns.load import LoadFailed, load_bytes
from tests.returns.builders import activity_sheets, at_once, xlsx

PERIOD = "2025-26 Q2"


def _in_use(engine) -> tuple[list[tuple], int]:
    with engine.connect() as c:
        subs = c.execute(select(Submission.id, Submission.status, Submission.row_count).order_by(Submission.id)).all()
        concerns = c.scalar(select(func.count()).select_from(Concern).join(Submission, Submission.id == Concern.submission_id)
                            .where(Submission.status == "accepted"))
    return [tuple(s) for s in subs], concerns


def test_two_activity_loads_at_once_exactly_one_wins(db_url):
    files = [xlsx(activity_sheets(300)), xlsx(activity_sheets(200))]
    engine = get_engine(db_url)
    results, errors = at_once(*(lambda k=k: load_bytes(files[k], f"LA {PERIOD} v{k}.xlsx", engine, f"analyst{k}")
                                for k in range(2)))
    assert errors == [] and all(r.loaded for r in results)
    engine = get_engine(db_url)
    subs, concerns = _in_use(engine)
    assert sorted(s[1] for s in subs) == ["accepted", "superseded"]
    winner = next(s for s in subs if s[1] == "accepted")
    # Exactly the winner's concerns are in use (none of the other file's), and the figures are the winner's.
    n_concerns = 300 if results[0].submission_id == winner[0] else 200
    assert concerns == n_concerns
    figure = next(f for f in period_figures(engine, PERIOD, "LA") if f.measure == "concerns")
    assert figure.numerator == n_concerns
    actions = list(audit.search(engine)["Action"])
    assert sorted(actions) == sorted([audit.RETURN_LOADED, audit.RETURN_LOADED, audit.SUBMISSION_SUPERSEDED])


def _disk_full(*_args, **_kwargs):
    raise OperationalError("INSERT INTO quarterly_figures ...", {}, Exception("database or disk is full"))


def test_a_full_disk_mid_load_changes_nothing_and_the_earlier_return_stays_in_use(engine, monkeypatch, capsys):
    first = load_bytes(xlsx(activity_sheets(120)), f"LA {PERIOD}.xlsx", engine, "ann")
    before = _in_use(engine)
    figure_before = next(f for f in period_figures(engine, PERIOD, "LA") if f.measure == "concerns")
    with engine.connect() as c:
        files_before = c.scalar(select(func.count()).select_from(StoredFile))
    # The failure strikes after the new rows are written, just before the commit.
    monkeypatch.setattr(load_module, "refresh_after_load", _disk_full)
    with pytest.raises(LoadFailed, match="could not be stored \\(database or disk is full\\). Nothing was changed"):
        load_bytes(xlsx(activity_sheets(80)), f"LA {PERIOD} resubmitted.xlsx", engine, "bob")
    assert _in_use(engine) == before and before[1] == 120 and first.loaded
    assert next(f for f in period_figures(engine, PERIOD, "LA") if f.measure == "concerns") == figure_before
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(StoredFile)) == files_before
    failed = audit.search(engine, action=audit.LOAD_FAILED)
    assert list(failed["Who"]) == [audit.cli_actor()] and "disk is full" in failed["Details"].iloc[0]
    assert '"submitted by": "bob"' in failed["Details"].iloc[0]  # the name typed is kept, not taken as the actor
    assert audit.search(engine, action=audit.SUBMISSION_SUPERSEDED).empty


def test_the_command_line_says_so_plainly(engine, monkeypatch, tmp_path, capsys):
    path = tmp_path / f"LA {PERIOD}.xlsx"
    path.write_bytes(xlsx(activity_sheets(40)))
    monkeypatch.setattr(load_module, "refresh_after_load", _disk_full)
    assert main(["load", str(path)]) == 1
    err = capsys.readouterr().err
    assert "could not be stored (database or disk is full)" in err and "Traceback" not in err
    assert _in_use(engine) == ([], 0)


def test_a_crash_in_the_middle_of_writing_rows_rolls_back(engine, monkeypatch):
    real = load_module.bulk_insert
    calls = []

    def crash_after_first_table(conn, table, columns, rows):
        calls.append(table.name)
        n = real(conn, table, columns, rows)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        return n

    monkeypatch.setattr(load_module, "bulk_insert", crash_after_first_table)
    with pytest.raises(LoadFailed, match="Input/output error"):
        load_bytes(xlsx(activity_sheets(50)), f"LA {PERIOD}.xlsx", engine, "ann")
    assert calls == ["concerns"] and _in_use(engine) == ([], 0)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == 0


def test_a_file_name_that_is_not_utf8_gets_a_plain_answer(engine, tmp_path, capsys):
    """A name from a disk in another encoding (the byte 0xff) used to end in a traceback from the database."""
    import os

    path = os.path.join(os.fsencode(tmp_path), b"LA 2025-26 Q2 \xff.xlsx")
    with open(path, "wb") as f:
        f.write(xlsx(activity_sheets(5)))
    assert main(["load", os.fsdecode(path)]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err and "LA 2025-26 Q2 \ufffd.xlsx" in out.out
    with engine.connect() as c:
        assert c.scalar(select(Submission.file_name)) == "LA 2025-26 Q2 \ufffd.xlsx"


def test_sign_ins_cannot_hold_a_load_off_for_ever(engine, monkeypatch):
    """A stream of sign-ins (each holding the short-write lock) delays a load for a few seconds at most."""
    import threading
    import time

    from assurance.db import engine as engine_module
    from assurance.db.engine import short_write

    if engine.dialect.name != "sqlite":
        with short_write(engine):  # nothing to wait for on PostgreSQL
            assert load_bytes(xlsx(activity_sheets(5)), f"LA {PERIOD}.xlsx", engine, "ann").loaded
        return
    monkeypatch.setattr(engine_module, "LOAD_YIELDS_SECONDS", 0.5)
    stop = threading.Event()

    def sign_ins() -> None:
        while not stop.is_set():
            with short_write(engine):
                time.sleep(0.05)

    streams = [threading.Thread(target=sign_ins) for _ in range(2)]
    for t in streams:
        t.start()
    try:
        started = time.monotonic()
        result = load_bytes(xlsx(activity_sheets(5)), f"LA {PERIOD}.xlsx", engine, "ann")
        took = time.monotonic() - started
    finally:
        stop.set()
        for t in streams:
            t.join()
    assert result.loaded and took < 10
