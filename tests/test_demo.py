"""The synthetic Board is calibrated to the national figures it was given, and deterministic."""

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from assurance.config import ConfigError
from assurance.db.bootstrap import init_database
from assurance.db.engine import get_engine
from assurance.db.models import AssuranceMeasure, AuditResult, Concern, Enquiry, Partner, ReportingPeriod, Submission
from assurance.demo import TARGETS, DemoSpec, build_demo, holds_demo_data
from assurance.reference.calendar import working_days_after
from tests.conftest import DEMO_SPEC


@pytest.fixture(scope="module")
def facts(demo_db):
    url, summary = demo_db
    eng = get_engine(url)
    with eng.connect() as c:
        concerns = c.execute(select(Concern.person_id, Concern.date_received, Concern.decision_date, Concern.age_band,
                                    Concern.gender, Concern.ethnicity_broad, Concern.outcome, Concern.period_id)).all()
        enquiries = c.execute(select(Enquiry.id, Enquiry.enquiry_type, Enquiry.date_started, Enquiry.date_concluded,
                                     Enquiry.risk_assessment_outcome, Enquiry.risk_outcome, Enquiry.lacked_capacity,
                                     Enquiry.capacity_support, Enquiry.msp_asked, Enquiry.msp_achieved, Enquiry.felt_safer)
                              .where(Enquiry.enquiry_type == "Section 42")).all()
        locations = c.execute(text("SELECT r.category FROM enquiry_risks r JOIN enquiries e ON e.id = r.enquiry_id "
                                   "WHERE r.dimension = 'location' AND e.enquiry_type = 'Section 42'")).scalars().all()
        periods = {r.id: r.label for r in c.execute(select(ReportingPeriod.id, ReportingPeriod.label))}
    return summary, concerns, enquiries, locations, periods


def near(actual, target, tol):
    assert abs(actual - target) <= tol, f"{actual:.3f} not within {tol} of {target}"


def test_shape_of_the_board(facts, demo_db):
    summary, concerns, enquiries, _, periods = facts
    assert summary.first_period == "2023-24 Q3" and summary.last_period == "2026-27 Q2"  # 12 quarters to the last complete one
    assert summary.partners == 12
    per_q = Counter(periods[c.period_id] for c in concerns)
    assert len(per_q) == 12
    assert all(0.85 * DEMO_SPEC.concerns_per_quarter <= n <= 1.25 * DEMO_SPEC.concerns_per_quarter for n in per_q.values())
    assert summary.concerns == len(concerns)


def test_concern_mix_is_calibrated(facts):
    _, concerns, *_ = facts
    n = len(concerns)
    outcomes = Counter(c.outcome for c in concerns)
    near((outcomes["Section 42 enquiry"] + outcomes["Other enquiry"]) / n, TARGETS["conversion"], 0.03)
    # Individuals: gender and age mix.
    people = {c.person_id: c for c in concerns}
    near(sum(p.gender == "Female" for p in people.values()) / len(people), TARGETS["female"], 0.03)
    near(sum(p.age_band == "18-64" for p in people.values()) / len(people), TARGETS["age_18_64"], 0.03)
    near(sum(p.age_band in ("85-94", "95+") for p in people.values()) / len(people), TARGETS["age_85_plus"], 0.03)
    white = sum(c.ethnicity_broad == "White" for c in concerns) / n
    assert 0.45 < white < 0.75  # Luton's mix, tilted towards White as older adults are


def test_repeat_concerns_and_decision_timeliness(facts):
    _, concerns, *_ = facts
    by_person = defaultdict(list)
    for c in concerns:
        by_person[c.person_id].append(c.date_received)
    first_year_end = min(c.date_received for c in concerns) + timedelta(days=365)
    later = [c for c in concerns if c.date_received >= first_year_end]
    repeats = sum(
        any(c.date_received - timedelta(days=365) <= d < c.date_received for d in by_person[c.person_id]) for c in later
    )
    assert TARGETS["repeat_within_12_months"] == 0.20  # the brief's figure, and what the generator uses
    near(repeats / len(later), TARGETS["repeat_within_12_months"], 0.03)
    early = sorted(concerns, key=lambda c: c.date_received)[: len(concerns) // 2]  # before the council's drift
    within = sum(c.decision_date is not None and working_days_after(c.date_received, c.decision_date) <= 2 for c in early)
    near(within / len(early), TARGETS["decision_within_2_days"], 0.04)


def test_enquiry_outcomes_are_calibrated(facts):
    _, _, enq, locations, _ = facts
    n = len(enq)
    identified = [e for e in enq if e.risk_assessment_outcome.startswith("Risk identified")]
    near(len(identified) / n, TARGETS["risk_identified"], 0.04)
    near(sum(e.risk_outcome in ("Risk reduced", "Risk removed") for e in identified) / len(identified), TARGETS["reduced_or_removed"], 0.035)
    assert all(e.risk_outcome is None for e in enq if not e.risk_assessment_outcome.startswith("Risk identified"))
    asked = sum(e.msp_asked.startswith("Yes") for e in enq)
    near(asked / n, TARGETS["msp_asked"], 0.035)
    expressed = [e for e in enq if e.msp_achieved]
    near(sum(e.msp_achieved != "Not achieved" for e in expressed) / len(expressed), TARGETS["msp_achieved"], 0.025)
    lacked = [e for e in enq if e.lacked_capacity == "Yes, they lacked capacity"]
    near(len(lacked) / n, TARGETS["lacked_capacity"], 0.035)
    near(sum(e.capacity_support == "Yes" for e in lacked) / len(lacked), TARGETS["capacity_supported"], 0.05)
    near(sum((e.date_concluded - e.date_started).days <= 60 for e in enq) / n, TARGETS["enquiry_within_60_days"], 0.05)
    yes, no = sum(e.felt_safer == "Yes" for e in enq), sum(e.felt_safer == "No" for e in enq)
    near(yes / (yes + no), TARGETS["felt_safer"], 0.04)
    near(locations.count("Own Home") / n, TARGETS["own_home"], 0.05)


def test_s42_enquiries_per_individual_in_a_financial_year(demo_db):
    """England 2024-25: 185,270 S42 enquiries about 148,830 individuals (~1.25 each); ~39% of them aged 18-64."""
    eng = get_engine(demo_db[0])
    with eng.connect() as c:
        rows = c.execute(
            select(ReportingPeriod.label, Enquiry.person_id)
            .join(ReportingPeriod, ReportingPeriod.id == Enquiry.period_id)
            .where(Enquiry.enquiry_type == "Section 42")
        ).all()
        age = dict(c.execute(select(Concern.person_id, Concern.age_band)).all())
    years = {"2024-25", "2025-26"}  # the demo's complete financial years
    assert years <= {label[:7] for label, _ in rows}
    for year in sorted(years):
        enquiries = [r for r in rows if r.label.startswith(year)]
        people = {r.person_id for r in enquiries}
        near(len(enquiries) / len(people), TARGETS["s42_per_individual"], 0.1)
    people = {r.person_id for r in rows if r.person_id in age}
    near(sum(age[p] == "18-64" for p in people) / len(people), TARGETS["s42_individuals_18_64"], 0.03)


def test_a_board_not_in_demo_mode_is_never_rebuilt(databases, board):
    url = databases.new()
    eng = get_engine(url)
    init_database(eng, board, today=date(2026, 11, 23))
    with pytest.raises(ConfigError, match=r"not in demo mode \(demo = false in board.toml\)"):
        build_demo(eng, replace(board, demo=False), DemoSpec(quarters=2, concerns_per_quarter=20, today=date(2026, 11, 23)))
    with eng.connect() as c:  # nothing was dropped or added
        assert c.scalar(select(func.count()).select_from(Partner)) == len(board.partners)
        assert c.scalar(select(func.count()).select_from(Submission)) == 0
    assert not holds_demo_data(eng)


def test_holds_demo_data(databases, demo_db, board):
    assert holds_demo_data(get_engine(demo_db[0]))
    empty = get_engine(databases.new())
    assert not holds_demo_data(empty)  # no schema at all
    init_database(empty, board, today=date(2026, 11, 23))
    assert not holds_demo_data(empty)  # a schema, partners and periods, but no facts


def test_rebuilding_leaves_other_tables_in_a_shared_database_alone(databases, board):
    url = databases.new()
    eng = get_engine(url)
    with eng.begin() as c:
        c.execute(text("CREATE TABLE other_system_records (id INTEGER PRIMARY KEY, note VARCHAR(40))"))
        c.execute(text("INSERT INTO other_system_records (id, note) VALUES (1, 'keep me')"))
    spec = DemoSpec(seed=3, quarters=2, concerns_per_quarter=40, today=date(2026, 11, 23))
    build_demo(eng, board, spec)
    build_demo(eng, board, spec)  # a rebuild drops and recreates the product's own tables only
    assert inspect(eng).has_table("other_system_records") and inspect(eng).has_table("alembic_version")
    with eng.connect() as c:
        assert c.execute(text("SELECT note FROM other_system_records")).scalars().all() == ["keep me"]
        assert c.scalar(select(func.count()).select_from(Partner)) == len(board.partners)
    assert holds_demo_data(eng)


def test_built_in_drift_and_gaps(demo_db):
    eng = get_engine(demo_db[0])
    with eng.connect() as c:
        amb = c.execute(
            select(ReportingPeriod.label, AssuranceMeasure.numerator, AssuranceMeasure.denominator)
            .join(ReportingPeriod, ReportingPeriod.id == AssuranceMeasure.period_id)
            .join(Partner, Partner.id == AssuranceMeasure.partner_id)
            .where(Partner.code == "AMB", AssuranceMeasure.measure_code == "staff_trained")
            .order_by(ReportingPeriod.start_date)
        ).all()
        hsg_latest = c.scalar(
            select(func.count()).select_from(Submission).join(Partner, Partner.id == Submission.partner_id)
            .join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
            .where(Partner.code == "HSG", ReportingPeriod.label == "2026-27 Q2")
        )
        audits = c.scalar(select(func.count()).select_from(AuditResult))
    rates = [n / d for _, n, d in amb]
    assert min(rates[:6]) > 0.84 and rates[-1] < 0.80  # the Ambulance Service drifts below a 90% target
    assert hsg_latest == 0  # a missing return for the tracker to find
    assert audits == 12 * 4 * 3


def test_same_seed_same_data(databases, board):
    spec = DemoSpec(seed=5, quarters=2, concerns_per_quarter=60, today=date(2026, 11, 23))

    def fingerprint(url):
        build_demo(get_engine(url), board, spec)
        with get_engine(url).connect() as c:
            return c.execute(text(
                "SELECT concern_ref, person_id, date_received, decision_date, ethnicity_broad, outcome FROM concerns ORDER BY concern_ref"
            )).all()

    first, second = fingerprint(databases.new()), fingerprint(databases.new())
    assert first == second and len(first) > 100
