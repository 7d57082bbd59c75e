"""The quarterly board pack: its content, assembled from the figures (drawn by assurance/board/render/: PDF, slides,
workbook)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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

from sqlalchemy import Engine  # noqa: E402

from assurance import config, disclosure  # noqa: E402
from assurance.measures.framework import STRAND_NAMES, STRANDS  # noqa: E402

Progress = Callable[[float, str], None]
SEVERAL = 3  # quarters running off target before a partner's figure is a signal for the summary
PARTNER_SIGNALS = 4  # partner figures named in the summary; the rest are in Partner exceptions
PARTNER_RETURNS = ("assurance", "audit")  # the measures each partner's own figures are worked out for


@dataclass
class Inputs:
    """What the sections are written from, worked out once for the quarter."""

    engine: Engine
    label: str
    today: date
    publish: bool
    board: object  # config.BoardConfig
    figures: object  # the Board's FigureSet
    rows: list  # the quarter's scorecard rows
    partner_figures: list  # (PartnerInfo, FigureSet) for each partner
    actions: pd.DataFrame
    challenges: pd.DataFrame
    returns: pd.DataFrame

    @property
    def min_denominator(self) -> int:
        return self.figures.framework.min_denominator

    @property
    def overdue(self) -> pd.DataFrame:
        return self.actions[self.actions["RAG"] == "Overdue"]

    @property
    def open_challenges(self) -> pd.DataFrame:
        from assurance.board.challenges import is_open

        return self.challenges[self.challenges["Status"].map(is_open)]

    @property
    def exceptions(self) -> list[dict]:
        """Partner figures from the assurance returns and the audits that are red or amber this quarter."""
        from assurance.measures.compute import RAG_LABELS

        out = []
        for p, pfs in self.partner_figures:
            for m in pfs.framework.measures:
                f = pfs.get(m.id, self.label)
                if f is not None and f.rag in ("red", "amber"):
                    out.append({"Partner": p.name, "Measure": m.name, "Value": disclosure.figure_text(f, self.publish),
                                "Counts": disclosure.figure_counts(f, self.publish), "Target": _target(f.target, m.unit),
                                "RAG": RAG_LABELS[f.rag]})
        return out


def build_pack(engine: Engine, period: str, today, publish: bool = True, progress: Progress | None = None) -> Pack:
    """Everything the Board needs for the quarter, worked out from the figures (nothing typed)."""
    report = progress or (lambda _f, _m: None)
    data = gather(engine, period, today, publish, report)
    pack = Pack(data.board.name, data.label, today, publish, data.board.demo)
    report(0.18, "Writing the executive summary")
    pack.sections += [cover_section(data), summary_section(data)]
    report(0.25, "Laying out the scorecard")
    pack.sections += [scorecard_section(data), figures_section(data)]
    pack.sections += [strand_section(data, strand) for strand in STRANDS]
    report(0.28, "Partner exceptions, challenges and actions")
    pack.sections += [exceptions_section(data), challenges_section(data), audit_section(data), returns_section(data)]
    pack.key = key(data)
    pack.sections.append(Section("Key to symbols", tables=[Table("Key", pd.DataFrame(pack.key[1:], columns=list(pack.key[0])))]))
    return pack


def gather(engine: Engine, period: str, today, publish: bool, report: Progress) -> Inputs:
    from assurance.board.actions import sync_audit_actions, tracker_frame
    from assurance.board.challenges import challenge_log
    from assurance.directory import list_partners
    from assurance.measures.compute import compute_figures, partner_figure_sets, scorecard
    from assurance.periods import Period
    from assurance.returns.tracker import tracker_frame as returns_tracker

    label = Period.parse(period).label
    report(0.02, "Working out the Board's figures")
    fs = compute_figures(engine)
    if label not in fs.periods:
        raise config.ConfigError(f"There is no reporting period {label} in the database.")
    report(0.10, "Working out each partner's figures")
    returned = replace(fs.framework, measures=tuple(m for m in fs.framework.measures if m.applies_to in PARTNER_RETURNS))
    listed = [p for p in list_partners(engine) if p.type != "Board"]
    sets = partner_figure_sets(engine, [p.code for p in listed], fw=returned)
    partners = [(p, sets[p.code]) for p in listed]
    sync_audit_actions(engine)
    return Inputs(engine, label, today, publish, config.board(), fs, scorecard(fs, label), partners,
                  tracker_frame(engine, today),
                  challenge_log(engine, today, publish=publish),  # evidence suppressed like every other figure
                  returns_tracker(engine, label, today))


def cover_section(d: Inputs) -> Section:
    from assurance.periods import Period

    p = Period.parse(d.label)
    cover = [f"Reporting period {d.label} ({p.start:%d %B %Y} to {p.end:%d %B %Y}).",
             f"Produced on {d.today:%d %B %Y} from the returns accepted by then."]
    cover.append("Publication mode is on: counts of 1 to 4 are shown as [c], other counts are rounded to the nearest 5, "
                 "and percentages of fewer than 10 cases are withheld." if d.publish else
                 "Publication mode is OFF: this pack shows unrounded figures and must stay within the QA subgroup.")
    if d.board.demo:
        cover.append("SYNTHETIC DEMO DATA: every person, case and figure in this pack is made up.")
    return Section("Cover", "cover", paragraphs=cover)


# --- the executive summary, written from signals ---------------------------------------------------

SPECIAL_CAUSE, SUSTAINED_RED, FAILING, RED, PARTNER_DRIFT, RETURNS = range(6)  # most important first
CAUSE_WORDS = {
    "above the upper limit": "above its upper process limit", "below the lower limit": "below its lower process limit",
    "rising": "rising for seven quarters or more", "falling": "falling for seven quarters or more",
    "above the mean": "above its average for seven quarters or more",
    "below the mean": "below its average for seven quarters or more",
    "near the upper limit": "two of the last three quarters near its upper limit",
    "near the lower limit": "two of the last three quarters near its lower limit",
}


@dataclass
class Signal:
    rank: int  # SPECIAL_CAUSE .. RETURNS
    weight: float  # within a rank, larger first
    text: str


def summary_section(d: Inputs) -> Section:
    rows = d.rows
    rated = [r for r in rows if r.figure.rag]
    reds = [r for r in rated if r.figure.rag == "red"]
    small = sum(r.figure.small for r in rows)
    summary = [
        f"Of {_n(len(rated), 'measure')} rated against a target this quarter, {len(reds)} {_be(len(reds))} red, "
        f"{sum(r.figure.rag == 'amber' for r in rated)} amber and {sum(r.figure.rag == 'green' for r in rated)} green. "
        + (f"{_more(small, 'measure')} {'rests' if small == 1 else 'rest'} on fewer than "
           f"{d.min_denominator} cases and {_be(small)} not rated." if small else ""),
        "What needs the Board's attention, most important first: special-cause variation of concern, measures red "
        "for more than one quarter, measures that will not meet their target as things stand, partners off target "
        f"for {SEVERAL} quarters or more, and late or missing returns.",
    ]
    signals = [s for r in rows if (s := measure_signal(r, d.publish))] + partner_signals(d) + returns_signals(d)
    signals.sort(key=lambda s: (s.rank, -s.weight))
    bullets = [s.text for s in signals]
    if not any(s.rank < PARTNER_DRIFT for s in signals):
        bullets.insert(0, "No measure shows special-cause variation of concern, is red or is consistently failing its "
                          "target this quarter.")
    exceptions = d.exceptions
    bullets.append(f"Partner exceptions: {_n(len(exceptions), 'partner figure')} {_be(len(exceptions))} red or amber.")
    bullets.append(f"Challenges: {_n(len(d.open_challenges), 'challenge')} {_be(len(d.open_challenges))} open or "
                   f"awaiting the Board's decision. Actions: {_n(len(d.overdue), 'SAR or audit action')} "
                   f"{_be(len(d.overdue))} overdue.")
    return Section("Executive summary", paragraphs=summary, bullets=bullets)


def _shown(f, publish: bool) -> str:
    counts = disclosure.figure_counts(f, publish)
    return disclosure.figure_text(f, publish) + (f" ({counts})" if counts else "")


def _run(series: list, off: tuple[str, ...]) -> list:
    """The quarters running up to the latest (the last of `series`) whose RAG is in `off`."""
    run = []
    for x in reversed(series):
        if x.rag not in off:
            break
        run.insert(0, x)
    return run


def measure_signal(r, publish: bool) -> Signal | None:
    """A Board measure's most important signal this quarter, with the others it shows in the same sentence."""
    from assurance.measures.variation import measure_spc

    f, m = r.figure, r.measure
    if f.small or f.value is None or disclosure.figure_point(f, publish) is None:
        return None
    spc = measure_spc(r.quarters, m, r.recalculate_from, publish)
    result = spc.result if spc.latest_shown else None
    special = result is not None and result.variation == "special_cause_concern"
    failing = result is not None and result.assurance == "consistent_fail"
    red_for = len(_run(r.trend, ("red",)))
    if not (special or failing or red_for):
        return None
    target = _target(f.target, f.unit)
    red = (f"red against a target of {target}" + (f" for {red_for} quarters running" if red_for > 1 else "")
           if red_for else "")
    failing_words = "at its current process limits it will not meet its target unless the way the work is done changes"
    gap = abs(f.value - f.target) if f.target is not None else 0.0
    if special:
        cause = CAUSE_WORDS.get(result.causes[-1], result.causes[-1])
        extra = "; ".join(x for x in (red, failing_words if failing else "") if x)
        return Signal(SPECIAL_CAUSE, gap, f"Special cause concerning: {m.name} was {_shown(f, publish)}, {cause}"
                                          + (f"; {extra}" if extra else "") + ".")
    if red_for > 1:
        return Signal(SUSTAINED_RED, red_for + gap / 100, f"Red for {red_for} quarters running: {m.name} was "
                      f"{_shown(f, publish)} against a target of {target}" + (f"; {failing_words}" if failing else "") + ".")
    if failing:
        return Signal(FAILING, gap, f"Consistently failing: {m.name} was {_shown(f, publish)}"
                      + (f", {red}" if red else f" against a target of {target}") + f"; {failing_words}.")
    return Signal(RED, gap, f"Red: {m.name} was {_shown(f, publish)} against a target of {target}.")


def partner_signals(d: Inputs) -> list[Signal]:
    """Partners whose figure has been off target (red or amber) for several quarters running, the longest red first."""
    found = []
    for p, pfs in d.partner_figures:
        for m in pfs.framework.measures:
            run = _run(pfs.series(m.id, d.label, 8), ("red", "amber"))
            if len(run) < SEVERAL or disclosure.figure_point(run[-1], d.publish) is None:
                continue
            first, last = run[0], run[-1]
            reds = len(_run(run, ("red",)))
            before, now = disclosure.figure_point(first, d.publish), disclosure.figure_point(last, d.publish)
            was, is_now = disclosure.figure_text(first, d.publish), disclosure.figure_text(last, d.publish)
            moved = ("" if before is None or was == is_now else
                     f", {'down' if now < before else 'up'} from {was} in {first.period} to {is_now}")
            text = (f"{p.name}: {m.name} off target for {len(run)} quarters running{moved}"
                    + ("" if moved else f", now {is_now}") + f" against a target of {_target(last.target, m.unit)}"
                    + (f" (red for the last {reds})" if reds > 1 else " (red this quarter)" if reds else "") + ".")
            found.append(Signal(PARTNER_DRIFT, reds * 100 + len(run) + abs((now or 0) - (before or 0)) / 1000, text))
    found.sort(key=lambda s: -s.weight)
    if len(found) > PARTNER_SIGNALS:
        rest = len(found) - PARTNER_SIGNALS
        found = found[:PARTNER_SIGNALS] + [Signal(PARTNER_DRIFT, -1, f"{_more(rest, 'partner figure')} "
                                                  f"{'has' if rest == 1 else 'have'} been off target for {SEVERAL} "
                                                  "quarters or more (see Partner exceptions).")]
    return found


def returns_signals(d: Inputs) -> list[Signal]:
    states = d.returns["State"].value_counts()
    named = {state: sorted(set(d.returns.loc[d.returns["State"] == state, "Partner name"])) for state in ("Late", "Missing")}

    def part(state: str) -> str:
        n = states.get(state, 0)
        return f"{n} {state.lower()}" + (f" ({', '.join(named[state])})" if n else "")

    text = (f"Returns: {part('Missing')}, {part('Late')}, {states.get('Submitted', 0)} on time"
            + (f", {states.get('Not yet due')} not yet due" if states.get("Not yet due") else "") + ".")
    return [Signal(RETURNS, 0, text)]


# --- the other sections ---------------------------------------------------------------------------


def scorecard_section(d: Inputs) -> Section:
    from assurance.board.commentary import qa_commentary
    from assurance.measures.compute import scorecard_frame

    table = scorecard_frame(d.rows, d.publish, qa_commentary(d.engine, d.label))
    units = {m.id: m for m in d.figures.framework.measures}
    in_force = {r.measure.id: r.figure.target for r in d.rows}  # the target the quarter was rated against
    table["Target"] = [_target(in_force[i], units[i].unit) for i in table["id"]]
    table["England"] = [_target(units[i].comparator, units[i].unit) for i in table["id"]]
    table = table.drop(columns=["id"])
    return Section("Scorecard", paragraphs=[
        "Every framework measure for the quarter. Changes are in percentage points for percentages. "
        "Measures for information (volumes, rates, conversion) are not rated. Variation and Assurance are NHS "
        "England's Making Data Count, worked out on each quarter's own figure: variation says whether the latest "
        "quarter is within the usual ups and downs (common cause) or a real change (special cause, improving or "
        "concerning); assurance says whether, at the current limits, the measure will consistently pass or fail its "
        "target, or hit and miss it."],
        tables=[Table(f"Scorecard {d.label}", table, rag_column="RAG")])


def figures_section(d: Inputs) -> Section:
    from assurance.measures.conventions import pack_notes

    return Section("How the figures are made", paragraphs=[
        "Values are rounded half up to one decimal place and RAG is judged on the unrounded value. [x] is a figure "
        "not collected from a partner or with no data; it is never shown as 0."],
        bullets=pack_notes(d.figures, d.label, d.publish, d.board.weekend_receipt))


def strand_section(d: Inputs, strand: str) -> Section:
    """A strand's charts: every measure of the strand that is a percentage or a rate, over eight quarters."""
    from assurance.charts import Trend, describe_trend

    in_strand = [r for r in d.rows if r.measure.strand == strand]
    counts = [r.measure.name for r in in_strand if r.measure.unit == "count"]
    charts, blank = [], []
    for r in (r for r in in_strand if r.measure.unit != "count"):
        periods = [x.period for x in r.trend]
        values = [None if (d.publish and x.small) else disclosure.figure_point(x, d.publish) for x in r.trend]
        if all(v is None for v in values):
            blank.append(r.measure.name)
            continue
        rated = r.measure.polarity != "information"
        charts.append(Chart(r.measure.name, Trend(periods, values, r.measure.name, r.figure.unit, r.measure.target,
                                                  [x.rag for x in r.trend] if rated else None),
                            describe_trend(periods, values, r.figure.unit, r.measure.target, r.measure.polarity)))
    name = STRAND_NAMES[strand].lower()
    text = [f"The last eight quarters of every {name} measure that is a percentage or a rate "
            f"({_n(len(charts), 'chart')}). Points are marked by RAG (green circle on target, amber diamond "
            "just short, red square off target, open circle not rated); the dashed line is the target."
            + (f" A quarter with fewer than {d.min_denominator} cases is left out of the line." if d.publish else "")
            + (f" Counts are in the scorecard rather than charted: {', '.join(counts)}." if counts else "")
            + (f" Not charted, as no quarter has a figure to show (fewer than {d.min_denominator} "
               f"cases, or no data): {', '.join(blank)}." if blank else "")]
    return Section(f"{STRAND_NAMES[strand]} strand", charts=charts, paragraphs=text)


def exceptions_section(d: Inputs) -> Section:
    return Section("Partner exceptions", paragraphs=[
        "Partner figures from the assurance returns and the multi-agency audits that are red or amber this quarter."],
        tables=[Table("Partner exceptions", pd.DataFrame(d.exceptions, columns=["Partner", "Measure", "Value", "Counts",
                                                                               "Target", "RAG"]), rag_column="RAG")])


def challenges_section(d: Inputs) -> Section:
    return Section("Open challenges and overdue actions", paragraphs=[
        "Challenges the Board has put to partners that are not yet closed: open ones await the partner's response; "
        "responded ones await the Board's decision (assured or escalated). Then every SAR or audit action past its "
        "due date and not completed."],
        tables=[Table("Open challenges", _challenge_table(d.open_challenges), rag_column="Overdue"),
                Table("Overdue SAR and audit actions", _overdue_table(d.overdue, d.today), rag_column="RAG")])


def audit_section(d: Inputs) -> Section:
    return Section("Audit themes", paragraphs=[
        "Multi-agency case audits over the four quarters to this one: each agency's overall grade, by theme."],
        tables=[Table("Audit grades by theme", _audit_themes(d.engine, d.label, d.publish))])


def returns_section(d: Inputs) -> Section:
    from assurance.returns.tracker import published_rows

    quality = published_rows(d.returns, d.publish)[["Partner name", "Return", "State", "Submitted at", "Rows", "Errors",
                                                    "Queries", "Attempts"]].copy()
    quality["Submitted at"] = quality["Submitted at"].map(lambda v: "" if pd.isna(v) else f"{v:%d/%m/%Y}")
    return Section("Data quality of the quarter's returns", paragraphs=[
        f"Returns were due by {d.returns['Due'].iloc[0]:%d %B %Y}." if not d.returns.empty else "No returns are expected."],
        tables=[Table("Returns for the quarter", quality, rag_column="State")])


def key(d: Inputs) -> list[tuple[str, str]]:
    return [("Symbol", "Meaning"), *disclosure.KEY,
            ("Red", "Off target by more than the tolerance"),
            ("Amber", "Short of target, within the tolerance"), ("Green", "On or better than target"),
            ("small number", f"Fewer than {d.min_denominator} cases: not rated"),
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


def _n(n: int, noun: str) -> str:
    """'1 measure', '3 measures'."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _more(n: int, noun: str) -> str:
    """'One more measure', '3 more measures'."""
    return f"One more {noun}" if n == 1 else f"{n:,} more {noun}s"


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
    from assurance.board.challenges import status_text

    rows = []
    for r in log.to_dict("records"):
        response = r.get("Response")
        responded = r["Status"] == "responded" and isinstance(response, str) and response.strip()
        rows.append({
            "No.": r["No."], "Partner": r["Partner name"], "Question": r["Question"], "Evidence": r["Evidence"] or "",
            "Raised": r["Raised"], "Due": r["Due"],
            "Status": status_text(r["Status"], r.get("Outcome"), r["Overdue"] == "Yes"),
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
    """Each agency's overall grade by theme over the four quarters to this one: the Audits page's table, published."""
    from assurance.analysis.breakdowns import GRADES, audit_grades
    from assurance.directory import list_periods
    from assurance.periods import Period

    window = {Period.parse(label).shift(-k).label for k in range(4)}
    grades = GRADES[:4]  # overall grades: 'Not applicable' is for a domain only
    table = audit_grades(engine, [p.id for p in list_periods(engine) if p.label in window], by="theme")
    if table.empty:
        return table
    if publish:
        published = disclosure.publish_table(table, list(grades), add_totals=True)
        return disclosure.withheld_table(list(published.columns)) if disclosure.too_sparse(published, grades) else published
    table["Total"] = table[list(grades)].sum(axis=1)
    return table
