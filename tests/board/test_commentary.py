"""QA commentary keeps the figure it explained: a resubmission that changes the figure does not leave it silently
beside the new value."""

from datetime import datetime

import pytest

from sqlalchemy import func, select

from assurance.access import audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import AccessDenied
from assurance.board.commentary import (COMMENTARY_ADDED, COMMENTARY_CONFIRMED, add_commentary, confirm_commentary,
                                        qa_commentary)
from assurance.db.models import AuditEvent, Commentary
from assurance.measures.compute import compute_figures, scorecard, scorecard_frame
from assurance.returns.load import load_bytes
from tests.returns.builders import Q2, activity_sheets, xlsx

CONVERTED = ("Section 42 enquiry", "Other enquiry")
QA = UserInfo(None, "qa", "QA member", "qa")
CHAIR = UserInfo(None, "chair", "Chair", "chair")


@pytest.fixture
def load(engine):
    return lambda sheets, name="LA 2025-26 Q2.xlsx": load_bytes(xlsx(sheets), name, engine, "tester")


def _conversion(sheets) -> tuple[int, int]:
    rows = sheets["Concerns"][1:]
    return sum(r[9] in CONVERTED for r in rows), len(rows)


def _note(engine, publish: bool, measure: str = "conversion") -> str:
    rows = scorecard(compute_figures(engine), Q2.label)
    frame = scorecard_frame(rows, publish, qa_commentary(engine, Q2.label)).set_index("id")
    return frame.loc[measure, "QA commentary"]


def test_commentary_says_when_a_resubmission_changed_the_figure_it_explained(load, engine):
    first, second = activity_sheets(10), activity_sheets(12)
    (n1, d1), (n2, d2) = _conversion(first), _conversion(second)
    assert (n1, d1, n2, d2) == (4, 10, 4, 12)  # the figure moves from 40.0% to 33.3%
    assert load(first).loaded
    add_commentary(engine, "conversion", Q2.label, "Fewer referrals from the acute trust.", QA,
                   now=datetime(2025, 10, 20, 9, 0))
    assert _note(engine, publish=False) == "Fewer referrals from the acute trust."  # still the figure it explained
    assert load(second, "LA 2025-26 Q2 v2.xlsx").loaded  # a resubmission supersedes the first return
    assert _note(engine, publish=False) == (
        "Fewer referrals from the acute trust. — Written when the figure was 40.0% (4 of 10); it is now 33.3% "
        "(4 of 12).")
    # In publication mode the old figure goes through disclosure control like any figure: 4 is a small count.
    published = _note(engine, publish=True)
    assert published == "Fewer referrals from the acute trust. — Written before a resubmission revised the figure."
    # QA confirms the commentary still holds: the same text, recorded against today's figure.
    note = qa_commentary(engine, Q2.label)["conversion"][0]
    confirm_commentary(engine, note.id, CHAIR, now=datetime(2025, 11, 1, 9, 0))
    assert _note(engine, publish=False) == "Fewer referrals from the acute trust."
    latest = qa_commentary(engine, Q2.label)["conversion"]
    assert [(n.author, n.numerator, n.denominator) for n in latest] == [("chair", 4, 12), ("qa", 4, 10)]


def test_a_count_measure_keeps_its_figure_too(load, engine):
    assert load(activity_sheets(10)).loaded
    add_commentary(engine, "concerns", Q2.label, "A quiet quarter.", QA)
    assert load(activity_sheets(12), "LA 2025-26 Q2 v2.xlsx").loaded
    assert _note(engine, publish=False, measure="concerns") == (
        "A quiet quarter. — Written when the figure was 10; it is now 12.")
    assert _note(engine, publish=True, measure="concerns") == (  # 10 and 12 both show as 10
        "A quiet quarter. — Written before a resubmission revised the figure.")


def test_the_pack_shows_commentary_with_the_figure_it_explained(load, engine):
    from datetime import date

    from assurance.board.pack import build_pack

    assert load(activity_sheets(10)).loaded
    add_commentary(engine, "concerns", Q2.label, "A quiet quarter.", QA)
    assert load(activity_sheets(12), "LA 2025-26 Q2 v2.xlsx").loaded
    pack = build_pack(engine, Q2.label, date(2025, 11, 20), publish=True)
    table = next(t for s in pack.sections for t in s.tables if t.title.startswith("Scorecard")).frame
    shown = table.set_index("Measure").loc["Safeguarding concerns received", "QA commentary"]
    assert shown == "A quiet quarter. — Written before a resubmission revised the figure."  # 10 and 12 show as 10


def test_in_publication_mode_both_figures_are_rounded(load, engine):
    assert load(activity_sheets(31)).loaded
    add_commentary(engine, "concerns", Q2.label, "Up on last year.", QA)
    assert load(activity_sheets(47), "LA 2025-26 Q2 v2.xlsx").loaded
    assert _note(engine, publish=False, measure="concerns") == (
        "Up on last year. — Written when the figure was 31; it is now 47.")
    assert _note(engine, publish=True, measure="concerns") == (
        "Up on last year. — Written when the figure was 30; it is now 45.")


def _count(engine, model) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["admin", "analyst", "partner_lead"])
def test_commentary_from_a_role_without_the_permission_is_refused_and_nothing_is_written(engine, role):
    add_commentary(engine, "concerns", Q2.label, "A quiet quarter.", QA)
    note = qa_commentary(engine, Q2.label)["concerns"][0]
    user = UserInfo(None, "someone", "Someone", role, partner_id=1 if role != "admin" else None)
    before = (_count(engine, Commentary), _count(engine, AuditEvent))
    with pytest.raises(AccessDenied):
        add_commentary(engine, "concerns", Q2.label, "Not theirs to write.", user)
    with pytest.raises(AccessDenied):
        confirm_commentary(engine, note.id, user)
    assert (_count(engine, Commentary), _count(engine, AuditEvent)) == before


def test_writing_and_confirming_commentary_is_audited_as_the_user(engine):
    add_commentary(engine, "concerns", Q2.label, "A quiet quarter.", QA, address="10.0.0.9")
    confirm_commentary(engine, qa_commentary(engine, Q2.label)["concerns"][0].id, CHAIR)
    events = audit.search(engine).iloc[::-1]
    assert list(zip(events["Who"], events["Action"], events["Target"])) == [
        ("qa", COMMENTARY_ADDED, f"concerns {Q2.label}"), ("chair", COMMENTARY_CONFIRMED, f"concerns {Q2.label}")]
    assert events.iloc[0]["From"] == "10.0.0.9"
