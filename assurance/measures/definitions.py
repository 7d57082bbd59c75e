"""One SQL definition per measure: a numerator and a denominator per row of a source, summed by quarter and partner.

A source is a fact table restricted to accepted submissions, with the period and partner each row counts for.
Adding a measure means adding a Definition here and an entry in framework.toml (assurance/defaults/ and the instance folder); nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, exists, literal
from sqlalchemy.sql import FromClause

from assurance.db.models import AssuranceMeasure, AuditResult, BoardAction, CalendarDay, Concern, Enquiry, ReportingPeriod, Submission
from assurance.measures.sql import days_before, days_between
from assurance.reference import codelists as cl

c, e, a, au, b = (t.__table__ for t in (Concern, Enquiry, AssuranceMeasure, AuditResult, BoardAction))
sub, cal, per = Submission.__table__, CalendarDay.__table__, ReportingPeriod.__table__
received_day, decided_day = cal.alias("received_day"), cal.alias("decided_day")
prior, prior_sub = c.alias("prior"), sub.alias("prior_sub")


def accepted(table) -> ColumnElement[bool]:
    return and_(sub.c.id == table.c.submission_id, sub.c.status == "accepted")


@dataclass(frozen=True)
class Source:
    name: str
    from_: FromClause
    period: ColumnElement
    partner: ColumnElement
    where: ColumnElement[bool] | None = None
    stored: bool = False  # large fact tables: quarter figures are kept in quarterly_figures


SOURCES = {
    "concerns": Source(
        "concerns",
        c.join(sub, accepted(c))
        .outerjoin(received_day, received_day.c.day == c.c.date_received)
        .outerjoin(decided_day, decided_day.c.day == c.c.decision_date),
        c.c.period_id, c.c.partner_id, stored=True,
    ),
    "enquiries": Source("enquiries", e.join(sub, accepted(e)), e.c.period_id, e.c.partner_id, stored=True),
    "assurance": Source("assurance", a.join(sub, accepted(a)), a.c.period_id, a.c.partner_id),
    "audits": Source("audits", au.join(sub, accepted(au)), au.c.period_id, au.c.agency_partner_id),
    "sar_actions": Source(
        "sar_actions", b.join(per, and_(b.c.due_date >= per.c.start_date, b.c.due_date <= per.c.end_date)),
        per.c.id, b.c.owner_partner_id, where=b.c.source == "SAR",
    ),
}


@dataclass(frozen=True)
class Definition:
    source: str
    numerator: ColumnElement
    denominator: ColumnElement | None = None  # None: a count, or a rate over the population baseline
    people: bool = True  # counts people (protected in publication mode); False: agencies' practice (staff, actions)
    # 1 on a row that reports the measure. A partner's quarter with no such row has not collected it: its figure is
    # null ([x]), never 0, and the Board's total sums only the partners who report it.
    reported: ColumnElement | None = None
    measure_code: str | None = None  # a figure a partner returns on the assurance return, under this code



def flag(condition) -> ColumnElement:
    return case((condition, 1), else_=0)


ONE = literal(1)
# The national labels come from assurance.reference.codelists, checked there against codelists.toml.
S42 = e.c.enquiry_type == cl.SECTION_42
RISK_IDENTIFIED = e.c.risk_assessment_outcome.in_(cl.RISK_IDENTIFIED)
LACKED = e.c.lacked_capacity == cl.LACKED_CAPACITY
EXPRESSED = e.c.msp_asked == cl.ASKED_EXPRESSED

repeat = exists().where(
    prior.c.partner_id == c.c.partner_id,
    prior.c.person_id == c.c.person_id,
    prior.c.date_received < c.c.date_received,
    prior.c.date_received >= days_before(c.c.date_received, 365),
    prior_sub.c.id == prior.c.submission_id,
    prior_sub.c.status == "accepted",
)


def assurance_figure(code: str, count: bool = False, people: bool = True) -> Definition:
    """A measure on the partner assurance return: collected from a partner only if its return has a row for it.
    people=False: a workforce figure (staff, not people at risk)."""
    return Definition(
        "assurance",
        case((a.c.measure_code == code, a.c.numerator), else_=0),
        None if count else case((a.c.measure_code == code, a.c.denominator), else_=0),
        reported=flag(a.c.measure_code == code), people=people, measure_code=code,
    )


def assurance_codes() -> dict[str, bool]:
    """The measure codes partners return on the assurance return, in definition order: code -> a rate (True) or a
    count (False)."""
    return {d.measure_code: d.denominator is not None for d in DEFINITIONS.values() if d.measure_code}


def decided_within(days: int, from_next_working_day: bool) -> ColumnElement:
    """1 for a concern decided within `days` working days of receipt.

    The calendar's running index counts working days up to and including each day, so index(decided) - index(received)
    is the working days after the day of receipt. Counted from the next working day, a concern received on a
    non-working day starts one index later (that next working day is day 0).
    """
    start = received_day.c.working_day_index
    if from_next_working_day:
        start = start + case((received_day.c.is_working_day, 0), else_=1)
    return flag(and_(c.c.decision_date.is_not(None), decided_day.c.working_day_index - start <= days))


# A definition replaced by another under a Board convention: (definition, weekend_receipt) -> definition used.
CONVENTION_VARIANTS = {("decision_timeliness", "next working day"): "decision_timeliness_next_working_day"}


def audit_domain(column) -> Definition:
    return Definition("audits", flag(column.in_(cl.GOOD_OR_BETTER)), flag(column.in_(cl.GRADED)))


DEFINITIONS: dict[str, Definition] = {
    "concerns": Definition("concerns", ONE),
    "concern_rate": Definition("concerns", ONE),
    "conversion": Definition("concerns", flag(c.c.outcome.in_(cl.LED_TO_ENQUIRY)), ONE),
    "decision_timeliness": Definition("concerns", decided_within(2, from_next_working_day=False), ONE),
    # The same, a concern received at a weekend or on a bank holiday counted from the next working day (the Board
    # chooses in board.toml [figures] weekend_receipt; both are kept so a change needs no rebuild).
    "decision_timeliness_next_working_day": Definition("concerns", decided_within(2, from_next_working_day=True), ONE),
    "repeat_concerns": Definition("concerns", flag(repeat), ONE),
    "ethnicity_recorded": Definition(
        "concerns", flag(c.c.ethnicity_broad.not_in((cl.ETHNICITY_REFUSED, cl.ETHNICITY_NOT_KNOWN))), ONE
    ),
    "enquiry_timeliness": Definition(
        "enquiries", flag(and_(S42, days_between(e.c.date_concluded, e.c.date_started) <= 60)), flag(S42)
    ),
    "msp_asked": Definition(
        "enquiries", flag(and_(S42, e.c.msp_asked.in_((cl.ASKED_EXPRESSED, cl.ASKED_NOT_EXPRESSED)))), flag(S42)
    ),
    "msp_achieved": Definition(
        "enquiries",
        flag(and_(S42, EXPRESSED, e.c.msp_achieved.in_(cl.ACHIEVED))),
        flag(and_(S42, EXPRESSED, e.c.msp_achieved.in_(cl.ACHIEVED_OR_NOT))),
    ),
    "risk_reduced_removed": Definition(
        "enquiries",
        flag(and_(S42, RISK_IDENTIFIED, e.c.risk_outcome.in_(cl.RISK_REDUCED_OR_REMOVED))),
        flag(and_(S42, RISK_IDENTIFIED, e.c.risk_outcome.in_(cl.RISK_OUTCOMES))),
    ),
    "capacity_supported": Definition(
        "enquiries", flag(and_(S42, LACKED, e.c.capacity_support == cl.YES)), flag(and_(S42, LACKED))
    ),
    "felt_safer": Definition(
        "enquiries", flag(and_(S42, e.c.felt_safer == cl.FELT_SAFER)), flag(and_(S42, e.c.felt_safer.in_(cl.FELT_SAFER_ANSWERED)))
    ),
    "staff_trained": assurance_figure("staff_trained", people=False),
    "mca_training": assurance_figure("mca_training", people=False),
    "supervision": assurance_figure("supervision", people=False),
    "concerns_raised": assurance_figure("concerns_raised", count=True),
    "dols_applications": assurance_figure("dols_applications", count=True),
    "audit_good": audit_domain(au.c.overall_grade),
    "audit_good_msp": audit_domain(au.c.grade_msp),
    "audit_good_risk": audit_domain(au.c.grade_risk),
    "audit_good_capacity": audit_domain(au.c.grade_capacity),
    "audit_good_partnership": audit_domain(au.c.grade_partnership),
    "audit_good_recording": audit_domain(au.c.grade_recording),
    "audit_good_outcome": audit_domain(au.c.grade_outcome),
    "audit_actions": Definition("audits", flag(and_(au.c.action_required.is_not(None), au.c.action_required != ""))),
    "sar_actions_on_time": Definition(
        "sar_actions",
        flag(and_(b.c.status == "Completed", b.c.completed_date.is_not(None), b.c.completed_date <= b.c.due_date)),
        ONE, people=False,
    ),
}
