"""Synthetic demo Board: a seeded, deterministic generator calibrated to the national figures.

Everything it makes is synthetic and is labelled so on every screen. Volumes default to a
Luton-sized local authority (about 600 concerns a quarter) and scale to millions of rows.
Drift and gaps built in, so the dashboards have something true to find:
- the Ambulance Service's staff training falls below target over the last five quarters;
- the council's concern decisions slow down over the last four quarters;
- one quarter has many concerns with ethnicity not recorded;
- felt-safer was not recorded for one quarter; two partners miss assurance returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Column, Engine, MetaData, String, Table, func, inspect, select

from assurance.config import BoardConfig, ConfigError
from assurance.db.bootstrap import init_database
from assurance.db.engine import bulk_insert, reset_sequences, session_scope
from assurance.measures.definitions import assurance_codes
from assurance.measures.figures import refresh_figures
from assurance.db.models import (
    AssuranceMeasure,
    AuditResult,
    Base,
    Concern,
    Enquiry,
    EnquiryRisk,
    Partner,
    ReportingPeriod,
    Submission,
)
from assurance.periods import Period, period_range
from assurance.reference.calendar import add_working_days
from assurance.reference.codelists import codelist, ethnicity_broad_map
from assurance.reference.population import population_by_ethnicity

DEMO_USER = "demo analyst (synthetic)"

# Calibration targets (domain brief, national figures); tests check the generator hits them.
TARGETS = {
    "conversion": 0.30,
    "s42_share_of_concerns": 0.282,
    "female": 0.58,
    "age_18_64": 0.39,
    "age_85_plus": 0.27,
    "risk_identified": 0.68,
    "reduced_or_removed": 0.89,
    "own_home": 0.46,
    "msp_asked": 0.80,
    "msp_achieved": 0.94,
    "lacked_capacity": 0.30,
    "capacity_supported": 0.83,
    "repeat_within_12_months": 0.20,
    "s42_per_individual": 1.25,  # S42 enquiries per individual in a year (185,270 / 148,830)
    "s42_individuals_18_64": 0.39,  # share of individuals with an S42 enquiry aged 18-64
    "decision_within_2_days": 0.83,
    "enquiry_within_60_days": 0.76,
    "felt_safer": 0.775,
}

AGE_BANDS = ("18-64", "65-74", "75-84", "85-94", "95+", "Not known")
AGE_P = (0.40, 0.13, 0.195, 0.225, 0.045, 0.005)
GENDER = ("Female", "Male", "Not Known")
GENDER_P = (0.58, 0.41, 0.01)
PSR = codelist("primary_support_reason").values
PSR_P = (0.40, 0.04, 0.12, 0.09, 0.17, 0.05, 0.09, 0.04)
REFERRAL = codelist("referral_source").values
_REFERRAL_W = {
    "Police": 0.17, "Ambulance": 0.07, "Acute hospital": 0.12, "Mental health trust": 0.06,
    "Community health": 0.06, "GP / primary care": 0.05, "Care home provider": 0.12,
    "Home care provider": 0.07, "Housing": 0.04, "Local authority": 0.07,
    "Family / friend / neighbour": 0.06, "Self": 0.02, "CQC": 0.01, "Other local authority": 0.01,
    "Voluntary sector": 0.02, "Fire": 0.01, "Probation": 0.005, "Other": 0.015,
}
REFERRAL_P = tuple(_REFERRAL_W[r] for r in REFERRAL)
RISK_TYPES = codelist("type_of_risk").values
RISK_TYPE_P = (0.19, 0.03, 0.14, 0.14, 0.005, 0.045, 0.32, 0.075, 0.005, 0.005, 0.08)
LOCATIONS = codelist("location_of_risk").values
LOCATION_P = (0.46, 0.06, 0.04, 0.07, 0.20, 0.05, 0.03, 0.01, 0.08)
SOURCES = codelist("source_of_risk").values
SOURCE_P = (0.30, 0.60, 0.10)
RAO = codelist("risk_assessment_outcome").values
RAO_P = (0.62, 0.06, 0.09, 0.03, 0.08, 0.08, 0.04)
CAPACITY = codelist("mental_capacity").values
CAPACITY_P = (0.30, 0.60, 0.05, 0.05)
MSP_ASKED = codelist("msp_asked").values
MSP_ASKED_P = (0.66, 0.14, 0.12, 0.04, 0.04)
MSP_ACHIEVED = codelist("msp_achieved").values
MSP_ACHIEVED_P = (0.66, 0.28, 0.06)
THEMES = (
    "Self-neglect", "Domestic abuse", "Transitions to adult services", "Mental Capacity Act",
    "Hospital discharge", "Financial abuse", "Homelessness", "Substance misuse",
)
GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")
AUDIT_DOMAINS = ("grade_msp", "grade_risk", "grade_capacity", "grade_partnership", "grade_recording", "grade_outcome")
STAFF = {  # typical workforce sizes by partner type
    "Local authority": 1400, "Police": 1900, "Acute trust": 6200, "Mental health trust": 2600,
    "Community health": 1500, "Ambulance": 2300, "ICB": 380, "Fire": 520, "Probation": 310,
    "Housing": 260, "Care provider": 2100, "Voluntary": 140,
}
DOLS_TYPES = {"Local authority", "Acute trust", "Mental health trust", "Community health", "Care provider"}
# The assurance return's measures come from their definitions (definitions.assurance_codes); these only make the
# synthetic figures look like real ones. A new measure gets a rate near 92% or a count, with nothing added here.
DENOMINATOR_SHARE = {"supervision": 0.35}  # of the staff who need training
STEADY = {"mca_training"}  # not part of the ambulance trust's drift
COUNT_SCALE = {"dols_applications": (90, 2)}  # (staff per item, at least); default (60, 3)
COLLECTED_BY = {"dols_applications": DOLS_TYPES}  # partner types that return the measure; default every type


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 2026
    quarters: int = 12
    concerns_per_quarter: int = 600
    today: date | None = None


@dataclass
class DemoSummary:
    first_period: str
    last_period: str
    partners: int
    submissions: int
    concerns: int
    enquiries: int
    risk_items: int
    assurance_rows: int
    audit_rows: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


Progress = Callable[[float, str], None]


# How concerns about the same adult hang together (calibrated so the targets above are met):
# a repeat concern is about an adult first raised in the previous 365 days; it is likelier to be about
# an adult whose first concern led to an S42 enquiry, and then likelier to lead to another one.
REPEAT_FROM_S42 = 0.6  # share of repeat concerns about an adult whose first concern led to an S42 enquiry
REPEAT_S42_AFTER_S42 = 0.7  # chance a repeat concern leads to an S42 enquiry when the first one did
REPEAT_S42_OTHERWISE = 0.12  # ... and when the first one did not
# Chance a first concern leads to an S42 enquiry, by age band (older adults a little likelier).
FIRST_S42_P = {"18-64": 0.222, "65-74": 0.227, "75-84": 0.229}
FIRST_S42_P_OLDEST = 0.231
OTHER_ENQUIRY_P = 0.018

DEMO_REFUSED = (
    "This Board is not in demo mode (demo = false in board.toml): "
    "the synthetic demo is never built into a real Board's database."
)


class DemoRefused(ConfigError):
    """The synthetic demo would be built into a Board that is not in demo mode."""


def reset_database(engine: Engine) -> None:
    """Drop the product's own tables (and Alembic's version table) so the schema can be built anew.

    Only tables this product defines are dropped: anything else in a shared database is left alone.
    """
    Base.metadata.drop_all(engine, checkfirst=True)
    version = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))
    version.drop(engine, checkfirst=True)


def holds_demo_data(engine: Engine) -> bool:
    """True when the database holds the synthetic demo (submissions recorded with source 'demo')."""
    if not inspect(engine).has_table(Submission.__tablename__):
        return False
    with engine.connect() as conn:
        return conn.scalar(select(Submission.id).where(Submission.source == "demo").limit(1)) is not None


def _dates_iso(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days.astype("datetime64[D]")).tolist()


def _choice(rng: np.random.Generator, labels, p, size) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return rng.choice(np.asarray(labels, dtype=object), size=size, p=p / p.sum())


def _person_ethnicities(rng, ages: np.ndarray, area: str) -> tuple[np.ndarray, np.ndarray]:
    """Detailed ethnicity per person, with gaps: the area's mix in the person's age band (its ethnic group by age
    baseline, where older adults are more often White), or without one the all-age mix tilted towards White."""
    from assurance.reference import ethnicity_by_age

    broad_map = ethnicity_broad_map()
    by_age = ethnicity_by_age.load(area)
    adults = by_age.adults(detailed=True) if by_age is not None else None
    pop = population_by_ethnicity(area)
    labels = list(adults or pop) + ["Refused", "Undeclared / Not known"]

    def cdf(counts: list[float]) -> np.ndarray:
        weights = np.append(np.array(counts, float) / sum(counts) * 0.93, [0.02, 0.05]).cumsum()
        return weights / weights[-1]

    if adults is None:
        cdfs = {None: cdf([pop[k] * (1.6 if broad_map[k] == "White" else 1.0) for k in pop])}
        band_of = np.full(len(ages), None, dtype=object)
    else:
        band = {"18-64": "18-64", "65-74": "65-74", "75-84": "75-84", "85-94": "85+", "95+": "85+"}
        cdfs = {b: cdf([adults[k][b] for k in adults]) for b in ethnicity_by_age.ADULT_BANDS}
        cdfs[None] = cdf([sum(adults[k].values()) for k in adults])  # age not known
        band_of = np.array([band.get(a) for a in ages], dtype=object)
    u = rng.random(len(ages))  # one draw per person, as a weighted choice takes
    idx = np.zeros(len(ages), dtype=int)
    for b, c in cdfs.items():
        hit = band_of == b if b is not None else np.array([x is None for x in band_of], dtype=bool)
        idx[hit] = np.searchsorted(c, u[hit], side="right")
    detailed = np.asarray(labels, dtype=object)[idx]
    return detailed, np.array([broad_map[d] for d in detailed], dtype=object)


def _quarter_counts(rng, periods: list[Period], per_quarter: int) -> np.ndarray:
    seasonal = {1: 1.0, 2: 1.03, 3: 0.97, 4: 1.0}
    counts = [
        per_quarter * (1 + 0.035 * i / 4) * seasonal[p.quarter] * rng.normal(1.0, 0.03)
        for i, p in enumerate(periods)
    ]
    return np.maximum(np.round(counts).astype(int), 1)


def _random_days(rng, period: Period, n: int) -> np.ndarray:
    """Days within the quarter, weekdays three times as likely as weekend days."""
    days = np.arange(np.datetime64(period.start), np.datetime64(period.end) + 1)
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    w = np.where(weekday < 5, 3.0, 1.0)
    return rng.choice(days, size=n, p=w / w.sum())


def build_demo(engine: Engine, board: BoardConfig, spec: DemoSpec = DemoSpec(), progress: Progress | None = None) -> DemoSummary:
    """Rebuild the database as a synthetic demo Board (drops what was there).

    Refuses (DemoRefused, a ConfigError) unless the Board is in demo mode, so a real Board's data is never replaced.
    """
    if not board.demo:
        raise DemoRefused(DEMO_REFUSED)
    started = datetime.now()
    report = progress or (lambda _f, _m: None)
    rng = np.random.default_rng(spec.seed)
    last = Period.last_complete(spec.today)
    first = last.shift(-(spec.quarters - 1))
    periods = period_range(first, last)

    report(0.02, "Creating the schema, partners and periods")
    reset_database(engine)
    init_database(engine, board, today=spec.today, first=first)

    with session_scope(engine) as s:
        partners = {p.code: p for p in s.scalars(select(Partner).where(Partner.active))}
        period_rows = {p.label: p for p in s.scalars(select(ReportingPeriod))}
    la = next((p for p in partners.values() if "activity" in p.returns.split(",")), None)
    audit_group = next((p for p in partners.values() if "audit" in p.returns.split(",")), None)

    report(0.05, "Recording submissions")
    submissions = _make_submissions(engine, rng, spec, partners, period_rows, periods)

    summary = DemoSummary(first.label, last.label, len(partners), len(submissions), 0, 0, 0, 0, 0)
    if la is not None:
        report(0.10, "Generating concerns and enquiries")
        c, e, r = _generate_activity(engine, rng, spec, board, la, period_rows, periods, submissions, report)
        summary.concerns, summary.enquiries, summary.risk_items = c, e, r
    report(0.90, "Generating partner assurance returns")
    summary.assurance_rows = _generate_assurance(engine, rng, partners, period_rows, periods, submissions)
    if audit_group is not None:
        report(0.95, "Generating multi-agency audits")
        summary.audit_rows = _generate_audits(engine, rng, audit_group, partners, period_rows, periods, submissions)
    report(0.96, "Working out the quarterly figures")
    with engine.begin() as conn:
        refresh_figures(conn)
    report(0.97, "Adding SAR action plans, challenges and commentary")
    _generate_board_actions(engine, rng, partners, periods, spec)
    _generate_challenges(engine, periods, spec)
    with session_scope(engine) as s:
        for sub in s.scalars(select(Submission)):
            key = (sub.partner_id, sub.period_id, sub.return_type)
            sub.row_count = submissions[key][1]
    from assurance.access.demo_accounts import ensure_demo_accounts

    ensure_demo_accounts(engine)  # one account per role (demo Boards only)
    summary.seconds = (datetime.now() - started).total_seconds()
    report(1.0, "Demo database ready")
    return summary


def _make_submissions(engine, rng, spec, partners, period_rows, periods) -> dict[tuple[int, int, str], list]:
    """One accepted submission per partner, period and return type, with a few gaps and late returns.

    Returns {(partner_id, period_id, return_type): [submission_id, row_count]}.
    """
    missing = set()
    if len(periods) >= 6 and "FIRE" in partners:
        missing |= {("FIRE", periods[-6].label), ("FIRE", periods[-5].label)}
    if "HSG" in partners:
        missing.add(("HSG", periods[-1].label))
    out = {}
    with session_scope(engine) as s:
        for period in periods:
            pr = period_rows[period.label]
            for code, partner in sorted(partners.items()):
                for rtype in partner.returns.split(","):
                    if not rtype or (code, period.label) in missing and rtype == "assurance":
                        continue
                    late = rng.random() < 0.12
                    offset = int(rng.integers(1, 12)) if late else -int(rng.integers(0, 20))
                    when = datetime.combine(pr.due_date + timedelta(days=offset), time(9 + int(rng.integers(0, 8)), int(rng.integers(0, 60))))
                    name = f"{code} {period.label} {rtype}.xlsx"
                    sub = Submission(
                        partner_id=partner.id, period_id=pr.id, return_type=rtype, file_name=name,
                        sha256=hashlib.sha256(f"demo|{spec.seed}|{name}".encode()).hexdigest(),
                        submitted_by=DEMO_USER, submitted_at=when, status="accepted", source="demo",
                        template_version="demo", row_count=0, error_count=0, query_count=0,
                    )
                    s.add(sub)
                    s.flush()
                    out[(partner.id, pr.id, rtype)] = [sub.id, 0]
    return out


def _link_repeats(rng, firsts: np.ndarray, window_start: np.ndarray, p_age: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which adult each concern is about, and its chance of leading to an S42 enquiry.

    `firsts` are the (sorted) indices of each adult's first concern, `p_age` their age bands; every other
    concern repeats one of the first concerns raised in the 365 days before it (from `window_start` on).
    A concern leads to an S42 enquiry when its uniform draw `u` is below its chance.
    Returns (the index of the adult's first concern, per concern; the chance of an S42 enquiry, per concern).
    """
    n = len(window_start)
    s42_p = np.empty(n)
    s42_p[firsts] = np.select([p_age == band for band in FIRST_S42_P], list(FIRST_S42_P.values()), FIRST_S42_P_OLDEST)
    first_s42 = u[firsts] < s42_p[firsts]
    repeats = np.setdiff1d(np.arange(n), firsts, assume_unique=True)

    def pick(pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A random member of `pool` raised in each repeat's window, and whether there was one."""
        lo, hi = np.searchsorted(pool, window_start[repeats]), np.searchsorted(pool, repeats)
        if not len(pool):
            return np.zeros(len(repeats), dtype=np.int64), hi > lo
        k = lo + (rng.random(len(repeats)) * (hi - lo)).astype(np.int64)
        return pool[np.minimum(k, len(pool) - 1)], hi > lo

    about_s42, has_s42 = pick(firsts[first_s42])
    about_any, _ = pick(firsts)
    chosen = has_s42 & (rng.random(len(repeats)) < REPEAT_FROM_S42)
    person = np.arange(n)
    person[repeats] = np.where(chosen, about_s42, about_any)
    was_s42 = np.zeros(n, dtype=bool)
    was_s42[firsts] = first_s42
    s42_p[repeats] = np.where(was_s42[person[repeats]], REPEAT_S42_AFTER_S42, REPEAT_S42_OTHERWISE)
    return person, s42_p


def _generate_activity(engine, rng, spec, board, la, period_rows, periods, submissions, report) -> tuple[int, int, int]:
    # One warm-up quarter before the first gives the first quarter its enquiries concluded from earlier concerns.
    all_periods = [periods[0].previous()] + periods
    counts = _quarter_counts(rng, all_periods, spec.concerns_per_quarter)
    n = int(counts.sum())
    quarter_idx = np.repeat(np.arange(len(all_periods)), counts)
    received = np.concatenate([_random_days(rng, p, c) for p, c in zip(all_periods, counts)])
    order = np.argsort(received, kind="stable")
    received, quarter_idx = received[order], quarter_idx[order]

    # People: a share of concerns (repeats) are about an adult first raised in the previous 365 days.
    window_start = np.searchsorted(received, received - np.timedelta64(365, "D"), side="left")
    idx = np.arange(n)
    repeat = rng.random(n) < TARGETS["repeat_within_12_months"]
    firsts = np.flatnonzero(~repeat)
    repeat &= np.searchsorted(firsts, idx) > np.searchsorted(firsts, window_start)  # someone to repeat
    firsts = np.flatnonzero(~repeat)  # each adult's first concern; adults are numbered by it
    n_people = len(firsts)
    p_age = _choice(rng, AGE_BANDS, AGE_P, n_people)
    u = rng.random(n)  # decides each concern's outcome (below)
    person, s42_p = _link_repeats(rng, firsts, window_start, p_age, u)
    person_idx = np.searchsorted(firsts, person)
    p_gender = _choice(rng, GENDER, GENDER_P, n_people)
    p_psr = _choice(rng, PSR, PSR_P, n_people)
    p_eth, p_broad = _person_ethnicities(rng, p_age, board.population_area)
    age = p_age[person_idx]
    eth, broad = p_eth[person_idx].copy(), p_broad[person_idx].copy()
    # Recording gap: in one quarter a third of concerns have ethnicity not recorded.
    gap_q = len(all_periods) - 5 if len(all_periods) >= 6 else None
    if gap_q is not None:
        hit = (quarter_idx == gap_q) & (rng.random(n) < 0.33)
        eth[hit], broad[hit] = "Undeclared / Not known", "Undeclared / Not Known"
    # A handful of concerns give only the broad group.
    broad_only = rng.random(n) < 0.01
    eth[broad_only] = None

    # Concern outcome (chances set by _link_repeats).
    outcome = np.where(u < s42_p, "Section 42 enquiry", np.where(u < s42_p + OTHER_ENQUIRY_P, "Other enquiry", "No enquiry"))

    # Decisions: working days after receipt; the council slows down over the last four quarters.
    drift = np.clip(quarter_idx - (len(all_periods) - 5), 0, 4) * 0.045
    within = rng.random(n) < (TARGETS["decision_within_2_days"] - drift)
    wd = np.where(within, rng.choice(3, size=n, p=[0.43, 0.41, 0.16]), rng.integers(3, 11, n))
    decision = add_working_days(received, wd)
    no_decision = rng.random(n) < 0.008
    decision_iso = _dates_iso(decision)

    # Concerns are stored from the first real quarter on.
    concern_ref = [f"C{i + 100001:07d}" for i in range(n)]
    person_ref = [f"P{p + 500001:07d}" for p in person.tolist()]
    referral = _choice(rng, REFERRAL, REFERRAL_P, n).tolist()
    received_iso = _dates_iso(received)
    sub_by_q = [submissions[(la.id, period_rows[p.label].id, "activity")][0] if i else None for i, p in enumerate(all_periods)]
    period_id_by_q = [period_rows[p.label].id if i else None for i, p in enumerate(all_periods)]
    age_l, gender_l, psr_l = age.tolist(), p_gender[person_idx].tolist(), p_psr[person_idx].tolist()
    eth_l, broad_l, outcome_l, q_l = eth.tolist(), broad.tolist(), outcome.tolist(), quarter_idx.tolist()
    nd = no_decision.tolist()
    cols = [
        "submission_id", "partner_id", "period_id", "concern_ref", "person_id", "date_received", "decision_date",
        "referral_source", "age_band", "gender", "ethnicity_detailed", "ethnicity_broad", "primary_support_reason", "outcome",
    ]
    rows = (
        (sub_by_q[q_l[i]], la.id, period_id_by_q[q_l[i]], concern_ref[i], person_ref[i], received_iso[i],
         None if nd[i] else decision_iso[i], referral[i], age_l[i], gender_l[i], eth_l[i], broad_l[i], psr_l[i], outcome_l[i])
        for i in range(n) if q_l[i] >= 1
    )
    report(0.35, f"Writing {int((quarter_idx >= 1).sum()):,} concerns")
    with engine.begin() as conn:
        n_concerns = bulk_insert(conn, Concern.__table__, cols, rows)
    for q, c in zip(range(1, len(all_periods)), np.bincount(quarter_idx, minlength=len(all_periods))[1:]):
        submissions[(la.id, period_id_by_q[q], "activity")][1] += int(c)

    # Enquiries: start a few days after the decision, conclude after a skewed duration.
    enq = np.flatnonzero((outcome != "No enquiry") & ~no_decision)
    m = len(enq)
    start = decision[enq] + rng.geometric(0.35, m).astype("timedelta64[D]") - np.timedelta64(1, "D")
    duration = np.maximum(np.round(rng.lognormal(np.log(36), 0.7, m)), 1).astype("timedelta64[D]")
    concluded = start + duration
    last_day = np.datetime64(periods[-1].end)
    done = (concluded <= last_day) & (concluded >= np.datetime64(periods[0].start))
    enq, start, concluded = enq[done], start[done], concluded[done]
    m = len(enq)
    conc_period = [Period.containing(d) for d in concluded.astype("datetime64[D]").astype(object)]
    conc_label = [p.label for p in conc_period]
    etype = np.where(outcome[enq] == "Section 42 enquiry", "Section 42", "Other").tolist()
    rao = _choice(rng, RAO, RAO_P, m)
    identified = np.char.startswith(rao.astype(str), "Risk identified")
    action = rao == RAO[0]
    ro_action = _choice(rng, ("Risk removed", "Risk reduced", "Risk remained"), (0.26, 0.67, 0.07), m)
    ro_noaction = _choice(rng, ("Risk removed", "Risk reduced", "Risk remained"), (0.10, 0.40, 0.50), m)
    risk_outcome = np.where(identified, np.where(action, ro_action, ro_noaction), None)
    capacity = _choice(rng, CAPACITY, CAPACITY_P, m)
    lacked = capacity == CAPACITY[0]
    support = np.where(lacked, np.where(rng.random(m) < 0.83, "Yes", "No"), None)
    asked = _choice(rng, MSP_ASKED, MSP_ASKED_P, m)
    achieved = np.where(asked == MSP_ASKED[0], _choice(rng, MSP_ACHIEVED, MSP_ACHIEVED_P, m), None)
    felt = _choice(rng, ("Yes", "No", "Not asked", None), (0.62, 0.18, 0.15, 0.05), m)
    # Recording gap: felt safer not collected in one quarter.
    if len(periods) >= 4:
        felt[np.array(conc_label) == periods[len(periods) // 3].label] = None
    start_iso, concl_iso = _dates_iso(start), _dates_iso(concluded)
    enq_l = enq.tolist()
    rao_l, ro_l, cap_l, sup_l = rao.tolist(), risk_outcome.tolist(), capacity.tolist(), support.tolist()
    asked_l, ach_l, felt_l = asked.tolist(), achieved.tolist(), felt.tolist()
    ecols = [
        "id", "submission_id", "partner_id", "period_id", "enquiry_ref", "concern_ref", "person_id", "enquiry_type",
        "date_started", "date_concluded", "risk_assessment_outcome", "risk_outcome", "lacked_capacity",
        "capacity_support", "msp_asked", "msp_achieved", "felt_safer",
    ]
    erows = (
        (k + 1, submissions[(la.id, period_rows[conc_label[k]].id, "activity")][0], la.id,
         period_rows[conc_label[k]].id, f"E{enq_l[k] + 100001:07d}", concern_ref[enq_l[k]], person_ref[enq_l[k]], etype[k],
         start_iso[k], concl_iso[k], rao_l[k], ro_l[k], cap_l[k], sup_l[k], asked_l[k], ach_l[k], felt_l[k])
        for k in range(m)
    )
    report(0.60, f"Writing {m:,} concluded enquiries")

    # Risk details: one or more types, locations and sources per enquiry.
    def multi(labels, p, extra_p):
        first_ = _choice(rng, labels, p, m)
        second = _choice(rng, labels, p, m)
        take2 = (rng.random(m) < extra_p) & (second != first_)
        return first_, np.where(take2, second, None)

    t1, t2 = multi(RISK_TYPES, RISK_TYPE_P, 0.22)
    l1, l2 = multi(LOCATIONS, LOCATION_P, 0.06)
    s1, s2 = multi(SOURCES, SOURCE_P, 0.05)
    risk_rows = []
    ids = list(range(1, m + 1))
    for dim, a, b in (("type", t1, t2), ("location", l1, l2), ("source", s1, s2)):
        risk_rows.extend(zip(ids, [dim] * m, a.tolist()))
        b_l = b.tolist()
        risk_rows.extend((ids[k], dim, b_l[k]) for k in range(m) if b_l[k] is not None)
    with engine.begin() as conn:
        n_enq = bulk_insert(conn, Enquiry.__table__, ecols, erows)
        report(0.80, f"Writing {len(risk_rows):,} risk details")
        n_risk = bulk_insert(conn, EnquiryRisk.__table__, ["enquiry_id", "dimension", "category"], risk_rows)
        reset_sequences(conn, [Enquiry.__table__])
    for label in conc_label:
        submissions[(la.id, period_rows[label].id, "activity")][1] += 1
    return n_concerns, n_enq, n_risk


def _generate_assurance(engine, rng, partners, period_rows, periods, submissions) -> int:
    rows = []
    measures = assurance_codes()
    drift_partner = "AMB"
    for code, partner in sorted(partners.items()):
        if "assurance" not in partner.returns.split(","):
            continue
        staff = STAFF.get(partner.type, 500)
        base = {m: float(np.clip(rng.normal(0.92, 0.025), 0.85, 0.98)) for m, rate in measures.items() if rate}
        for i, period in enumerate(periods):
            key = (partner.id, period_rows[period.label].id, "assurance")
            if key not in submissions:
                continue
            denominator = int(staff * rng.normal(1.0, 0.02))
            since_drift = i - (len(periods) - 5)
            for measure in measures:
                commentary = None
                if partner.type not in COLLECTED_BY.get(measure, {partner.type}):
                    continue
                if measure in base:
                    rate = base[measure] + rng.normal(0, 0.012)
                    if code == drift_partner and since_drift >= 0 and measure not in STEADY:
                        rate -= 0.035 * (since_drift + 1)
                        if since_drift >= 1:
                            commentary = (
                                "Compliance has fallen while staff were redeployed to meet winter demand; "
                                "a recovery plan with weekly e-learning sessions is in place."
                            )
                    den = int(denominator * DENOMINATOR_SHARE[measure]) if measure in DENOMINATOR_SHARE else denominator
                    num = int(round(min(rate, 1.0) * den))
                    rows.append((submissions[key][0], partner.id, key[1], measure, num, den, commentary))
                else:
                    per, least = COUNT_SCALE.get(measure, (60, 3))
                    num = int(rng.poisson(max(staff / per, least)))
                    rows.append((submissions[key][0], partner.id, key[1], measure, num, None, None))
                submissions[key][1] += 1
    cols = ["submission_id", "partner_id", "period_id", "measure_code", "numerator", "denominator", "commentary"]
    with engine.begin() as conn:
        return bulk_insert(conn, AssuranceMeasure.__table__, cols, rows)


_FINDINGS = {
    "Outstanding": "Exemplary multi-agency working; the adult's wishes were central throughout.",
    "Good": "Clear risk assessment and timely information sharing; the adult's views were recorded.",
    "Requires improvement": "Risk was identified but the plan was not shared with all agencies; limited evidence of the adult's views.",
    "Inadequate": "No mental capacity assessment despite indicators; escalation was delayed and the adult was not involved.",
}
_AUDIT_ACTIONS = {  # by theme: what an audit panel would ask of an agency whose work needs improving
    "Self-neglect": (
        "Record each refusal of support and the escalation step taken under the self-neglect protocol.",
        "Team managers to review open self-neglect cases in supervision every month.",
        "Refer repeat self-neglect cases to the multi-agency risk management meeting.",
    ),
    "Domestic abuse": (
        "Complete a DASH risk assessment at first contact and share high-risk cases with MARAC.",
        "Ask about domestic abuse routinely when an older adult has a carer.",
        "Check the safeguarding plan is shared with the independent domestic violence adviser.",
    ),
    "Transitions to adult services": (
        "Start transition planning at 16 and name a lead practitioner in the plan.",
        "Invite adult services to the final children's review for every young person at risk.",
        "Audit transition plans for a named adult safeguarding contact.",
    ),
    "Mental Capacity Act": (
        "Record decision-specific capacity assessments before safeguarding decisions are made.",
        "Show the adult's own words on what they want in every capacity assessment.",
        "Offer an independent advocate where the adult has no one else to support them.",
    ),
    "Hospital discharge": (
        "Hold a multi-agency discharge meeting before an adult with a safeguarding plan goes home.",
        "Send the safeguarding plan to the community team on the day of discharge.",
        "Check a carer's assessment has been offered before discharge.",
    ),
    "Financial abuse": (
        "Check for lasting power of attorney and deputyship when financial abuse is raised.",
        "Refer suspected financial abuse to the police economic crime unit within 2 working days.",
        "Brief front-line staff on the signs of financial abuse by family members.",
    ),
    "Homelessness": (
        "Make a duty to refer notification for every adult at risk of homelessness.",
        "Agree a joint housing and care plan for rough sleepers with care and support needs.",
        "Record the adult's address history and previous safeguarding contacts at assessment.",
    ),
    "Substance misuse": (
        "Invite the drug and alcohol service to strategy meetings for adults who use substances.",
        "Do not close a case because the adult is intoxicated: rearrange the visit and record why.",
        "Use the alcohol change 'blue light' approach for dependent drinkers who decline help.",
    ),
}


def _audit_action(theme: str, grade: str, case: int, agency: int) -> str | None:
    """The action an audit asks of an agency: none for outstanding or good work; for inadequate work, a re-audit too."""
    if grade not in ("Requires improvement", "Inadequate"):
        return None
    actions = _AUDIT_ACTIONS.get(theme, _AUDIT_ACTIONS["Self-neglect"])
    action = actions[(case + agency) % len(actions)]
    return action if grade == "Requires improvement" else action.removesuffix(".") + "; re-audit in two quarters."


def _generate_audits(engine, rng, audit_group, partners, period_rows, periods, submissions) -> int:
    agencies = [p for p in partners.values() if p.type not in ("Board",)]
    quality = {p.code: float(rng.normal(0, 0.4)) for p in agencies}
    rows = []
    for i, period in enumerate(periods):
        key = (audit_group.id, period_rows[period.label].id, "audit")
        theme = THEMES[i % len(THEMES)]
        days = np.arange(np.datetime64(period.start), np.datetime64(period.end) + 1)
        for case in range(4):
            audit_day = str(rng.choice(days))
            chosen = rng.choice(len(agencies), size=3, replace=False)
            for j in chosen:
                agency = agencies[int(j)]
                score = 0.85 + quality[agency.code] + rng.normal(0, 0.6)  # 0 Outstanding .. 3 Inadequate
                overall = GRADES[int(np.clip(round(score), 0, 3))]
                grades = []
                for d in AUDIT_DOMAINS:
                    if d == "grade_capacity" and rng.random() < 0.15:
                        grades.append("Not applicable")
                    else:
                        grades.append(GRADES[int(np.clip(round(score + rng.normal(0, 0.6)), 0, 3))])
                rows.append((
                    submissions[key][0], audit_group.id, key[1], f"AUD-{period.label[:7]}-Q{period.quarter}-{case + 1:02d}",
                    f"CASE-{i + 1:02d}{case + 1:02d}", audit_day, theme, agency.name, agency.id, *grades, overall,
                    _FINDINGS[overall], _audit_action(theme, overall, case, int(j)),
                ))
                submissions[key][1] += 1
    cols = [
        "submission_id", "partner_id", "period_id", "audit_ref", "case_ref", "audit_date", "theme", "agency",
        "agency_partner_id", *AUDIT_DOMAINS, "overall_grade", "findings", "action_required",
    ]
    with engine.begin() as conn:
        return bulk_insert(conn, AuditResult.__table__, cols, rows)


def database_is_empty(engine: Engine) -> bool:
    """True when there is no schema yet or no facts have been loaded."""
    from sqlalchemy import inspect

    if not inspect(engine).has_table("submissions"):
        return True
    with engine.connect() as conn:
        return not conn.scalar(select(func.count()).select_from(Submission.__table__))


_SARS = (  # recommendation, then each action: owner, action, evidence when done, a note if it runs late
    ("SAR-A", "Adult A: self-neglect and hoarding", [
        ("1", "Agencies use the self-neglect protocol and escalate when engagement fails.",
         [("LA", "Relaunch the self-neglect protocol with briefings for all adult social care teams.",
           "Protocol v3 published; 14 team briefings, 212 staff attended.",
           "Two briefings moved after the protocol's legal review."),
          ("HSG", "Add self-neglect prompts to tenancy visit checklists and refer concerns to adult social care.",
           "Revised tenancy visit checklist; referral log for the quarter.",
           "Checklist waiting for the new housing management system.")]),
        ("2", "Mental capacity assessments are specific to the decision and recorded.",
         [("ACU", "Audit capacity assessments in discharge planning every quarter and report to the safeguarding "
                  "committee.", "Two quarterly audits (40 records each) and the committee minutes.",
           "First audit done; the second was postponed by winter pressures."),
          ("CHS", "Deliver decision-specific capacity training to all district nurses.",
           "Training records: 168 of 180 district nurses trained.",
           "Sessions rebooked after trainer sickness; 60% trained so far.")]),
        ("3", "Multi-agency risk meetings are convened for high-risk self-neglect.",
         [("LA", "Set up a monthly multi-agency risk management meeting with terms of reference agreed by the Board.",
           "Terms of reference and the first six meetings' notes.",
           "Terms of reference agreed; the chair is still to be appointed."),
          ("FIRE", "Offer a home fire safety visit for every self-neglect referral.",
           "Referral pathway live; 37 visits completed in the quarter.",
           "Data-sharing agreement with adult social care awaiting signature.")]),
    ]),
    ("SAR-B", "Adult B: domestic abuse and an older carer", [
        ("1", "Practitioners recognise domestic abuse of older adults.",
         [("POL", "Include older victims in domestic abuse risk assessment training for response officers.",
           "Updated lesson plan; 9 of 10 response teams trained.",
           "Training slots shared with the new recruit course; completion moved on a month."),
          ("AMB", "Add domestic abuse prompts to crews' safeguarding referral form.",
           "New referral form in use on every vehicle tablet.",
           "Form change is in the supplier's next software release.")]),
        ("2", "Carers' needs are assessed when risk is identified.",
         [("LA", "Offer a carer's assessment at every safeguarding enquiry where there is a carer.",
           "Case recording system prompt; dip sample of 25 enquiries.",
           "Recording system change is booked; teams prompted by email meanwhile."),
          ("ICB", "Brief GP practices on carers' assessments and the referral route.",
           "Bulletin to all 38 practices and a lunchtime webinar recording.",
           "Webinar moved to the next protected learning time.")]),
    ]),
)
IN_PROGRESS = "Work under way; on track for the due date."
LONGEST_OVERDUE = 100  # days: the demo's oldest open action, as a Board that reviews its plan each quarter would have


def _generate_board_actions(engine, rng, partners, periods, spec) -> None:
    """Two SAR action plans with a mix of completed, late and overdue actions, plus the audits' actions: nothing
    overdue by more than about a quarter, as on a plan the Board reviews at every meeting."""
    from assurance.board.actions import sync_audit_actions
    from assurance.db.models import BoardAction, SarReview

    today = spec.today or date.today()
    published = {"SAR-A": periods[max(len(periods) - 6, 0)].start + timedelta(days=20),
                 "SAR-B": periods[-1].start + timedelta(days=40)}  # recent: some of its actions are still to come
    now = datetime.combine(today, time(9, 0))
    with session_scope(engine) as s:
        for ref, title, recs in _SARS:
            review = SarReview(reference=ref, title=title, published=published[ref])
            s.add(review)
            s.flush()
            for k, (no, rec, actions) in enumerate(recs):
                for j, (code, text, evidence, delay) in enumerate(actions):
                    partner = partners.get(code)
                    due = published[ref] + timedelta(days=int(90 + 60 * k + 30 * j))
                    status, completed, progress = "Not started", None, None
                    if due < today:
                        roll = rng.random()
                        if roll < 0.6:
                            status, completed = "Completed", due - timedelta(days=int(rng.integers(0, 20)))
                        elif roll < 0.8 or due < today - timedelta(days=LONGEST_OVERDUE):  # done, but late
                            status, completed = "Completed", due + timedelta(days=int(rng.integers(5, 40)))
                        else:
                            status, progress = "In progress", f"Delayed: {delay}"
                        if completed and completed > today:
                            completed = today
                    elif due < today + timedelta(days=120):
                        status, progress = "In progress", IN_PROGRESS
                    s.add(BoardAction(
                        source="SAR", review_id=review.id, recommendation_no=no, recommendation=rec, action=text,
                        owner_partner_id=partner.id if partner else None, owner=partner.name if partner else code,
                        due_date=due, status=status, completed_date=completed, progress=progress,
                        evidence=evidence if status == "Completed" else None,
                        updated_by=DEMO_USER, updated_at=now,
                    ))
    sync_audit_actions(engine, actor=DEMO_USER)
    with session_scope(engine) as s:
        for a in s.scalars(select(BoardAction).where(BoardAction.source == "Audit").order_by(BoardAction.id)):
            roll = rng.random()
            if a.due_date < today and (roll < 0.8 or a.due_date < today - timedelta(days=LONGEST_OVERDUE)):
                late = roll > 0.65
                a.status = "Completed"
                a.completed_date = min(a.due_date + timedelta(days=int(rng.integers(-30, 0) if not late else rng.integers(1, 30))), today)
                a.evidence = f"Re-audit of {int(rng.integers(6, 16))} cases and the team briefing record."
            elif a.due_date < today:
                a.status, a.progress = "In progress", "Delayed: the re-audit sample is being drawn; briefings done."
            elif a.due_date < today + timedelta(days=60) and roll < 0.9:
                a.status, a.progress = "In progress", "Briefings booked; re-audit planned."


def _generate_challenges(engine, periods, spec) -> None:
    """A few challenges at different stages, with evidence taken from the demo's own figures, and QA commentary."""
    from assurance.board.challenges import Evidence, close, raise_challenge, respond
    from assurance.board.commentary import add_commentary
    from assurance.measures.compute import compute_figures

    today = spec.today or date.today()
    last, earlier = periods[-1].label, periods[-3].label if len(periods) >= 3 else periods[0].label

    def evidence(code, measure, label):
        f = compute_figures(engine, code).get(measure, label) if code else compute_figures(engine).get(measure, label)
        if f is None or f.value is None:
            return Evidence(measure=measure, period=label)
        return Evidence(measure, label, f.value, f.numerator, f.denominator, f.unit, f.rag)

    def at(d):
        return datetime.combine(d, time(10, 0))

    from assurance.access.accounts import UserInfo

    def demo(name: str, role: str, code: str | None = None) -> UserInfo:  # who the records name (not accounts)
        with session_scope(engine) as s:
            pid = s.scalar(select(Partner.id).where(Partner.code == code)) if code else None
        return UserInfo(None, name, name, role, partner_id=pid, partner_code=code)

    chair, qa = demo("Board chair (demo)", "chair"), demo("QA subgroup (demo)", "qa")
    where = {"via": "cli", "address": "cli"}  # the audit trail: built by the demo command

    meeting = today - timedelta(days=12)
    n = raise_challenge(engine, partner_code="AMB", question="Staff training has fallen below 90% for several quarters: "
                        "what is the recovery plan and when will compliance be back on target?", by=chair,
                        evidence=evidence("AMB", "staff_trained", last), meeting_date=meeting,
                        due_date=meeting + timedelta(days=28), now=at(meeting), **where)
    respond(engine, n, "Training is back in every crew's rota from January; we expect 90% by the end of Q4.",
            demo("Ambulance safeguarding lead (demo)", "partner_lead", "AMB"), now=at(meeting + timedelta(days=9)), **where)
    raise_challenge(engine, partner_code="LA", question="Fewer concerns are decided within 2 working days each quarter: "
                    "what is causing the delay and how is risk managed while adults wait?", by=qa,
                    evidence=evidence("LA", "decision_timeliness", last), meeting_date=meeting,
                    due_date=meeting + timedelta(days=28), now=at(meeting), **where)
    old_meeting = periods[-2].start + timedelta(days=40)
    m = raise_challenge(engine, partner_code="FIRE", question="Two quarterly assurance returns are missing: "
                        "when will the service send them?", by=chair, source="partner view",
                        evidence=Evidence(period=earlier, note="Assurance returns missing for two quarters"),
                        meeting_date=old_meeting, due_date=old_meeting + timedelta(days=21), now=at(old_meeting), **where)
    respond(engine, m, "Returns were delayed by a change of lead; both are now submitted.",
            demo("Fire safeguarding lead (demo)", "partner_lead", "FIRE"), now=at(old_meeting + timedelta(days=15)), **where)
    close(engine, m, "assured", chair, "Both returns received.", now=at(old_meeting + timedelta(days=30)), **where)
    add_commentary(engine, "decision_timeliness", last, "Decisions have slowed as the front door team carried two "
                   "vacancies; agency staff started in September. Expect recovery from Q3.", qa, now=at(meeting), **where)
    add_commentary(engine, "ethnicity_recorded", periods[-5].label if len(periods) >= 5 else last,
                   "A new case system went live this quarter and ethnicity was not carried over for a third of records.",
                   qa, now=at(meeting), **where)


# --- synthetic ethnic group by age baseline -------------------------------------------------------------------

SYNTHETIC_BASELINE_NOTE = ("SYNTHETIC demo baseline, not Census data: made up to agree with {area}'s Census 2021 "
                           "ethnic group totals and ONS mid-2020 adults by age band")
# Made-up age profiles (share of each broad group's residents in 0-17, 18-64, 65-74, 75-84, 85+): White residents
# older, as in most English areas.
_AGE_PROFILE = {
    "White": (0.17, 0.58, 0.12, 0.08, 0.05),
    "Asian / Asian British": (0.33, 0.59, 0.05, 0.02, 0.01),
    "Black / African / Caribbean / Black British": (0.30, 0.62, 0.05, 0.02, 0.01),
    "Mixed / Multiple": (0.48, 0.49, 0.02, 0.007, 0.003),
    "Other Ethnic Group": (0.28, 0.66, 0.04, 0.015, 0.005),
}


def synthetic_ethnicity_by_age(area: str):
    """A made-up residents table by Census ethnic group and age band whose group totals are the area's Census 2021
    figures and whose adult band totals are its ONS mid-2020 adults (children take the rest): raked from the
    profiles above, then rounded band by band (largest remainder) so both margins hold exactly."""
    from assurance.reference import ethnicity_by_age as eba
    from assurance.reference import population as pop

    census, broad = pop.census_map(), ethnicity_broad_map()
    totals = pop.census_residents(area)
    groups = sorted(totals)
    adults = pop.adults_by_age_band(area)
    band_totals = np.array([sum(totals.values()) - sum(adults.values())] + [adults[b] for b in eba.ADULT_BANDS], float)
    rows = np.array([totals[g] for g in groups], float)
    fit = np.array([_AGE_PROFILE[broad[census[g]]] for g in groups], float) * rows[:, None]
    for _ in range(500):  # iterative proportional fitting to both margins
        fit *= (rows / fit.sum(axis=1))[:, None]
        fit *= band_totals / fit.sum(axis=0)
    cells = np.zeros(fit.shape, dtype=int)
    for j in range(1, fit.shape[1]):  # each adult band apportioned exactly; children take each group's remainder
        base = np.floor(fit[:, j]).astype(int)
        short = int(band_totals[j]) - int(base.sum())
        base[np.argsort(-(fit[:, j] - base), kind="stable")[:short]] += 1
        cells[:, j] = base
    cells[:, 0] = rows.astype(int) - cells[:, 1:].sum(axis=1)
    residents = {(g, b): int(cells[i, j]) for i, g in enumerate(groups) for j, b in enumerate(eba.BANDS)}
    return eba.EthnicityByAge(area, SYNTHETIC_BASELINE_NOTE.format(area=area), residents)
