"""The quarterly board pack: its content, assembled from the figures (rendering is in render.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass
class Table:
    title: str
    frame: pd.DataFrame  # already through disclosure control when the pack is in publication mode
    note: str | None = None
    rag_column: str | None = None


@dataclass
class Chart:
    title: str
    figure: object  # plotly Figure
    summary: str  # what the chart shows, in words
    width: int = 900
    height: int = 420


@dataclass
class Section:
    title: str
    kind: str = "section"  # cover / section
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Pack:
    board_name: str
    period_label: str
    generated_on: date
    publication_mode: bool
    demo: bool
    sections: list[Section] = field(default_factory=list)
    key: list[tuple[str, str]] = field(default_factory=list)

    @property
    def footer(self) -> str:
        parts = [f"{self.board_name} · {self.period_label} board pack · produced {self.generated_on:%d %B %Y}"]
        if self.publication_mode:
            parts.append("publication mode: small numbers suppressed")
        if self.demo:
            parts.append("SYNTHETIC DEMO DATA")
        return " · ".join(parts)


# --- assembling the pack from the figures -------------------------------------------------------

from collections.abc import Callable  # noqa: E402

from sqlalchemy import Engine, func, select  # noqa: E402

from assurance import config, disclosure  # noqa: E402
from assurance.measures.framework import STRAND_NAMES, STRANDS  # noqa: E402

Progress = Callable[[float, str], None]


def build_pack(engine: Engine, period: str, today, publish: bool = True, progress: Progress | None = None) -> Pack:
    """Everything the Board needs for the quarter, worked out from the figures (nothing typed)."""
    from assurance.board.actions import sync_audit_actions, tracker_frame
    from assurance.board.challenges import challenge_log
    from assurance.board.commentary import qa_commentary
    from assurance.charts import describe_trend, trend_chart
    from assurance.directory import list_partners
    from assurance.measures.compute import RAG_LABELS, compute_figures, scorecard, scorecard_frame
    from assurance.periods import Period
    from assurance.returns.tracker import tracker_frame as returns_tracker

    report = progress or (lambda _f, _m: None)
    board = config.board()
    label = Period.parse(period).label
    report(0.02, "Working out the Board's figures")
    fs = compute_figures(engine)
    if label not in fs.periods:
        raise config.ConfigError(f"There is no reporting period {label} in the database.")
    rows = scorecard(fs, label)
    notes = qa_commentary(engine, label)
    pack = Pack(board.name, label, today, publish, board.demo)

    cover = [f"Reporting period {label} ({Period.parse(label).start:%d %B %Y} to {Period.parse(label).end:%d %B %Y}).",
             f"Produced on {today:%d %B %Y} from the returns accepted by then."]
    cover.append("Publication mode is on: counts of 1 to 4 are shown as [c], other counts are rounded to the nearest 5, "
                 "and percentages of fewer than 10 cases are withheld." if publish else
                 "Publication mode is OFF: this pack shows unrounded figures and must stay within the QA subgroup.")
    if board.demo:
        cover.append("SYNTHETIC DEMO DATA: every person, case and figure in this pack is made up.")
    pack.sections.append(Section("Cover", "cover", paragraphs=cover))

    # Partner figures, for exceptions.
    report(0.10, "Working out each partner's figures")
    partners = [p for p in list_partners(engine) if p.type != "Board"]
    exceptions = []
    for p in partners:
        pfs = compute_figures(engine, p.code, fw=fs.framework)
        for m in fs.framework.measures:
            if m.applies_to not in ("assurance", "audit"):
                continue
            f = pfs.get(m.id, label)
            if f is not None and f.rag in ("red", "amber"):
                exceptions.append({"Partner": p.name, "Measure": m.name, "Value": disclosure.figure_text(f, publish),
                                   "Counts": disclosure.figure_counts(f, publish), "Target": m.target, "RAG": RAG_LABELS[f.rag]})

    sync_audit_actions(engine)
    actions = tracker_frame(engine, today)
    overdue = actions[actions["RAG"] == "Overdue"]
    challenges = challenge_log(engine, today)
    open_challenges = challenges[challenges["Status"] != "closed"]
    returns = returns_tracker(engine, label, today)

    # Executive summary: generated from the figures.
    report(0.18, "Writing the executive summary")
    rated = [r for r in rows if r.figure.rag]
    reds = [r for r in rated if r.figure.rag == "red"]
    summary = [
        f"Of {len(rated)} measures rated against a target this quarter, {len(reds)} are red, "
        f"{sum(r.figure.rag == 'amber' for r in rated)} amber and {sum(r.figure.rag == 'green' for r in rated)} green. "
        f"{sum(r.figure.small for r in rows)} rest on fewer than {fs.framework.min_denominator} cases and are not rated."
    ]
    bullets = []
    for r in reds:
        f = r.figure
        counts = disclosure.figure_counts(f, publish)
        bullets.append(f"Red: {r.measure.name} was {disclosure.figure_text(f, publish)}" + (f" ({counts})" if counts else "")
                       + f" against a target of {r.measure.target:g}{'%' if f.unit == '%' else ''}.")
    moved = sorted((r for r in rows if r.change_quarter is not None and r.figure.unit == "%" and not r.figure.small
                    and abs(r.change_quarter) >= 3), key=lambda r: -abs(r.change_quarter))[:4]
    for r in moved:
        word = "rose" if r.change_quarter > 0 else "fell"
        bullets.append(f"Moved: {r.measure.name} {word} by {abs(r.change_quarter):.1f} points since last quarter, "
                       f"to {disclosure.figure_text(r.figure, publish)}.")
    if not moved:
        bullets.append("No rated percentage moved by 3 points or more since last quarter.")
    bullets.append(f"Partner exceptions: {len(exceptions)} partner figures are red or amber.")
    bullets.append(f"Challenges: {len(open_challenges)} open or awaiting the Board's decision; "
                   f"actions: {len(overdue)} SAR or audit actions are overdue.")
    states = returns["State"].value_counts()
    bullets.append(f"Returns: {states.get('Submitted', 0)} on time, {states.get('Late', 0)} late, "
                   f"{states.get('Missing', 0)} missing.")
    pack.sections.append(Section("Executive summary", paragraphs=summary, bullets=bullets))

    # Scorecard.
    report(0.25, "Laying out the scorecard")
    table = scorecard_frame(rows, publish, notes).drop(columns=["id"])
    pack.sections.append(Section("Scorecard", paragraphs=[
        "Every framework measure for the quarter. Changes are in percentage points for percentages. "
        "Measures for information (volumes, rates, conversion) are not rated."],
        tables=[Table(f"Scorecard {label}", table, rag_column="RAG")]))

    # One section per strand with its charts.
    for strand in STRANDS:
        strand_rows = [r for r in rows if r.measure.strand == strand and r.measure.unit != "count"][:4]
        charts = []
        for r in strand_rows:
            series = r.trend
            periods = [x.period for x in series]
            values = [None if (publish and (x.small or isinstance(disclosure.figure_value(x, True), str))) else x.value for x in series]
            charts.append(Chart(r.measure.name, trend_chart(periods, values, r.measure.name, r.figure.unit,
                                                            r.measure.target, [x.rag for x in series]),
                                describe_trend(periods, values, r.figure.unit)))
        pack.sections.append(Section(
            f"{STRAND_NAMES[strand]} strand", charts=charts,
            paragraphs=[f"The last eight quarters of the {STRAND_NAMES[strand].lower()} measures; points are coloured "
                        "by RAG and the dashed line is the target."]))

    report(0.28, "Partner exceptions, challenges and actions")
    pack.sections.append(Section("Partner exceptions", paragraphs=[
        "Partner figures from the assurance returns and the multi-agency audits that are red or amber this quarter."],
        tables=[Table("Partner exceptions", pd.DataFrame(exceptions, columns=["Partner", "Measure", "Value", "Counts", "Target", "RAG"]),
                      rag_column="RAG")]))
    ch_cols = ["No.", "Partner", "Question", "Evidence", "Due", "Status", "Overdue"]
    act_cols = ["Source", "SAR reference", "Action", "Owner agency", "Due date", "Status", "RAG"]
    pack.sections.append(Section("Open challenges and overdue actions", tables=[
        Table("Open challenges", open_challenges[ch_cols] if not open_challenges.empty else pd.DataFrame(columns=ch_cols)),
        Table("Overdue SAR and audit actions", overdue[act_cols] if not overdue.empty else pd.DataFrame(columns=act_cols),
              rag_column="RAG"),
    ]))

    pack.sections.append(Section("Audit themes", paragraphs=[
        "Multi-agency case audits over the four quarters to this one: each agency's overall grade, by theme."],
        tables=[Table("Audit grades by theme", _audit_themes(engine, label, publish))]))

    quality = returns[["Partner name", "Return", "State", "Submitted at", "Rows", "Errors", "Queries", "Attempts"]].copy()
    quality["Submitted at"] = quality["Submitted at"].map(lambda v: "" if pd.isna(v) else f"{v:%d/%m/%Y}")
    pack.sections.append(Section("Data quality of the quarter's returns", paragraphs=[
        f"Returns were due by {returns['Due'].iloc[0]:%d %B %Y}." if not returns.empty else "No returns are expected."],
        tables=[Table("Returns for the quarter", quality, rag_column="State")]))

    pack.key = [("Symbol", "Meaning"), *disclosure.KEY, ("Red", "Off target by more than the tolerance"),
                ("Amber", "Short of target, within the tolerance"), ("Green", "On or better than target"),
                ("small number", f"Fewer than {fs.framework.min_denominator} cases: not rated")]
    pack.sections.append(Section("Key to symbols", tables=[Table("Key", pd.DataFrame(pack.key[1:], columns=list(pack.key[0])))]))
    return pack


def _audit_themes(engine: Engine, label: str, publish: bool) -> pd.DataFrame:
    from assurance.db.models import AuditResult, ReportingPeriod, Submission
    from assurance.periods import Period

    window = [Period.parse(label).shift(-k).label for k in range(4)]
    grades = ("Outstanding", "Good", "Requires improvement", "Inadequate")
    stmt = (
        select(AuditResult.theme, AuditResult.overall_grade, func.count())
        .join(Submission, Submission.id == AuditResult.submission_id)
        .join(ReportingPeriod, ReportingPeriod.id == AuditResult.period_id)
        .where(Submission.status == "accepted", ReportingPeriod.label.in_(window))
        .group_by(AuditResult.theme, AuditResult.overall_grade)
    )
    with engine.connect() as c:
        rows = c.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=["Theme", "Grade", "n"])
    table = frame.pivot_table(index="Theme", columns="Grade", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(grades), fill_value=0).reset_index()
    if table.empty:
        return pd.DataFrame(columns=["Theme", *grades])
    if publish:
        return disclosure.publish_table(table, list(grades), add_totals=True)
    table["Total"] = table[list(grades)].sum(axis=1)
    return table
