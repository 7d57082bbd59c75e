"""Counts behind the review pages, grouped in SQL (only small aggregates come back).

Everything reads the latest accepted returns. Demographics count individuals (each person once);
enquiry breakdowns count concluded Section 42 enquiries, one count per different category.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, case, func, or_, select

from assurance.db.models import AuditResult, Concern, Enquiry, EnquiryRisk, Partner, ReportingPeriod, Submission
from assurance.reference import codelists as cl

c, e, r, au = Concern.__table__, Enquiry.__table__, EnquiryRisk.__table__, AuditResult.__table__
sub, per, partners = Submission.__table__, ReportingPeriod.__table__, Partner.__table__
S42 = e.c.enquiry_type == cl.SECTION_42  # national labels come from assurance.reference.codelists
DEMOGRAPHICS = {"age_band": "Age band", "gender": "Gender", "ethnicity_broad": "Ethnicity (broad)",
                "ethnicity_detailed": "Ethnicity (detailed)", "primary_support_reason": "Primary support reason"}
# Columns answered from a national codelist are headed by the codelist's own name (assurance.reference).
CONCERN_COLUMNS = {**DEMOGRAPHICS, "referral_source": cl.codelist("referral_source").name,
                   "outcome": cl.codelist("concern_outcome").name}
ENQUIRY_COLUMNS = {
    **{column: cl.codelist(key).name for column, key in (
        ("risk_assessment_outcome", "risk_assessment_outcome"), ("risk_outcome", "risk_outcome"),
        ("msp_asked", "msp_asked"), ("msp_achieved", "msp_achieved"), ("lacked_capacity", "mental_capacity"),
        ("felt_safer", "felt_safer"))},
    "capacity_support": "Capacity support",  # a yes or no answer: the list's name says nothing
}
AUDIT_DOMAINS = {
    "grade_msp": "Making Safeguarding Personal", "grade_risk": "Risk assessment", "grade_capacity": "Mental capacity",
    "grade_partnership": "Partnership working", "grade_recording": "Recording", "grade_outcome": "Outcome for the adult",
    "overall_grade": "Overall",
}
GRADES = cl.AUDIT_GRADES


def _accepted(table):
    return and_(sub.c.id == table.c.submission_id, sub.c.status == "accepted")


def _ids(period_ids: int | Sequence[int]) -> list[int]:
    return [period_ids] if isinstance(period_ids, int) else list(period_ids)


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).all(), columns=columns)


def concerns_by(engine: Engine, column: str, period_ids, partner_id: int | None = None) -> pd.DataFrame:
    """Concerns received in the periods, by one column: columns [group, Concerns]."""
    col = c.c[column]
    stmt = (select(func.coalesce(col, "Not recorded"), func.count()).select_from(c.join(sub, _accepted(c)))
            .where(c.c.period_id.in_(_ids(period_ids))).group_by(col).order_by(func.count().desc()))
    if partner_id is not None:
        stmt = stmt.where(c.c.partner_id == partner_id)
    return _frame(engine, stmt, [CONCERN_COLUMNS.get(column, column), "Concerns"])


def _s42_people():
    """Concluded S42 enquiries with the demographics of their concern (matched on partner and concern ID)."""
    concern = c.alias("concern")
    accepted_ids = select(sub.c.id).where(sub.c.status == "accepted")
    joined = e.join(sub, _accepted(e)).outerjoin(concern, and_(
        concern.c.partner_id == e.c.partner_id, concern.c.concern_ref == e.c.concern_ref,
        concern.c.submission_id.in_(accepted_ids)))
    return joined, concern


NOT_RECORDED = cl.NOT_RECORDED


def unrecorded(key: str) -> str:
    """The not-recorded values of a demographic, in the national labels the tables show, e.g. 'Not Known'."""
    return " or ".join(v for v in cl.codelist(key).values if v in NOT_RECORDED)


ONCE_RULE = ("Each adult is counted once: in the group recorded on their latest concern in the period, a recorded "
             f"group winning over a blank or one not recorded (age band {unrecorded('age_band')}; gender "
             f"{unrecorded('gender')}; ethnicity {unrecorded('ethnicity_broad')}).")


def individuals_by(engine: Engine, column: str, period_ids, scope: str = "concerns",
                   partner_id: int | None = None) -> pd.DataFrame:
    """Individuals by a demographic column, in concerns received or in concluded S42 enquiries: each adult once.

    An adult (the partner's person ID) with several concerns in the periods asked for is counted in one group only:
    the value on their latest concern (latest received; for S42, the concern of the latest concluded enquiry), except
    that a recorded value wins over Not known, Refused or blank. Picked in SQL with a window function.
    """
    if scope == "concerns":
        col = c.c[column]
        who, order = (c.c.partner_id, c.c.person_id), (c.c.date_received.desc(), c.c.id.desc())
        base = select(col.label("grp"), func.row_number().over(
            partition_by=who, order_by=(case((or_(col.is_(None), col.in_(NOT_RECORDED)), 1), else_=0), *order)
        ).label("pick")).select_from(c.join(sub, _accepted(c))).where(c.c.period_id.in_(_ids(period_ids)))
        if partner_id is not None:
            base = base.where(c.c.partner_id == partner_id)
    else:
        joined, concern = _s42_people()
        col = concern.c[column]
        who = (e.c.partner_id, e.c.person_id)
        order = (e.c.date_concluded.desc(), concern.c.date_received.desc(), e.c.id.desc())
        base = select(col.label("grp"), func.row_number().over(
            partition_by=who, order_by=(case((or_(col.is_(None), col.in_(NOT_RECORDED)), 1), else_=0), *order)
        ).label("pick")).select_from(joined).where(S42, e.c.period_id.in_(_ids(period_ids)))
        if partner_id is not None:
            base = base.where(e.c.partner_id == partner_id)
    ranked = base.subquery("ranked")
    stmt = select(ranked.c.grp, func.count()).where(ranked.c.pick == 1).group_by(ranked.c.grp)
    out = _frame(engine, stmt, [DEMOGRAPHICS[column], "Individuals"])
    out[DEMOGRAPHICS[column]] = out[DEMOGRAPHICS[column]].fillna("Not recorded")
    return out.groupby(DEMOGRAPHICS[column], as_index=False)["Individuals"].sum()


def risk_categories(engine: Engine, dimension: str, period_ids, partner_id: int | None = None) -> pd.DataFrame:
    """Concluded S42 enquiries by type, location or source of risk: columns [category, Enquiries]."""
    stmt = (select(r.c.category, func.count(func.distinct(r.c.enquiry_id)))
            .select_from(r.join(e, e.c.id == r.c.enquiry_id).join(sub, _accepted(e)))
            .where(S42, r.c.dimension == dimension, e.c.period_id.in_(_ids(period_ids)))
            .group_by(r.c.category).order_by(func.count(func.distinct(r.c.enquiry_id)).desc()))
    if partner_id is not None:
        stmt = stmt.where(e.c.partner_id == partner_id)
    name = {"type": "Type of risk", "location": "Location of risk", "source": "Source of risk"}[dimension]
    return _frame(engine, stmt, [name, "Enquiries"])


def s42_concluded(engine: Engine, period_ids, partner_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(e.join(sub, _accepted(e))).where(S42, e.c.period_id.in_(_ids(period_ids)))
    if partner_id is not None:
        stmt = stmt.where(e.c.partner_id == partner_id)
    with engine.connect() as conn:
        return int(conn.scalar(stmt))


# An outcome column asked only of some enquiries: (the condition it applies under, the label for the rest, and what
# its percentages are of). Blank where it does not apply is by design ("not applicable"); blank where it does apply is
# a gap in recording ("not recorded").
APPLIES_WHEN = {
    "risk_outcome": (e.c.risk_assessment_outcome.in_(cl.RISK_IDENTIFIED), "Not applicable: no risk identified",
                     "concluded Section 42 enquiries where a risk was identified"),
    "msp_achieved": (e.c.msp_asked == cl.ASKED_EXPRESSED,
                     "Not applicable: no outcomes expressed", "concluded Section 42 enquiries where outcomes were expressed"),
    "capacity_support": (e.c.lacked_capacity == cl.LACKED_CAPACITY,
                         "Not applicable: not recorded as lacking capacity",
                         "concluded Section 42 enquiries where the adult lacked capacity"),
}
NOT_APPLICABLE_NOTE = ("Not applicable: left blank by design (no risk identified, no outcomes expressed, or not recorded as "
                       "lacking capacity). Not recorded: the question applied but no answer was returned.")


def enquiries_by(engine: Engine, column: str, period_ids, partner_id: int | None = None) -> pd.DataFrame:
    """Concluded S42 enquiries by one outcome column: columns [label, Enquiries]; blanks are "Not recorded" where the
    question applied and "Not applicable: ..." where it did not (APPLIES_WHEN)."""
    col = e.c[column]
    if column in APPLIES_WHEN:
        applies, not_applicable, _ = APPLIES_WHEN[column]
        label = case((applies, func.coalesce(col, "Not recorded")), else_=func.coalesce(col, not_applicable))
    else:
        label = func.coalesce(col, "Not recorded")
    stmt = (select(label, func.count()).select_from(e.join(sub, _accepted(e)))
            .where(S42, e.c.period_id.in_(_ids(period_ids))).group_by(label))
    if partner_id is not None:
        stmt = stmt.where(e.c.partner_id == partner_id)
    return _frame(engine, stmt, [ENQUIRY_COLUMNS[column], "Enquiries"])


def outcome_breakdown(engine: Engine, column: str, period_ids, partner_id: int | None = None) -> pd.DataFrame:
    """enquiries_by with "%": each answer's share of the enquiries the question applied to (halves rounded up);
    the not-applicable row has no percentage."""
    from assurance.numbers import share

    data = enquiries_by(engine, column, period_ids, partner_id)
    applicable = ~data.iloc[:, 0].str.startswith("Not applicable")
    base = int(data.loc[applicable, "Enquiries"].sum())
    data["%"] = [share(n, base) if ok else None for n, ok in zip(data["Enquiries"], applicable)]
    last = data.iloc[:, 0].map(lambda v: 2 if v.startswith("Not applicable") else 1 if v == "Not recorded" else 0)
    order = sorted(range(len(data)), key=lambda i: (last.iloc[i], -int(data["Enquiries"].iloc[i])))
    return data.iloc[order].reset_index(drop=True)  # answers, most first; then not recorded; then not applicable


def percent_of(column: str) -> str:
    """What an outcome column's percentages are of, in words."""
    return APPLIES_WHEN[column][2] if column in APPLIES_WHEN else "concluded Section 42 enquiries"


# percentage column -> (the measure's definition, its numerator column, its denominator column) in outcomes_by_group
OUTCOME_SHARES = {
    "Asked %": ("msp_asked", "Asked", "Asked of"),
    "Achieved %": ("msp_achieved", "Achieved", "Expressed"),
    "Risk reduced or removed %": ("risk_reduced_removed", "Reduced or removed", "Risk identified"),
    "Felt safer %": ("felt_safer", "Felt safer", "Answered"),
}


def outcomes_by_group(engine: Engine, column: str, period_ids, partner_id: int | None = None) -> pd.DataFrame:
    """MSP and risk outcomes by age band, gender or ethnicity: each measure's numerator and denominator, summed by
    group straight from its definition (assurance.measures.definitions), so a group's figures add up to the Board's."""
    from assurance.measures.definitions import DEFINITIONS

    joined, concern = _s42_people()
    group = func.coalesce(concern.c[column], "Not recorded")
    sums, cols = [], [DEMOGRAPHICS[column], "Enquiries"]
    for definition, numerator, denominator in OUTCOME_SHARES.values():
        d = DEFINITIONS[definition]
        sums += [func.coalesce(func.sum(d.numerator), 0), func.coalesce(func.sum(d.denominator), 0)]
        cols += [numerator, denominator]
    stmt = (select(group, func.count(), *sums).select_from(joined)
            .where(S42, e.c.period_id.in_(_ids(period_ids))).group_by(group))
    if partner_id is not None:
        stmt = stmt.where(e.c.partner_id == partner_id)
    return _frame(engine, stmt, cols)


def outcome_shares(by_group: pd.DataFrame, publish: bool) -> pd.DataFrame:
    """outcomes_by_group as each group's enquiries and outcome percentages; in publication mode a percentage of
    fewer than 10 cases (or beside a count of 1 to 4) is withheld."""
    from assurance.disclosure import publish_percent
    from assurance.numbers import share

    def pct(n, d):
        return publish_percent(n, d) if publish else share(n, d)

    out = by_group.iloc[:, :2].copy()
    for column, (_, num, den) in OUTCOME_SHARES.items():
        out[column] = [pct(n, d) for n, d in zip(by_group[num], by_group[den])]
    return out


def recording_completeness(engine: Engine, period_id: int) -> pd.DataFrame:
    """By partner: concerns received, and how many have ethnicity Refused or Not known."""
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    stmt = (select(partners.c.code, partners.c.name, func.count(),
                   one(c.c.ethnicity_broad == cl.ETHNICITY_REFUSED), one(c.c.ethnicity_broad == cl.ETHNICITY_NOT_KNOWN))
            .select_from(c.join(sub, _accepted(c)).join(partners, partners.c.id == c.c.partner_id))
            .where(c.c.period_id == period_id).group_by(partners.c.code, partners.c.name))
    return _frame(engine, stmt, ["Partner", "Partner name", "Concerns", "Refused", "Not known"])


def audit_grades(engine: Engine, period_ids, by: str = "domain", agency_id: int | None = None) -> pd.DataFrame:
    """Audit grade counts: by domain (one row per domain), theme or agency (overall grade)."""
    base = au.join(sub, _accepted(au))
    where = [au.c.period_id.in_(_ids(period_ids))]
    if agency_id is not None:
        where.append(au.c.agency_partner_id == agency_id)
    with engine.connect() as conn:
        if by == "domain":
            rows = []
            for column, label in AUDIT_DOMAINS.items():
                counts = dict(conn.execute(select(au.c[column], func.count()).select_from(base).where(*where)
                                           .group_by(au.c[column])).all())
                rows.append({"Domain": label, **{g: int(counts.get(g, 0)) for g in GRADES}})
            return pd.DataFrame(rows, columns=["Domain", *GRADES])
        key = au.c.theme if by == "theme" else au.c.agency
        data = conn.execute(select(key, au.c.overall_grade, func.count()).select_from(base).where(*where)
                            .group_by(key, au.c.overall_grade)).all()
    label = "Theme" if by == "theme" else "Agency"
    frame = pd.DataFrame(data, columns=[label, "Grade", "n"])
    if frame.empty:
        return pd.DataFrame(columns=[label, *cl.GRADED])
    table = frame.pivot_table(index=label, columns="Grade", values="n", aggfunc="sum", fill_value=0)
    return table.reindex(columns=list(cl.GRADED), fill_value=0).reset_index()


def audit_findings(engine: Engine, period_ids, search: str = "", agency_id: int | None = None,
                   limit: int = 500) -> pd.DataFrame:
    """Findings and actions, newest first, filtered by words in the findings, action, theme or agency."""
    stmt = (select(per.c.label, au.c.audit_ref, au.c.case_ref, au.c.audit_date, au.c.theme, au.c.agency, au.c.overall_grade,
                   au.c.findings, au.c.action_required)
            .select_from(au.join(sub, _accepted(au)).join(per, per.c.id == au.c.period_id))
            .where(au.c.period_id.in_(_ids(period_ids))).order_by(au.c.audit_date.desc(), au.c.id).limit(limit))
    if agency_id is not None:
        stmt = stmt.where(au.c.agency_partner_id == agency_id)
    for word in search.split():
        like = f"%{word.lower()}%"
        stmt = stmt.where(or_(*(func.lower(col).like(like) for col in (au.c.findings, au.c.action_required, au.c.theme, au.c.agency))))
    return _frame(engine, stmt, ["Period", "Audit", "Case", "Date", "Theme", "Agency", "Overall grade", "Findings",
                                 "Action required"])


def findings_summary(findings: pd.DataFrame) -> pd.DataFrame:
    """What publication mode shows instead of the case-by-case findings: audits and audits asking for an action, by
    theme and agency (a list of cases, counted row by row, would rebuild the suppressed grade tables)."""
    action = findings["Action required"].fillna("").astype(str).str.strip() != ""
    out = (findings.assign(action=action.astype(int))
           .groupby(["Theme", "Agency"], dropna=False)
           .agg(Audits=("Audit", "size"), **{"With an action": ("action", "sum")}).reset_index())
    return out.sort_values(["Theme", "Agency"]).reset_index(drop=True)
