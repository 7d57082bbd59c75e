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
    drawing: object  # the chart's description (assurance.charts): matplotlib prints it, Plotly shows it on screen
    summary: str  # what the chart shows, in words
    width: int = 760  # in Plotly's pixels, 100 to the inch
    height: int = 370

    @property
    def figure(self):
        """The chart as the screen draws it, at print size (a Plotly figure)."""
        from assurance.charts import plotly_figure

        return plotly_figure(self.drawing, print_size=True)


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
from assurance.numbers import fmt  # noqa: E402

Progress = Callable[[float, str], None]


def build_pack(engine: Engine, period: str, today, publish: bool = True, progress: Progress | None = None) -> Pack:
    """Everything the Board needs for the quarter, worked out from the figures (nothing typed)."""
    from assurance.board.actions import sync_audit_actions, tracker_frame
    from assurance.board.challenges import challenge_log
    from assurance.board.commentary import qa_commentary
    from assurance.charts import Trend, describe_trend
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
                                   "Counts": disclosure.figure_counts(f, publish), "Target": _target(f.target, m.unit),
                                   "RAG": RAG_LABELS[f.rag]})

    sync_audit_actions(engine)
    actions = tracker_frame(engine, today)
    overdue = actions[actions["RAG"] == "Overdue"]
    challenges = challenge_log(engine, today, publish=publish)  # evidence suppressed like every other figure
    open_challenges = challenges[challenges["Status"] != "closed"]
    returns = returns_tracker(engine, label, today)

    # Executive summary: generated from the figures.
    report(0.18, "Writing the executive summary")
    rated = [r for r in rows if r.figure.rag]
    reds = [r for r in rated if r.figure.rag == "red"]
    small = sum(r.figure.small for r in rows)
    summary = [
        f"Of {_n(len(rated), 'measure')} rated against a target this quarter, {len(reds)} {_be(len(reds))} red, "
        f"{sum(r.figure.rag == 'amber' for r in rated)} amber and {sum(r.figure.rag == 'green' for r in rated)} green. "
        + (f"A further {_n(small, 'measure')} {'rests' if small == 1 else 'rest'} on fewer than "
           f"{fs.framework.min_denominator} cases and {_be(small)} not rated." if small else "")
    ]
    bullets = []
    for r in reds:
        f = r.figure
        counts = disclosure.figure_counts(f, publish)
        bullets.append(f"Red: {r.measure.name} was {disclosure.figure_text(f, publish)}" + (f" ({counts})" if counts else "")
                       + f" against a target of {f.target:g}{'%' if f.unit == '%' else ''}.")
    def shown_change(r):  # published: the difference of the two figures as shown, so it hides what they hide
        if not publish:
            return r.change_quarter
        now, before = disclosure.figure_point(r.figure, True), disclosure.figure_point(r.previous, True)
        return None if now is None or before is None else now - before

    changes = {id(r): shown_change(r) for r in rows}
    moved = sorted((r for r in rows if changes[id(r)] is not None and r.figure.unit == "%" and not r.figure.small
                    and abs(changes[id(r)]) >= 3), key=lambda r: -abs(changes[id(r)]))[:4]
    for r in moved:
        word = "rose" if changes[id(r)] > 0 else "fell"
        bullets.append(f"Moved: {r.measure.name} {word} by {fmt(abs(changes[id(r)]))} points since last quarter, "
                       f"to {disclosure.figure_text(r.figure, publish)}.")
    if not moved:
        bullets.append("No rated percentage moved by 3 points or more since last quarter.")
    bullets.append(f"Partner exceptions: {_n(len(exceptions), 'partner figure')} {_be(len(exceptions))} red or amber.")
    bullets.append(f"Challenges: {_n(len(open_challenges), 'challenge')} {_be(len(open_challenges))} open or awaiting "
                   f"the Board's decision. Actions: {_n(len(overdue), 'SAR or audit action')} {_be(len(overdue))} overdue.")
    states = returns["State"].value_counts()
    bullets.append(f"Returns: {states.get('Submitted', 0)} on time, {states.get('Late', 0)} late, "
                   f"{states.get('Missing', 0)} missing" + (f", {states.get('Not yet due')} not yet due"
                                                            if states.get("Not yet due") else "") + ".")
    pack.sections.append(Section("Executive summary", paragraphs=summary, bullets=bullets))

    # Scorecard.
    report(0.25, "Laying out the scorecard")
    table = scorecard_frame(rows, publish, notes)
    units = {m.id: m for m in fs.framework.measures}
    in_force = {r.measure.id: r.figure.target for r in rows}  # the target the quarter was rated against
    table["Target"] = [_target(in_force[i], units[i].unit) for i in table["id"]]
    table["England"] = [_target(units[i].comparator, units[i].unit) for i in table["id"]]
    table = table.drop(columns=["id"])
    pack.sections.append(Section("Scorecard", paragraphs=[
        "Every framework measure for the quarter. Changes are in percentage points for percentages. "
        "Measures for information (volumes, rates, conversion) are not rated. Variation and Assurance are NHS "
        "England's Making Data Count, worked out on each quarter's own figure: variation says whether the latest "
        "quarter is within the usual ups and downs (common cause) or a real change (special cause, improving or "
        "concerning); assurance says whether, at the current limits, the measure will consistently pass or fail its "
        "target, or hit and miss it."],
        tables=[Table(f"Scorecard {label}", table, rag_column="RAG")]))
    from assurance.measures.conventions import pack_notes

    pack.sections.append(Section("How the figures are made", paragraphs=[
        "Values are rounded half up to one decimal place and RAG is judged on the unrounded value. [x] is a figure "
        "not collected from a partner or with no data; it is never shown as 0."],
        bullets=pack_notes(fs, label, publish, board.weekend_receipt)))

    # One section per strand with its charts: every measure of the strand that is a percentage or a rate.
    for strand in STRANDS:
        in_strand = [r for r in rows if r.measure.strand == strand]
        strand_rows = [r for r in in_strand if r.measure.unit != "count"]
        counts = [r.measure.name for r in in_strand if r.measure.unit == "count"]
        charts, blank = [], []
        for r in strand_rows:
            series = r.trend
            periods = [x.period for x in series]
            values = [None if (publish and x.small) else disclosure.figure_point(x, publish) for x in series]
            if all(v is None for v in values):
                blank.append(r.measure.name)
                continue
            rated = r.measure.polarity != "information"
            charts.append(Chart(r.measure.name, Trend(periods, values, r.measure.name, r.figure.unit, r.measure.target,
                                                      [x.rag for x in series] if rated else None),
                                describe_trend(periods, values, r.figure.unit, r.measure.target, r.measure.polarity)))
        name = STRAND_NAMES[strand].lower()
        text = [f"The last eight quarters of every {name} measure that is a percentage or a rate "
                f"({_n(len(charts), 'chart')}). Points are marked by RAG (green circle on target, amber diamond "
                "just short, red square off target, open circle not rated); the dashed line is the target."
                + (f" A quarter with fewer than {fs.framework.min_denominator} cases is left out of the line."
                   if publish else "")
                + (f" Counts are in the scorecard rather than charted: {', '.join(counts)}." if counts else "")
                + (f" Not charted, as no quarter has a figure to show (fewer than {fs.framework.min_denominator} "
                   f"cases, or no data): {', '.join(blank)}." if blank else "")]
        pack.sections.append(Section(f"{STRAND_NAMES[strand]} strand", charts=charts, paragraphs=text))

    report(0.28, "Partner exceptions, challenges and actions")
    pack.sections.append(Section("Partner exceptions", paragraphs=[
        "Partner figures from the assurance returns and the multi-agency audits that are red or amber this quarter."],
        tables=[Table("Partner exceptions", pd.DataFrame(exceptions, columns=["Partner", "Measure", "Value", "Counts",
                                                                             "Target", "RAG"]), rag_column="RAG")]))
    pack.sections.append(Section("Open challenges and overdue actions", paragraphs=[
        "Challenges the Board has put to partners that are not yet closed: open ones await the partner's response; "
        "responded ones await the Board's decision (assured or escalated). Then every SAR or audit action past its "
        "due date and not completed."],
        tables=[Table("Open challenges", _challenge_table(open_challenges), rag_column="Overdue"),
                Table("Overdue SAR and audit actions", _overdue_table(overdue, today), rag_column="RAG")]))

    pack.sections.append(Section("Audit themes", paragraphs=[
        "Multi-agency case audits over the four quarters to this one: each agency's overall grade, by theme."],
        tables=[Table("Audit grades by theme", _audit_themes(engine, label, publish))]))

    from assurance.returns.tracker import published_rows

    quality = published_rows(returns, publish)[["Partner name", "Return", "State", "Submitted at", "Rows", "Errors",
                                                "Queries", "Attempts"]].copy()
    quality["Submitted at"] = quality["Submitted at"].map(lambda v: "" if pd.isna(v) else f"{v:%d/%m/%Y}")
    pack.sections.append(Section("Data quality of the quarter's returns", paragraphs=[
        f"Returns were due by {returns['Due'].iloc[0]:%d %B %Y}." if not returns.empty else "No returns are expected."],
        tables=[Table("Returns for the quarter", quality, rag_column="State")]))

    pack.key = [("Symbol", "Meaning"), *disclosure.KEY,
                ("Red", "Off target by more than the tolerance"),
                ("Amber", "Short of target, within the tolerance"), ("Green", "On or better than target"),
                ("small number", f"Fewer than {fs.framework.min_denominator} cases: not rated"),
                ("Variation", "Common cause (grey ring): the latest quarter is within the usual ups and downs. Special "
                              "cause improving (blue, H or L for higher or lower) or concerning (orange): outside the "
                              "limits, 7 quarters rising or falling, 7 on one side of the mean, or 2 of 3 close to a "
                              "limit"),
                ("Assurance", "Consistently passing (P) or failing (F): the target lies outside the limits; hit and "
                              "miss (?): between them, so some quarters will meet it and some will not"),
                ("pts", "Percentage points: the change in a percentage, e.g. from 60.0% to 62.5% is +2.5 pts"),
                ("On quarter, On year", "Change since the previous quarter and since the same quarter a year ago"),
                ("Target, England", "The Board's target and the latest England figure, where there is one"),
                ("Dashed line", "In the charts, the Board's target for the measure"),
                ("Chart markers", "Green circle: on target; amber diamond: short, within the tolerance; red square: "
                                  "off target; open circle: not rated"),
                ("Overdue", "A challenge still waiting for the partner's response after its due date, or an action "
                            "past its due date and not completed"),
                ("Open, Responded", "A challenge waiting for the partner's response; a challenge the partner has "
                                    "answered, waiting for the Board to close it as assured or escalated"),
                ("Submitted", "A return accepted by the due date"),
                ("Late", "A return accepted after the due date"),
                ("Missing", "No accepted return and the due date has passed"),
                ("Not yet due", "No accepted return yet, and the due date has not passed")]
    pack.sections.append(Section("Key to symbols", tables=[Table("Key", pd.DataFrame(pack.key[1:], columns=list(pack.key[0])))]))
    return pack


def _n(n: int, noun: str) -> str:
    """'1 measure', '3 measures'."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _be(n: int) -> str:
    return "is" if n == 1 else "are"


def _target(value: float | None, unit: str) -> str:
    """A target or comparator as shown everywhere in the pack: 90%, 75.5%, 360 (never 90.0)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}{'%' if unit == '%' else ''}"


def _challenge_table(log: pd.DataFrame) -> pd.DataFrame:
    """The board pack's view of the open challenges: partner names, evidence in words, the partner's response."""
    columns = ["No.", "Partner", "Question", "Evidence", "Raised", "Due", "Status", "Overdue", "Partner's response"]
    rows = []
    for r in log.to_dict("records"):
        response = r.get("Response")
        responded = r["Status"] == "responded" and isinstance(response, str) and response.strip()
        rows.append({
            "No.": r["No."], "Partner": r["Partner name"], "Question": r["Question"], "Evidence": r["Evidence"] or "",
            "Raised": r["Raised"], "Due": r["Due"],
            "Status": "Responded: awaiting the Board's decision" if r["Status"] == "responded" else "Open",
            "Overdue": "Overdue" if r["Overdue"] == "Yes" else "",
            "Partner's response": response.strip() if responded else "",
        })
    return pd.DataFrame(rows, columns=columns)


def _overdue_table(overdue: pd.DataFrame, today) -> pd.DataFrame:
    columns = ["Source", "Reference", "Action", "Owner agency", "Due date", "Days overdue", "Status", "RAG"]
    rows = [{
        "Source": a["Source"], "Reference": a["SAR reference"] or a["Audit reference"] or "", "Action": a["Action"],
        "Owner agency": a["Owner agency"], "Due date": a["Due date"],
        "Days overdue": (today - a["Due date"]).days if a["Due date"] else None, "Status": a["Status"], "RAG": a["RAG"],
    } for _, a in overdue.iterrows()]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["Days overdue", "Reference"], ascending=[False, True], kind="stable").reset_index(drop=True)


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
        published = disclosure.publish_table(table, list(grades), add_totals=True)
        return disclosure.withheld_table(list(published.columns)) if disclosure.too_sparse(published, grades) else published
    table["Total"] = table[list(grades)].sum(axis=1)
    return table
