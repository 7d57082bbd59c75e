"""Issued board packs are kept as issued: the same file, byte for byte, whatever changes afterwards."""

import hashlib
import json
from datetime import date, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from assurance import administration as adm
from assurance.access import audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import AccessDenied
from assurance.board.issued import ISSUED, issue_pack, issued_pack_file, issued_packs
from assurance.board.pack import build_pack
from assurance.board.render import render
from assurance.db.engine import get_engine
from assurance.db.models import IssuedPack
from assurance.directory import list_periods
from assurance.periods import Period
from assurance.returns.load import load_bytes
from tests.returns.builders import activity_sheets, xlsx

CHAIR = UserInfo(2, "chris", "Chris", "chair")
QA = UserInfo(3, "quinn", "Quinn", "qa")
ADMIN = UserInfo(1, "ada", "Ada", "admin")
TODAY = date(2026, 11, 23)


def _scorecard(figures: dict) -> dict:
    table = next(t for t in figures["tables"] if t["title"].startswith("Scorecard"))
    return {r["Measure"]: r for r in table["rows"]}


def test_an_issued_pack_is_kept_byte_for_byte_whatever_changes(demo_copy_url, config_copy):
    engine = get_engine(demo_copy_url)
    label = list_periods(engine)[-1].label
    pack = build_pack(engine, label, TODAY, publish=True)
    content = render(pack, "xlsx")
    with pytest.raises(AccessDenied):
        issue_pack(engine, QA, pack, "xlsx", content)
    issued = issue_pack(engine, CHAIR, pack, "xlsx", content, now=datetime(2026, 11, 24, 10, 30))
    assert (issued.period_label, issued.issued_by, issued.publication_mode) == (label, "chris", True)
    assert issued.sha256 == hashlib.sha256(content).hexdigest() and issued.size == len(content)

    # Afterwards: a target changes and the council resubmits its activity return for the quarter.
    assert adm.set_target(engine, ADMIN, "msp_asked", 99.0, 0.5)
    assert load_bytes(xlsx(activity_sheets(12, Period.parse(label))), f"LA {label} v2.xlsx", engine, "tester").loaded
    now = render(build_pack(engine, label, TODAY, publish=True), "xlsx")
    assert now != content  # the pack built today differs ...

    name, media_type, kept = issued_pack_file(engine, issued.id)  # ... the issued one does not
    assert kept == content and hashlib.sha256(kept).hexdigest() == issued.sha256
    assert name == f"Board pack {label} issued 2026-11-24.xlsx" and media_type.endswith("spreadsheetml.sheet")
    [listed] = issued_packs(engine)
    assert (listed.id, listed.period_label, listed.issued_by, listed.issued_at, listed.sha256) == (
        issued.id, label, "chris", datetime(2026, 11, 24, 10, 30), issued.sha256)

    # The figures it holds, as issued: the target then in force, the counts as published.
    figures = _scorecard(json.loads(listed.figures))
    asked = figures["Adults asked about their desired outcomes"]
    assert asked["Target"].startswith("85")
    events = audit.search(engine, action=ISSUED)
    assert list(events["Who"]) == ["chris"] and list(events["Target"]) == [f"Board pack {label}"]
    assert json.loads(events["Details"].iloc[0])["sha256"] == issued.sha256
    with pytest.raises(DBAPIError, match="kept as issued"), engine.begin() as c:  # the database refuses changes
        c.execute(update(IssuedPack).where(IssuedPack.id == issued.id).values(content=now))
    assert issued_pack_file(engine, issued.id)[2] == content


def test_the_report_command_issues_a_pack_as_the_chair(demo_copy_url, tmp_path, capsys):
    from assurance.cli import main

    engine = get_engine(demo_copy_url)
    label = list_periods(engine)[-1].label
    out = tmp_path / "pack.xlsx"
    assert main(["--as", "qa", "report", "--period", label, "--out", str(out), "--issue", "--quiet"]) == 1
    assert main(["report", "--period", label, "--out", str(out), "--issue", "--quiet"]) == 1  # who issues it?
    assert issued_packs(engine) == []
    assert main(["--as", "chair", "report", "--period", label, "--out", str(out), "--issue", "--quiet"]) == 0
    [kept] = issued_packs(engine)
    assert kept.issued_by == "chair" and issued_pack_file(engine, kept.id)[2] == out.read_bytes()
    assert kept.sha256 in capsys.readouterr().out
