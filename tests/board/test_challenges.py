from datetime import date, datetime

import pytest
from openpyxl import load_workbook
import io

from assurance.board import challenges as ch

T0 = datetime(2026, 10, 1, 10, 0)
EVIDENCE = ch.Evidence(measure="staff_trained", period="2026-27 Q2", value=78.4, numerator=1803, denominator=2300,
                       unit="%", rag="red")


def raise_one(engine, **kw):
    args = dict(partner_code="AMB", question="Why has training compliance fallen?", raised_by="chair",
                evidence=EVIDENCE, meeting_date=date(2026, 10, 1), due_date=date(2026, 10, 29), now=T0)
    args.update(kw)
    return ch.raise_challenge(engine, **args)


def test_lifecycle_and_history(engine):
    n = raise_one(engine)
    ch.respond(engine, n, "Recovery plan in place; 92% expected by March.", "lead.ambulance", now=datetime(2026, 10, 20, 9))
    ch.close(engine, n, "assured", "chair", "Assured by the recovery plan", now=datetime(2026, 11, 5, 11))
    log = ch.challenge_log(engine, date(2026, 11, 23))
    row = log.iloc[0]
    assert (row["No."], row["Partner"], row["Status"], row["Outcome"]) == (n, "AMB", "closed", "assured")
    assert row["Partner name"] == "Demo Ambulance Service NHS Trust"
    # the framework's name for the measure and 'Red', not the internal id and 'RED'
    assert row["Evidence"] == "Staff trained to their safeguarding level · 2026-27 Q2 · 78.4% (1,803 of 2,300) · Red"
    hist = ch.history(engine, n)
    assert list(hist["What"]) == ["raised", "responded", "closed (assured)"]
    assert list(hist["From"]) == ["", "open", "responded"]
    assert list(hist["To"]) == ["open", "responded", "closed"]
    assert list(hist["Who"]) == ["chair", "lead.ambulance", "chair"]
    ch.reopen(engine, n, "chair", "Figures fell again", due_date=date(2026, 12, 31), now=datetime(2026, 11, 20, 9))
    hist = ch.history(engine, n)
    assert list(hist["What"])[-1] == "reopened" and len(hist) == 4
    assert ch.challenge_log(engine, date(2026, 11, 23)).iloc[0]["Due"] == date(2026, 12, 31)


@pytest.mark.parametrize(
    "step,message",
    [
        (lambda e, n: ch.close(e, n, "assured", "chair"), "only be assured once the partner has responded"),
        (lambda e, n: ch.close(e, n, "happy", "chair"), "assured or escalated"),
        (lambda e, n: ch.respond(e, n, "   ", "lead"), "Write the partner's response"),
        (lambda e, n: ch.reopen(e, n, "chair", "because"), "is not closed"),
        (lambda e, n: ch.respond(e, 999, "x", "lead"), "no challenge number 999"),
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(engine, step, message):
    n = raise_one(engine)
    with pytest.raises(ch.ChallengeError, match=message):
        step(engine, n)
    assert len(ch.history(engine, n)) == 1
    assert ch.challenge_log(engine, date(2026, 11, 23)).iloc[0]["Status"] == "open"


def test_escalate_without_response_and_no_response_after_close(engine):
    n = raise_one(engine)
    ch.close(engine, n, "escalated", "chair", "No response by the due date")
    with pytest.raises(ch.ChallengeError, match="closed"):
        ch.respond(engine, n, "late answer", "lead")


def test_raise_checks_inputs(engine):
    with pytest.raises(ch.ChallengeError, match="no partner"):
        raise_one(engine, partner_code="NOPE")
    with pytest.raises(ch.ChallengeError, match="Write the question"):
        raise_one(engine, question=" ")
    with pytest.raises(ch.ChallengeError, match="before the meeting"):
        raise_one(engine, due_date=date(2026, 9, 1))


@pytest.mark.parametrize(
    "status,due,today,expected",
    [
        ("open", date(2026, 10, 29), date(2026, 10, 29), False),  # due today: not yet overdue
        ("open", date(2026, 10, 29), date(2026, 10, 30), True),
        ("responded", date(2026, 10, 29), date(2026, 12, 1), False),  # answered: nothing outstanding
        ("closed", date(2026, 10, 29), date(2026, 12, 1), False),
        ("open", None, date(2030, 1, 1), False),
        ("open", date(2026, 12, 31), date(2027, 1, 1), True),  # across a year end
    ],
)
def test_overdue(status, due, today, expected):
    assert ch.is_overdue(status, due, today) is expected


def test_log_filters_and_excel_export(engine):
    a = raise_one(engine)
    b = raise_one(engine, partner_code="POL", question="=HYPERLINK(\"http://x\")", evidence=ch.Evidence(measure="supervision"),
                  due_date=date(2026, 12, 30))
    ch.respond(engine, a, "Answer", "lead")
    today = date(2026, 11, 23)
    assert list(ch.challenge_log(engine, today, status="open")["No."]) == [b]
    assert list(ch.challenge_log(engine, today, measure="staff_trained")["No."]) == [a]
    assert ch.challenge_log(engine, today, overdue_only=True).empty
    assert list(ch.challenge_log(engine, date(2027, 1, 5), overdue_only=True)["No."]) == [b]
    log = ch.challenge_log(engine, today)
    ws = load_workbook(io.BytesIO(ch.log_workbook(log))).active
    header = [c.value for c in ws[1]]
    assert header == ch.LOG_COLUMNS
    q = ws.cell(2, header.index("Question") + 1)
    assert q.value == '=HYPERLINK("http://x")' and q.data_type == "s"  # text, never a live formula


@pytest.mark.parametrize(
    "evidence,unrounded,published",
    [
        (ch.Evidence("felt_safer", "2026-27 Q2", 37.5, 3, 8, "%", "red"),
         "Adults who felt safer after the enquiry · 2026-27 Q2 · 37.5% (3 of 8) · Red",
         "Adults who felt safer after the enquiry · 2026-27 Q2 · [c] ([c] of 10) · Red"),  # percentage withheld
        (EVIDENCE, "Staff trained to their safeguarding level · 2026-27 Q2 · 78.4% (1,803 of 2,300) · Red",
         "Staff trained to their safeguarding level · 2026-27 Q2 · 78.4% (1,803 of 2,300) · Red"),  # staff: as they are
        (ch.Evidence("audit_actions", "2026-27 Q2", 3.0, 3, None, "count"),
         "Audit actions required · 2026-27 Q2 · 3", "Audit actions required · 2026-27 Q2 · [c]"),
        (ch.Evidence("concerns", "2026-27 Q2", 701.0, 701, None, "count", None, "Rising"),
         "Safeguarding concerns received · 2026-27 Q2 · 701 · Rising",
         "Safeguarding concerns received · 2026-27 Q2 · 700 · Rising"),
        (ch.Evidence("retired_measure", "2025-26 Q1", None, None, None, None, "amber"),
         "retired_measure · 2025-26 Q1 · Amber", "retired_measure · 2025-26 Q1 · Amber"),
        (ch.Evidence(period="2026-27 Q1", note="Returns missing"), "2026-27 Q1 · Returns missing",
         "2026-27 Q1 · Returns missing"),
    ],
)
def test_evidence_in_words_and_in_publication_mode(evidence, unrounded, published):
    assert evidence.describe() == unrounded
    assert evidence.describe(publish=True) == published


def test_log_evidence_follows_publication_mode(engine):
    raise_one(engine, evidence=ch.Evidence("felt_safer", "2026-27 Q2", 37.5, 3, 8, "%", "red"))
    today = date(2026, 11, 23)
    assert ch.challenge_log(engine, today).iloc[0]["Evidence"].endswith("37.5% (3 of 8) · Red")
    assert ch.challenge_log(engine, today, publish=True).iloc[0]["Evidence"].endswith("[c] ([c] of 10) · Red")
    row = ch.challenge_log(engine, today).iloc[0]
    assert row["Outcome"] is None and row["Response"] is None  # an empty field is None, never NaN shown as 'nan'
