"""The presentation layer: every table a review page shows, built once, and passed through the disclosure
policy on its way out. Pages draw a View; the data bundle (`python -m assurance tables`, the Downloads page)
writes the same Views as CSV files, so what leaves the product is exactly what the pages show.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from assurance import disclosure
from assurance.analysis import breakdowns as bd
from assurance.directory import PartnerInfo, PeriodInfo


@dataclass(frozen=True)
class View:
    """One table of one page section, unpublished, with what disclosure control needs to know about it."""

    page: str
    section: str
    frame: pd.DataFrame
    count_columns: tuple[str, ...] = ()  # counts of people: suppressed and rounded when published
    percent_columns: dict[str, str] = field(default_factory=dict)  # percentage -> the count it is a share of
    percent_of: dict[str, int] = field(default_factory=dict)  # percentage -> its denominator, if not the column total
    totals: bool = True  # False where categories overlap (no total can give a hidden cell away)
    published_frame: pd.DataFrame | None = None  # a section that publishes differently (e.g. an aggregate)

    def shown(self, publish: bool) -> pd.DataFrame:
        """The table as it leaves: unrounded for the QA subgroup, through the disclosure policy when published."""
        if not publish:
            return self.frame
        return disclosure.one_type_per_column(self._published())

    def _published(self) -> pd.DataFrame:
        if self.published_frame is not None:
            return self.published_frame
        present = [c for c in self.count_columns if c in self.frame.columns]
        if not present or self.frame.empty:
            return self.frame
        pcts = {p: c for p, c in self.percent_columns.items() if p in self.frame.columns and c in present}
        out = disclosure.publish_table(self.frame, present, row_totals=self.totals, column_totals=self.totals,
                                       percent_columns=pcts, percent_of=self.percent_of)
        if self.totals and disclosure.too_sparse(out, present):
            return disclosure.withheld_table(list(self.frame.columns))
        return out.astype({c: str for c in [*present, *pcts]})

    @property
    def file_name(self) -> str:
        return f"{_slug(self.page)}__{_slug(self.section)}.csv"


def _withheld(published: pd.DataFrame) -> bool:
    return len(published) == 1 and published.iloc[0, 0] == disclosure.TOO_SPARSE


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _share(frame: pd.DataFrame, count: str, total: int | None = None) -> list:
    from assurance.numbers import share

    den = int(frame[count].sum()) if total is None else total
    return [share(int(n), den) if den else 0.0 for n in frame[count]]


# --- Concerns and enquiries --------------------------------------------------------------------------------------

CONCERNS = "Concerns and enquiries"
RISK_DIMENSIONS = (("type", "type_of_risk"), ("location", "location_of_risk"), ("source", "source_of_risk"))


def referral_sources(engine: Engine, period: PeriodInfo, partner_id: int | None) -> View:
    ref = bd.concerns_by(engine, "referral_source", period.id, partner_id)
    ref["%"] = _share(ref, "Concerns")
    return View(CONCERNS, f"Referral sources {period.label}", ref, ("Concerns",), {"%": "Concerns"})


def risk_assessment_outcomes(engine: Engine, period: PeriodInfo, partner_id: int | None) -> View:
    rao = bd.enquiries_by(engine, "risk_assessment_outcome", period.id, partner_id)
    rao["%"] = _share(rao, "Enquiries")
    return View(CONCERNS, f"Risk assessment outcomes {period.label}", rao, ("Enquiries",), {"%": "Enquiries"})


def risk_categories(engine: Engine, period: PeriodInfo, partner_id: int | None, dimension: str,
                    england_shares: dict[str, float]) -> View:
    """Concluded S42 enquiries by type, location or source of risk: an enquiry counts under each of its categories,
    so no total can give a hidden cell away (primary suppression only); shares are of the enquiries."""
    n42 = bd.s42_concluded(engine, period.id, partner_id)
    data = bd.risk_categories(engine, dimension, period.id, partner_id)
    label = data.columns[0]
    data["% of enquiries"] = _share(data, "Enquiries", n42)
    data["England %"] = data[label].map(england_shares)
    return View(CONCERNS, f"{label} {period.label}", data, ("Enquiries",), {"% of enquiries": "Enquiries"},
                {"% of enquiries": n42}, totals=False)


# --- MSP and risk outcomes ---------------------------------------------------------------------------------------

OUTCOMES = "MSP and risk outcomes"
OUTCOME_BREAKDOWNS = ("msp_asked", "msp_achieved", "risk_outcome", "lacked_capacity", "felt_safer", "capacity_support")


def outcome_breakdown(engine: Engine, period: PeriodInfo, partner_id: int | None, column: str) -> View:
    """Answers to one question, each as a share of the enquiries the question applied to; the not-applicable row
    (blank by design) has no percentage."""
    data = bd.outcome_breakdown(engine, column, period.id, partner_id)
    not_applicable = data.iloc[:, 0].str.startswith("Not applicable")
    base = int(data.loc[~not_applicable, "Enquiries"].sum())
    section = f"{data.columns[0]} {period.label}"
    published = View(OUTCOMES, section, data, ("Enquiries",), {"%": "Enquiries"}, {"%": base}).shown(True)
    if not _withheld(published):
        published.loc[not_applicable.to_numpy(), "%"] = ""
    from assurance.numbers import fmt

    shown = data.assign(**{"%": ["" if na else fmt(v) for v, na in zip(data["%"], not_applicable)]})
    return View(OUTCOMES, section, shown, ("Enquiries",), published_frame=published)


def outcomes_by_group(engine: Engine, window: list[PeriodInfo], partner_id: int | None, group: str) -> View:
    by_group = bd.outcomes_by_group(engine, group, [p.id for p in window], partner_id)
    return View(OUTCOMES, f"Outcomes by {bd.DEMOGRAPHICS[group].lower()}",
                _one_decimal(bd.outcome_shares(by_group, False)), ("Enquiries",),
                published_frame=_one_decimal(_published_shares(by_group)))


def outcomes_by_group_chart(engine: Engine, window: list[PeriodInfo], partner_id: int | None, group: str,
                            publish: bool, minimum: int):
    """Asked about desired outcomes, by group: the bar chart (a share resting on fewer than `minimum` enquiries
    hatched, with a note; a withheld one not drawn) and a sentence on it. (None, sentence) when nothing is drawn."""
    from assurance.charts import Bars
    from assurance.numbers import fmt

    by_group = bd.outcomes_by_group(engine, group, [p.id for p in window], partner_id)
    shares = _published_shares(by_group) if publish else bd.outcome_shares(by_group, False)
    _, _, asked_of = bd.OUTCOME_SHARES["Asked %"]
    drawn = [(g, v, int(n)) for g, v, n in zip(shares.iloc[:, 0], shares["Asked %"], by_group[asked_of])
             if isinstance(v, float)]
    if not drawn:
        return None, "Every group is too small to compare."
    steady = [(g, v) for g, v, n in drawn if n >= minimum]
    low, high = min(steady, key=lambda x: x[1], default=None), max(steady, key=lambda x: x[1], default=None)
    summary = (f"Among groups of {minimum} or more enquiries, lowest: {low[0]} ({fmt(low[1])}%); highest: "
               f"{high[0]} ({fmt(high[1])}%)." if steady else "Every group is too small to compare.")
    if len(steady) < len(drawn):
        summary += f" A hatched bar rests on fewer than {minimum} enquiries: read it with care."
    return Bars([g for g, _, _ in drawn], [v for _, v, _ in drawn], "Asked about desired outcomes, by group",
                "% asked", counts=[n for _, _, n in drawn], minimum=minimum), summary


def _one_decimal(shares: pd.DataFrame) -> pd.DataFrame:
    """Each percentage written with one decimal (81.0, not 81), symbols as they are."""
    from assurance.numbers import fmt

    return shares.assign(**{c: [fmt(v) if isinstance(v, float) else v for v in shares[c]] for c in bd.OUTCOME_SHARES})


def _published_shares(by_group: pd.DataFrame) -> pd.DataFrame:
    out = bd.outcome_shares(by_group, True)
    hidden = disclosure.hidden_in_breakdown(by_group["Enquiries"].tolist())
    out["Enquiries"] = [disclosure.SUPPRESSED if h else disclosure.publish_count(v)
                        for v, h in zip(by_group["Enquiries"], hidden)]
    for column in bd.OUTCOME_SHARES:  # a hidden group's shares go with it
        out[column] = [disclosure.SUPPRESSED if h else v for v, h in zip(out[column], hidden)]
    return out.astype({"Enquiries": str})


# --- Audits -------------------------------------------------------------------------------------------------------

AUDITS = "Audits"


def audit_grades(engine: Engine, window: list[PeriodInfo], agency_id: int | None, by: str) -> View:
    frame = bd.audit_grades(engine, [p.id for p in window], by, agency_id)
    grades = tuple(g for g in bd.GRADES if g in frame.columns)
    return View(AUDITS, f"Audit grades by {by}", frame, grades if by == "domain" else grades[:4])


def worst_grade_first(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings with the weakest overall grade first (Inadequate, then Requires improvement, ...), newest first within."""
    order = {g: i for i, g in enumerate(reversed(bd.GRADES[:4]))}
    rank = findings["Overall grade"].map(order).fillna(len(order))
    return findings.iloc[rank.argsort(kind="stable")]


FINDINGS_ON_SCREEN = ["Audit", "Overall grade", "Theme", "Agency", "Action"]


@dataclass(frozen=True)
class FindingsTable:
    """The findings case by case as the Audits page lists them: weakest grade first, short columns each as wide as
    its text, and the finding and its action (long text) read in full on a row's selection."""

    frame: pd.DataFrame  # every column; FINDINGS_ON_SCREEN are drawn
    widths: dict[str, int]

    def detail(self, row: int) -> list[tuple[str, str]]:
        """A finding in full: (label, text) pairs, blank ones left out."""
        r = self.frame.iloc[row]
        return [(k, str(r[k])) for k in ("Audit", "Case", "Period", "Date", "Theme", "Agency", "Overall grade",
                                         "Findings", "Action required") if str(r.get(k, "")).strip()]


def findings_table(findings: pd.DataFrame) -> FindingsTable:
    from assurance.layout import column_widths

    out = worst_grade_first(findings).reset_index(drop=True)
    for c in ("Findings", "Action required", "Case", "Theme", "Agency"):
        out[c] = out[c].fillna("").astype(str)
    out["Date"] = [f"{pd.Timestamp(v):%d/%m/%Y}" if pd.notna(v) and str(v).strip() else "" for v in out["Date"]]
    out.insert(out.columns.get_loc("Findings"), "Action", ["Yes" if a.strip() else "" for a in out["Action required"]])
    out = out[FINDINGS_ON_SCREEN + [c for c in out.columns if c not in FINDINGS_ON_SCREEN]]
    return FindingsTable(out, column_widths(out, FINDINGS_ON_SCREEN))


def audit_findings(engine: Engine, window: list[PeriodInfo], agency_id: int | None, search: str = "") -> View:
    """The findings case by case for the QA subgroup; published, only by theme and agency (counted row by row, a
    list of cases would rebuild the grade tables)."""
    findings = bd.audit_findings(engine, [p.id for p in window], search, agency_id)
    summary = View(AUDITS, "", bd.findings_summary(findings), ("Audits", "With an action")).shown(True)
    return View(AUDITS, "Audit findings", findings, published_frame=summary)


# --- Submissions ---------------------------------------------------------------------------------------------------


def submissions_tracker(engine: Engine, period: PeriodInfo, partner: PartnerInfo | None) -> View:
    from assurance.returns.tracker import published_rows, tracker_frame

    df = tracker_frame(engine, period.label, partner_code=partner.code if partner else None)
    return View("Submissions", f"Tracker {period.label}", df, published_frame=published_rows(df, True))


# --- Overview and Partner view -------------------------------------------------------------------------------------

RAG_ORDER = ("Red", "Amber", "Green")


def red_first(frame: pd.DataFrame, column: str = "RAG") -> pd.DataFrame:
    """The rows red first, then amber, then green, then those not rated, each group in its own order."""
    rank = frame[column].map({r: i for i, r in enumerate(RAG_ORDER)}).fillna(len(RAG_ORDER))
    return frame.iloc[rank.argsort(kind="stable")]



def scorecard(engine: Engine, period: PeriodInfo, partner: PartnerInfo | None, publish: bool) -> View:
    """The framework scorecard: each figure is published by the policy (disclosure.figure_value) as it is built."""
    from assurance.board.commentary import qa_commentary
    from assurance.measures.compute import compute_figures, scorecard as rows_for, scorecard_frame

    fs = compute_figures(engine, partner.code if partner else None)
    rows = [r for r in rows_for(fs, period.label) if r.figure.has_data]
    notes = qa_commentary(engine, period.label, partner.id if partner else None)
    page = "Overview" if partner is None else f"Partner view {partner.code}"
    frame = scorecard_frame(rows, False, notes).drop(columns=["id"])
    published = scorecard_frame(rows, True, notes).drop(columns=["id"])
    return View(page, f"Scorecard {period.label}", frame, published_frame=published)


# --- the data bundle -----------------------------------------------------------------------------------------------


def period_views(engine: Engine, period: PeriodInfo, periods: list[PeriodInfo], partner: PartnerInfo | None,
                 partners: list[PartnerInfo], publish: bool) -> list[View]:
    """Every table the review pages show for one period and scope (the Board, or the one partner a user is bound
    to), and the Partner view's scorecard for every partner the user may see."""
    from assurance import config
    from assurance.reference import england

    pid = partner.id if partner else None
    idx = [p.label for p in periods].index(period.label)
    window = periods[max(0, idx - 3): idx + 1]
    builders: list[Callable[[], View]] = [
        lambda: scorecard(engine, period, partner, publish),
        lambda: referral_sources(engine, period, pid),
        lambda: risk_assessment_outcomes(engine, period, pid),
        *[(lambda d=d, k=k: risk_categories(engine, period, pid, d, england.shares(k))) for d, k in RISK_DIMENSIONS],
        *[(lambda c=c: outcome_breakdown(engine, period, pid, c)) for c in OUTCOME_BREAKDOWNS],
        *[(lambda g=g: outcomes_by_group(engine, window, pid, g)) for g in ("age_band", "gender", "ethnicity_broad")],
        *[(lambda b=b: audit_grades(engine, window, pid, b)) for b in ("domain", "theme", "agency")],
        lambda: audit_findings(engine, window, pid),
        lambda: submissions_tracker(engine, period, partner),
    ]
    area = config.board().population_area
    if partner is None:
        builders += [(lambda q=q: scorecard(engine, period, q, publish)) for q in partners if q.type != "Board"]
    return [b() for b in builders] + demographics_views(engine, period, pid, area)


def bundle(views: list[View], publish: bool) -> dict[str, pd.DataFrame]:
    """File name -> the table as it leaves (the policy applied last)."""
    out: dict[str, pd.DataFrame] = {}
    for v in views:
        out[v.file_name] = v.shown(publish)
    return out


def write_bundle(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    from assurance.exports import safe_csv

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out_dir / name
        path.write_bytes(safe_csv(frame))
        written.append(path)
    return written


def bundle_zip(tables: dict[str, pd.DataFrame]) -> bytes:
    from assurance.exports import safe_csv

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in tables.items():
            z.writestr(name, safe_csv(frame))
    return buf.getvalue()


def bundle_for(engine: Engine, period_label: str, user, destination: str,
               partner: PartnerInfo | None = None) -> dict[str, pd.DataFrame]:
    """Every table the pages show for the period, exactly as `user` would get them at `destination`: a user bound
    to a partner gets that partner's tables only; the policy (disclosure.publish_for) decides on publication."""
    from assurance import config
    from assurance.access.roles import partner_scope
    from assurance.directory import list_partners, list_periods
    from assurance.periods import Period

    label = Period.parse(period_label).label
    periods = list_periods(engine)
    period = next((p for p in periods if p.label == label), None)
    if period is None:
        raise config.ConfigError(f"There is no reporting period {label} in the database.")
    partners = list_partners(engine)
    scope = partner_scope(user)
    if scope is not None:
        partner = next(p for p in partners if p.id == scope)
    publish = disclosure.publish_for(user, config.board().publication_mode, destination)
    return bundle(period_views(engine, period, periods, partner, partners, publish), publish)


# --- Demographics --------------------------------------------------------------------------------------------------

DEMOGRAPHICS = "Demographics"


def representation_table(rows, label: str, section: str) -> View:
    """Representation by age band or ethnic group: published from the rounded counts (representation_frame)."""
    from assurance.analysis import representation as rep

    return View(DEMOGRAPHICS, section, rep.representation_frame(rows, label, False),
                published_frame=rep.representation_frame(rows, label, True))


def gender(engine: Engine, period: PeriodInfo, partner_id: int | None, scope: str) -> View:
    genders = bd.individuals_by(engine, "gender", [period.id], scope, partner_id)
    genders["%"] = _share(genders, "Individuals")
    return View(DEMOGRAPHICS, f"Gender {scope} {period.label}", genders, ("Individuals",), {"%": "Individuals"})


def recording_completeness(engine: Engine, period: PeriodInfo) -> View:
    """Ethnicity recorded, by partner. Published, the share recorded comes from the rounded counts and is withheld
    where the refused or not known would be hidden."""
    from assurance.numbers import share

    comp = bd.recording_completeness(engine, period.id)
    comp["Recorded %"] = [share(n - r - k, n) for n, r, k in zip(comp["Concerns"], comp["Refused"], comp["Not known"])]
    published = View(DEMOGRAPHICS, "", comp, ("Concerns", "Refused", "Not known")).shown(True)
    if _withheld(published):
        return View(DEMOGRAPHICS, f"Ethnicity recording {period.label}", comp, published_frame=published)
    recorded = []
    for n, r, k, pn, pr, pk in zip(comp["Concerns"], comp["Refused"], comp["Not known"], published["Concerns"],
                                   published["Refused"], published["Not known"]):
        if disclosure.SUPPRESSED in (pn, pr, pk) or disclosure.percent_withheld(int(n - r - k), int(n)):
            recorded.append(disclosure.SUPPRESSED)
        else:
            recorded.append(share(int(pn) - int(pr) - int(pk), int(pn)))
    published["Recorded %"] = recorded
    return View(DEMOGRAPHICS, f"Ethnicity recording {period.label}", comp, published_frame=published)


def adults_per_100k(counts: dict[str, int], area: str, publish: bool) -> str | None:
    """The crude and age-standardised rates of adults in safeguarding, with their intervals, in words; published,
    from the rounded counts, and withheld when any age band is hidden."""
    from assurance.analysis import intervals
    from assurance.analysis import representation as rep
    from assurance.reference import population

    if publish:
        if any(disclosure.is_small(n) for n in counts.values()):
            return None
        counts = {g: disclosure.round5(n) for g, n in counts.items()}
    by_band, adults = population.adults_by_age_band(area), population.adults(area)
    asr, crude = rep.age_standardised_rate(counts, by_band), rep.crude_rate(sum(counts.values()), adults)
    if asr is None:
        return None
    crude_ci = intervals.rate(sum(counts.values()), adults)
    dsr = intervals.dobson(counts, by_band, population.ENGLAND_ADULT_AGE_MIX)
    return (f"**Adults per 100,000** in the quarter: crude {crude:,.0f} ({intervals.describe(crude_ci, 0)}); "
            f"age-standardised to England's adult age mix {asr:,.0f}"
            + (f" ({intervals.describe(dsr[1], 0)})" if dsr and dsr[1] else "") + "."
            + (" Worked out from the rounded counts." if publish else ""))


def demographics_views(engine: Engine, period: PeriodInfo, partner_id: int | None, area: str) -> list[View]:
    from assurance.analysis import representation as rep

    out = []
    for scope in ("concerns", "s42"):
        ages = bd.individuals_by(engine, "age_band", [period.id], scope, partner_id)
        if ages.empty:
            continue
        rows, unknown = rep.by_age(ages, area)
        out.append(representation_table(rows, "Age band", f"Age {scope} {period.label}"))
        eth = bd.individuals_by(engine, "ethnicity_broad", [period.id], scope, partner_id)
        rows, _ = rep.by_ethnicity(eth, area, False)
        out.append(representation_table([r for r in rows if r.count or r.population], "Ethnic group",
                                        f"Ethnicity {scope} {period.label}"))
        out.append(gender(engine, period, partner_id, scope))
    out.append(recording_completeness(engine, period))
    return out
