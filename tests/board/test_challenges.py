import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assurance.access import audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import AccessDenied
from assurance.board import challenges as ch
from assurance.db.models import AuditEvent, Challenge, ChallengeEvent, Partner

CHAIR = UserInfo(None, "chair", "Chair", "chair")
QA = UserInfo(None, "qa", "QA member", "qa")
ADMIN = UserInfo(None, "admin", "Administrator", "admin")


def lead(engine, code="AMB", username="lead.ambulance"):
    """A partner lead for `code` (their partner's id read from the database)."""
    with engine.connect() as c:
        pid = c.scalar(select(Partner.id).where(Partner.code == code))
    return UserInfo(None, username, username, "partner_lead", partner_id=pid, partner_code=code)


def rows(engine, model) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))

T0 = datetime(2026, 10, 1, 10, 0)
EVIDENCE = ch.Evidence(measure="staff_trained", period="2026-27 Q2", value=78.4, numerator=1803, denominator=2300,
                       unit="%", rag="red")


def raise_one(engine, **kw):
    args = dict(partner_code="AMB", question="Why has training compliance fallen?", by=CHAIR,
                evidence=EVIDENCE, meeting_date=date(2026, 10, 1), due_date=date(2026, 10, 29), now=T0)
    args.update(kw)
    return ch.raise_challenge(engine, **args)


def test_lifecycle_and_history(engine):
    n = raise_one(engine)
    ch.respond(engine, n, "Recovery plan in place; 92% expected by March.", lead(engine), now=datetime(2026, 10, 20, 9))
    ch.close(engine, n, "assured", CHAIR, "Assured by the recovery plan", now=datetime(2026, 11, 5, 11))
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
    ch.reopen(engine, n, CHAIR, "Figures fell again", due_date=date(2026, 12, 31), now=datetime(2026, 11, 20, 9))
    hist = ch.history(engine, n)
    assert list(hist["What"])[-1] == "reopened" and len(hist) == 4
    assert ch.challenge_log(engine, date(2026, 11, 23)).iloc[0]["Due"] == date(2026, 12, 31)


@pytest.mark.parametrize(
    "step,message",
    [
        (lambda e, n: ch.close(e, n, "assured", CHAIR), "only be assured once the partner has responded"),
        (lambda e, n: ch.close(e, n, "happy", CHAIR), "assured or escalated"),
        (lambda e, n: ch.respond(e, n, "   ", CHAIR), "Write the partner's response"),
        (lambda e, n: ch.reopen(e, n, CHAIR, "because"), "is not closed"),
        (lambda e, n: ch.respond(e, 999, "x", CHAIR), "no challenge number 999"),
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
    ch.close(engine, n, "escalated", CHAIR, "No response by the due date")
    with pytest.raises(ch.ChallengeError, match="closed"):
        ch.respond(engine, n, "late answer", CHAIR)


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
    ch.respond(engine, a, "Answer", CHAIR)
    today = date(2026, 11, 23)
    assert list(ch.challenge_log(engine, today, status="open")["No."]) == [b]
    assert list(ch.challenge_log(engine, today, measure="staff_trained")["No."]) == [a]
    assert ch.challenge_log(engine, today, overdue_only=True).empty
    assert list(ch.challenge_log(engine, date(2027, 1, 5), overdue_only=True)["No."]) == [b]
    log = ch.challenge_log(engine, today)
    ws = load_workbook(io.BytesIO(ch.log_workbook(ch.log_export(log)))).active
    header = [c.value for c in ws[1]]
    assert header == ch.EXPORT_COLUMNS
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


# --- permissions and the audit record, inside the operation ---------------------------------------------------


@pytest.mark.parametrize(
    "who,closed_first,step",
    [
        ("admin", False, lambda e, n, u: ch.raise_challenge(e, partner_code="AMB", question="Why?", by=u)),
        ("lead POL", False, lambda e, n, u: ch.respond(e, n, "An answer", u)),  # another partner's challenge
        ("admin", False, lambda e, n, u: ch.respond(e, n, "An answer", u)),
        ("qa", False, lambda e, n, u: ch.close(e, n, "escalated", u, "No answer")),
        ("lead AMB", False, lambda e, n, u: ch.close(e, n, "escalated", u, "No answer")),
        ("qa", True, lambda e, n, u: ch.reopen(e, n, u, "New figures")),
    ],
)
def test_a_user_without_the_permission_is_refused_and_nothing_is_written(engine, who, closed_first, step):
    n = raise_one(engine)
    if closed_first:
        ch.close(engine, n, "escalated", CHAIR, "No answer")
    user = {"admin": ADMIN, "qa": QA, "lead POL": lead(engine, "POL", "lead.police"), "lead AMB": lead(engine)}[who]
    before = (rows(engine, Challenge), rows(engine, ChallengeEvent), rows(engine, AuditEvent))
    status = ch.challenge_log(engine, date(2026, 11, 23)).set_index("No.").loc[n, "Status"]
    with pytest.raises(AccessDenied):
        step(engine, n, user)
    assert (rows(engine, Challenge), rows(engine, ChallengeEvent), rows(engine, AuditEvent)) == before
    assert ch.challenge_log(engine, date(2026, 11, 23)).set_index("No.").loc[n, "Status"] == status


def test_each_change_writes_its_audit_record_as_the_user(engine):
    amb_lead = lead(engine)
    n = raise_one(engine, by=QA)
    ch.respond(engine, n, "Recovery plan agreed.", amb_lead, address="10.0.0.7")
    ch.close(engine, n, "assured", CHAIR, "Assured")
    ch.reopen(engine, n, CHAIR, "Figures fell again")
    events = audit.search(engine).iloc[::-1]
    assert list(zip(events["Who"], events["Action"], events["Target"])) == [
        ("qa", audit.CHALLENGE_RAISED, f"challenge {n}"),
        ("lead.ambulance", audit.CHALLENGE_RESPONDED, f"challenge {n}"),
        ("chair", audit.CHALLENGE_CLOSED, f"challenge {n}"),
        ("chair", audit.CHALLENGE_REOPENED, f"challenge {n}"),
    ]
    assert events.iloc[1]["From"] == "10.0.0.7"
    assert list(ch.history(engine, n)["Who"]) == ["qa", "lead.ambulance", "chair", "chair"]


def test_what_a_user_may_do_next_is_asked_of_the_domain(engine):
    amb = lead(engine)
    assert ch.next_steps(CHAIR, "responded", amb.partner_id) == {"close"}
    assert ch.next_steps(CHAIR, "open", amb.partner_id) == {"respond", "close"}
    assert ch.next_steps(CHAIR, "closed", amb.partner_id) == {"reopen"}
    assert ch.next_steps(amb, "responded", amb.partner_id) == {"respond"}  # may add to their response
    assert ch.next_steps(lead(engine, "POL", "lead.police"), "open", amb.partner_id) == set()
    assert ch.next_steps(ADMIN, "open", amb.partner_id) == set()


# --- one meaning of "open", and the log as exported ---------------------------------------------------------


def test_open_means_not_yet_closed_whichever_side_is_waiting(engine):
    waiting_partner = raise_one(engine)
    waiting_board = raise_one(engine)
    ch.respond(engine, waiting_board, "Plan in place.", CHAIR)
    closed = raise_one(engine)
    ch.close(engine, closed, "escalated", CHAIR, "No answer")
    log = ch.challenge_log(engine, date(2026, 11, 23))
    counts = ch.log_counts(log)
    assert (counts.total, counts.open, counts.awaiting_response, counts.awaiting_decision, counts.closed,
            counts.overdue) == (3, 2, 1, 1, 1, 1)
    assert ch.counts_line(counts, "Demo Ambulance Service NHS Trust") == (
        "**3** challenges for Demo Ambulance Service NHS Trust · **2** open (1 awaiting the partner's response, "
        "1 awaiting the Board's decision) · **1** overdue · **1** closed")
    assert set(log.loc[log["Status"].map(ch.is_open), "No."]) == {waiting_partner, waiting_board}


def test_the_excel_log_has_the_closing_note_and_date_and_measure_names(engine):
    n = raise_one(engine)
    ch.respond(engine, n, "Recovery plan in place; 92% expected by March.", lead(engine), now=datetime(2026, 10, 20, 9))
    ch.close(engine, n, "assured", CHAIR, "Assured by the recovery plan", now=datetime(2026, 11, 5, 11))
    ws = load_workbook(io.BytesIO(ch.log_workbook(ch.log_export(ch.challenge_log(engine, date(2026, 11, 23)))))).active
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["Measure"] == "Staff trained to their safeguarding level"  # the name, never the id staff_trained
    assert row["Closing note"] == "Assured by the recovery plan"
    assert row["Closed"].date() == date(2026, 11, 5) and row["Closed by"] == "chair"
    assert row["Response"] == "Recovery plan in place; 92% expected by March."
    assert row["Status"] == "Closed (assured)"
    assert "supervision" not in header and "staff_trained" not in [c.value for c in ws[2]]


def test_the_screen_log_puts_status_first_and_late_and_waiting_first(engine):
    done = raise_one(engine)
    ch.close(engine, done, "escalated", CHAIR, "No answer")
    later = raise_one(engine, due_date=date(2026, 12, 30))
    late = raise_one(engine, due_date=date(2026, 10, 20))
    answered = raise_one(engine)
    ch.respond(engine, answered, "Plan.", CHAIR)
    table = ch.log_table(ch.challenge_log(engine, date(2026, 11, 23)))
    assert list(table.columns[:4]) == ["No.", "Partner", "Status", "Due"]
    assert list(table["No."]) == [late, answered, later, done]
    assert list(table["Status"]) == ["Overdue: awaiting response", "Awaiting the Board's decision",
                                     "Awaiting response", "Closed (escalated)"]


def test_partner_view_opens_on_the_partner_with_the_most_red_measures(demo_engine):
    from assurance.board.partner import opening_partner, rag_cell_style
    from assurance.directory import list_partners
    from assurance.measures.compute import compute_figures

    label = "2026-27 Q2"
    partners = list_partners(demo_engine)
    reds = {p.code: sum(1 for m in compute_figures(demo_engine, p.code).framework.measures
                        if (x := compute_figures(demo_engine, p.code).get(m.id, label)) is not None
                        and x.rag == "red" and not x.small) for p in partners if p.type != "Board"}
    chosen = opening_partner(partners, lambda code: compute_figures(demo_engine, code), label)
    assert reds[chosen.code] == max(reds.values()) and max(reds.values()) > 0
    assert rag_cell_style("Red") == "background-color: #F4B6B6" and rag_cell_style("no return") == ""


def test_people_are_shown_by_name_and_times_to_the_minute(engine):
    from assurance.access.accounts import create_user

    maker = UserInfo(None, "setup", "setup", "admin")
    chair = create_user(engine, maker, "chris.chair", "Chris Chair", "chair")
    amb = create_user(engine, maker, "lead.amb", "Sam Lead (Ambulance)", "partner_lead", "AMB")
    n = raise_one(engine, by=chair, now=datetime(2026, 12, 1, 4, 27, 2))
    ch.respond(engine, n, "Plan agreed.", amb, now=datetime(2026, 12, 2, 9, 5, 59))
    ch.close(engine, n, "assured", CHAIR, "Assured", now=datetime(2026, 12, 3, 14, 0))  # 'chair': no such user here
    hist = ch.history(engine, n)
    assert list(hist["Who"]) == ["Chris Chair", "Sam Lead (Ambulance)", "chair"]  # a name; else the record as kept
    assert list(hist["When"]) == ["01/12/2026 04:27", "02/12/2026 09:05", "03/12/2026 14:00"]
    row = ch.challenge_log(engine, date(2026, 12, 5)).iloc[0]
    assert (row["Raised by"], row["Responded by"], row["Closed by"]) == ("Chris Chair", "Sam Lead (Ambulance)", "chair")
    exported = ch.log_export(ch.challenge_log(engine, date(2026, 12, 5))).iloc[0]
    assert (exported["Raised by"], exported["Responded by"]) == ("Chris Chair", "Sam Lead (Ambulance)")


def test_the_screen_log_names_the_partner_and_the_export_keeps_the_code(engine):
    raise_one(engine)
    log = ch.challenge_log(engine, date(2026, 11, 23))
    assert ch.log_table(log).iloc[0]["Partner"] == "Demo Ambulance Service NHS Trust"
    exported = ch.log_export(log).iloc[0]
    assert (exported["Partner"], exported["Partner name"]) == ("AMB", "Demo Ambulance Service NHS Trust")
