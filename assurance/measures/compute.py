"""The framework's figures: every measure for every period, for the Board or one partner, with RAG."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction

import pandas as pd
from sqlalchemy import Engine

from assurance import config, numbers
from assurance.directory import PartnerInfo, list_partners, list_periods
from assurance.measures.definitions import CONVENTION_VARIANTS, DEFINITIONS
from assurance.measures.figures import all_quarter_figures, ensure_current
from assurance.measures.framework import Framework, MeasureDef, framework
from assurance.measures.rag import rag
from assurance.periods import Period
from assurance.reference import codelists, population


@dataclass(frozen=True)
class Figure:
    measure: str
    name: str
    strand: str
    period: str
    partner: str | None
    numerator: int | None
    denominator: int | None
    value: float | None
    unit: str
    target: float | None
    polarity: str
    rag: str | None
    small: bool
    basis: str
    protected: bool = True  # a count of people: suppressed and rounded in publication mode
    quarters_with_data: int | None = None  # of the quarters in the figure's window (four for rolling4)
    window_quarters: int = 1
    not_collected: bool = False  # the source has data for the period, but none for this measure: [x], never 0

    def as_json(self) -> dict:
        """The figure as `measures --format json` gives it: the unrounded value, and value_shown rounded half up."""
        keys = ("measure", "name", "period", "partner", "numerator", "denominator", "value", "unit", "target", "polarity", "rag")
        d = asdict(self)
        out = {k: d[k] for k in keys}
        out["value_shown"] = self.value_shown
        out["quarters_with_data"], out["window_quarters"] = self.quarters_with_data, self.window_quarters
        out["not_collected"] = self.not_collected
        return out

    @property
    def value_shown(self) -> float | None:
        """The value as displayed: one decimal place, halves rounded up from the exact fraction."""
        if self.value is None:
            return None
        if self.unit == "count":
            return self.value
        return numbers.share(self.numerator, self.denominator, 1, 100_000 if self.unit == "per 100,000" else 100)

    @property
    def partial_window(self) -> bool:
        """A four-quarter or year-to-date figure resting on fewer quarters of data than its window holds."""
        return self.quarters_with_data is not None and self.quarters_with_data < self.window_quarters

    @property
    def window_note(self) -> str:
        if not self.partial_window:
            return ""
        return f"{self.quarters_with_data} of {self.window_quarters} quarters"

    @property
    def has_data(self) -> bool:
        return self.numerator is not None


def published_json(f: Figure, publish: bool) -> dict:
    """A figure for the command line and JSON: as_json, through disclosure control when published."""
    from assurance import disclosure

    out = f.as_json()
    if publish and f.protected:
        out.update(numerator=None if f.numerator is None else disclosure.publish_count(f.numerator),
                   denominator=None if f.denominator is None else disclosure.publish_count(f.denominator),
                   value=None if f.value is None else disclosure.figure_value(f, True))
        out["value_shown"] = out["value"]
    out["published"] = publish
    return out


def applies(m: MeasureDef, partner: PartnerInfo | None) -> bool:
    if partner is None:
        return True
    if m.applies_to in ("audit", "sar"):
        return partner.type != codelists.BOARD
    return m.applies_to in partner.returns and m.made_by(partner.type)


def window(period: Period, basis: str) -> list[Period]:
    if basis == "rolling4":
        return [period.shift(-k) for k in range(3, -1, -1)]
    if basis == "ytd":
        return [Period(period.year, q) for q in range(1, period.quarter + 1)]
    return [period]


def _value(m: MeasureDef, num: int, den: int | None) -> float | None:
    """The unrounded value: RAG is judged on it, and it is rounded only where it is shown."""
    if m.unit == "count":
        return num
    return numbers.exact(num, den, 100_000 if m.unit == "per 100,000" else 100)


@dataclass
class FigureSet:
    """All figures for a scope (the Board, or one partner), every period."""

    figures: dict[tuple[str, str], Figure]
    periods: list[str]
    framework: Framework
    quarterly: FigureSet | None = None  # measures over more than a quarter, each quarter on its own (for SPC)
    recalculations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # SPC: measure -> [(period, reason)]

    def get(self, measure: str, period: str) -> Figure | None:
        return self.figures.get((measure, period))

    def for_period(self, period: str) -> list[Figure]:
        return [f for (m, p), f in self.figures.items() if p == period]

    def series(self, measure: str, upto: str, n: int = 8) -> list[Figure]:
        """The last n periods to `upto` that have a figure, oldest first."""
        labels = self.periods[: self.periods.index(upto) + 1][-n:] if upto in self.periods else []
        return [f for p in labels if (f := self.get(measure, p)) is not None]

    def quarter_series(self, measure: str, upto: str) -> list[Figure]:
        """Every quarter's own figure to `upto`, oldest first: SPC never works on overlapping windows."""
        own = self.quarterly if self.framework.get(measure).basis != "quarter" and self.quarterly else self
        return own.series(measure, upto, n=len(self.periods))


def compute_figures(engine: Engine, partner_code: str | None = None, fw: Framework | None = None) -> FigureSet:
    fw = fw or framework()
    periods = list_periods(engine)
    partners = {p.code: p for p in list_partners(engine, include_inactive=True)}
    partner = None
    if partner_code is not None:
        partner = partners.get(partner_code)
        if partner is None:
            raise config.ConfigError(f"There is no partner with code {partner_code!r}.")
    ensure_current(engine)  # a definition added or changed since the stored figures were built: built now
    with engine.connect() as conn:
        quarter = all_quarter_figures(conn, partner.id if partner else None)
    from assurance.analysis.recalculations import recalculations

    return _figure_set(fw, partner, partner_code, periods, quarter, recalculations(engine, partner.id if partner else None))


def partner_figure_sets(engine: Engine, partner_codes: list[str], fw: Framework | None = None) -> dict[str, FigureSet]:
    """compute_figures for each of several partners, reading the quarter figures once (what the board pack needs)."""
    from assurance.analysis.recalculations import recalculations

    fw = fw or framework()
    periods = list_periods(engine)
    partners = {p.code: p for p in list_partners(engine, include_inactive=True)}
    unknown = [c for c in partner_codes if c not in partners]
    if unknown:
        raise config.ConfigError(f"There is no partner with code {unknown[0]!r}.")
    ensure_current(engine)
    with engine.connect() as conn:
        every = all_quarter_figures(conn)
    by_partner = defaultdict(list)
    for q in every:
        by_partner[q.partner_id].append(q)
    return {code: _figure_set(fw, partners[code], code, periods, by_partner[partners[code].id],
                              recalculations(engine, partners[code].id)) for code in partner_codes}


def _figure_set(fw: Framework, partner, partner_code, periods, quarter, recalculated) -> FigureSet:
    fs = _assemble(fw, partner, partner_code, periods, quarter, recalculated)
    spanning = tuple(replace(m, basis="quarter") for m in fw.measures if m.basis != "quarter")
    if spanning:  # each quarter's own figure, for SPC: from the same quarter figures
        fs.quarterly = _assemble(replace(fw, measures=spanning), partner, partner_code, periods, quarter, recalculated)
    return fs


def _assemble(fw: Framework, partner, partner_code: str | None, periods, quarter, recalculated) -> FigureSet:
    """The framework's figures for every period, summed over each measure's window from the quarter figures."""
    label_of = {p.id: p.label for p in periods}
    sums: dict[tuple[str, str], list[int | None]] = defaultdict(lambda: [0, None])
    with_source = {(DEFINITIONS[q.definition].source, label_of.get(q.period_id)) for q in quarter}
    for q in quarter:
        key = (q.definition, label_of.get(q.period_id))
        s = sums[key]
        s[0] += q.numerator
        if q.denominator is not None:
            s[1] = (s[1] or 0) + q.denominator
    board = config.board()
    adults = population.adults(board.population_area)
    labels = [p.label for p in periods]
    out: dict[tuple[str, str], Figure] = {}
    windows: dict[tuple[str, str], list[str]] = {}
    for m in fw.measures:
        if not applies(m, partner):
            continue
        definition = CONVENTION_VARIANTS.get((m.definition, board.weekend_receipt), m.definition)
        for label in labels:
            num = den = None
            quarters = windows.get((label, m.basis))
            if quarters is None:
                quarters = windows[(label, m.basis)] = [q.label for q in window(Period.parse(label), m.basis)]
            with_data = 0
            for q in quarters:
                s = sums.get((definition, q))
                if s is None:
                    continue
                with_data += 1
                num = (num or 0) + s[0]
                if s[1] is not None:
                    den = (den or 0) + s[1]
            if m.unit == "per 100,000" and num is not None:
                den = adults
            value = None if num is None else _value(m, num, den)
            small = m.unit == "%" and den is not None and den < fw.min_denominator
            target, tolerance = m.target_for(label)  # in force for that quarter: a later change leaves it be
            out[(m.id, label)] = Figure(
                measure=m.id, name=m.name, strand=m.strand, period=label, partner=partner_code, numerator=num,
                denominator=den if m.unit != "count" else None, value=value, unit=m.unit, target=target,
                polarity=m.polarity, rag=None if small else rag(value, m.polarity, target, tolerance), small=small,
                basis=m.basis, protected=DEFINITIONS[m.definition].people, quarters_with_data=with_data if num is not None else None, window_quarters=len(quarters),
                not_collected=num is None and (DEFINITIONS[definition].source, label) in with_source,
            )
    return FigureSet(out, labels, fw, recalculations=recalculated)


def period_figures(engine: Engine, period: str, partner_code: str | None = None) -> list[Figure]:
    """The framework's figures for one period, in framework order (what the `measures` command prints)."""
    label = Period.parse(period).label
    fs = compute_figures(engine, partner_code)
    if label not in fs.periods:
        raise config.ConfigError(f"There is no reporting period {label} in the database.")
    return [f for m in fs.framework.measures if (f := fs.get(m.id, label)) is not None]


@dataclass(frozen=True)
class ScorecardRow:
    figure: Figure
    measure: MeasureDef
    previous: Figure | None
    last_year: Figure | None
    trend: list[Figure]
    quarters: list[Figure] = field(default_factory=list)  # every quarter's own figure, for SPC
    recalculate_from: list[tuple[str, str]] = field(default_factory=list)

    @staticmethod
    def change(now: Figure, before: Figure | None) -> float | None:
        if before is None or now.value is None or before.value is None:
            return None
        if now.unit != "count" and now.denominator and before.denominator:  # exactly, from the counts
            scale = 100_000 if now.unit == "per 100,000" else 100
            return float(Fraction(scale * now.numerator, now.denominator) - Fraction(scale * before.numerator, before.denominator))
        return now.value - before.value  # unrounded; rounded half up where shown

    @property
    def change_quarter(self) -> float | None:
        return self.change(self.figure, self.previous)

    @property
    def change_year(self) -> float | None:
        return self.change(self.figure, self.last_year)


def scorecard(fs: FigureSet, period: str) -> list[ScorecardRow]:
    p = Period.parse(period)
    rows = []
    for m in fs.framework.measures:
        f = fs.get(m.id, p.label)
        if f is None:
            continue
        rows.append(ScorecardRow(f, m, fs.get(m.id, p.previous().label), fs.get(m.id, p.shift(-4).label),
                                 fs.series(m.id, p.label, 8), fs.quarter_series(m.id, p.label),
                                 fs.recalculations.get(m.id, [])))
    return rows


RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", None: ""}


def change_text(now: Figure, before: Figure | None, delta: float | None, publish: bool) -> str:
    """Change since an earlier figure (points for percentages); in publication mode a count's change uses rounded counts."""
    from assurance import disclosure

    if now.small or delta is None:
        return ""
    if publish:  # the difference of the two figures as shown, so it gives back nothing they hide
        a, b = disclosure.figure_point(now, True), disclosure.figure_point(before, True)
        if a is None or b is None:
            return ""
        delta = disclosure.round_half_up(a - b, 1)
    if now.unit == "%":
        return f"{numbers.fmt(delta, 1, sign=True)} pts"
    return numbers.fmt(delta, 0 if float(delta).is_integer() else 1, sign=True)  # counts change by whole numbers


def _with_window(shown: str, f: Figure) -> str:
    """'72.0% (3 of 4 quarters)' for a figure short of its window; a withheld figure ([c], [x]) stays as it is."""
    return f"{shown} ({f.window_note})" if f.partial_window and not shown.startswith("[") else shown


def scorecard_frame(rows: list[ScorecardRow], publish: bool, commentary: dict[str, list] | None = None,
                    with_trend: bool = False, window_in_name: bool = False) -> pd.DataFrame:
    """The scorecard as a table, grouped by strand (pages and the board pack show the same thing). window_in_name:
    a figure short of its window says so after the measure's name ('... (1 of 4 quarters)'), not in its value, so
    the value column stays narrow on screen."""
    from assurance import disclosure
    from assurance.board.commentary import commentary_text
    from assurance.measures.framework import STRAND_NAMES, STRANDS
    from assurance.measures.variation import measure_spc

    out = []
    for r in sorted(rows, key=lambda r: STRANDS.index(r.measure.strand)):
        f, m = r.figure, r.measure
        note = (commentary or {}).get(m.id, [])
        row = {
            "Strand": STRAND_NAMES[m.strand],
            "Measure": _with_window(m.name, f) if window_in_name and not disclosure.figure_text(
                f, publish).startswith("[") else m.name,
            "Value": disclosure.figure_text(f, publish) if window_in_name else _with_window(
                disclosure.figure_text(f, publish), f),
            "Counts": disclosure.figure_counts(f, publish), "Target": "" if f.target is None else f"{f.target:g}",
            "RAG": "small number" if f.small else "not collected" if f.not_collected else RAG_LABELS[f.rag],
            "On quarter": change_text(f, r.previous, r.change_quarter, publish),
            "On year": change_text(f, r.last_year, r.change_year, publish),
            "England": "" if m.comparator is None else f"{m.comparator:g}",
            **measure_spc(r.quarters, m, r.recalculate_from, publish).labels(),
            "QA commentary": commentary_text(note[0], f, publish) if note else "",
            "id": m.id,
        }
        if with_trend:
            row["Last 8 quarters"] = [disclosure.figure_point(x, publish) for x in r.trend]
        out.append(row)
    return pd.DataFrame(out)


# The scorecard's columns on screen at 1366x768, each wide enough for its text; the rest ("On quarter", "On year",
# "Counts", "England", the MDC labels in words) in the table's column menu, the measure in detail and the download.
SCORECARD_ON_SCREEN = ("Measure", "Value", "Target", "RAG", "Variation icon", "Assurance icon", "Last 8 quarters")
SCORECARD_LABELS = {"Variation icon": "Variation", "Assurance icon": "Assurance"}
_ICON_WIDTH = 24


@dataclass(frozen=True)
class StrandTable:
    """One strand of the scorecard as the Overview draws it: red first, the Making Data Count icons beside the RAG,
    each column as wide as its longest text, and the QA commentary (long text) for a detail area under the table."""

    title: str
    frame: pd.DataFrame  # every column; those not in SCORECARD_ON_SCREEN are for the column menu
    ids: list[str]  # the measure of each row, in order
    widths: dict[str, int]
    commentary: list[tuple[str, str]]  # (measure, commentary), in the table's order


def scorecard_tables(frame: pd.DataFrame) -> list[StrandTable]:
    """The Overview's tables, one a strand, from scorecard_frame(..., with_trend=True, window_in_name=True)."""
    from assurance.analysis.spc import label_svg
    from assurance.layout import column_widths
    from assurance.measures.framework import STRAND_NAMES, STRANDS
    from assurance.views import red_first

    out = []
    for strand in STRANDS:
        part = red_first(frame[frame["Strand"] == STRAND_NAMES[strand]])
        if part.empty:
            continue
        drawn = part.drop(columns=["Strand", "id"])
        at = drawn.columns.get_loc("RAG")
        for i, name in enumerate(("Variation", "Assurance")):
            drawn.insert(at + 1 + i, f"{name} icon", drawn[name].map(lambda v: label_svg(v) or ""))
        drawn["Last 8 quarters"] = [[x for x in points if x is not None] for points in drawn["Last 8 quarters"]]
        first = [c for c in SCORECARD_ON_SCREEN if c in drawn.columns]
        drawn = drawn[first + [c for c in drawn.columns if c not in first]]
        widths = column_widths(drawn, ["Measure", "Value", "Target", "RAG"], SCORECARD_LABELS)
        widths.update(column_widths(drawn.iloc[:0], ["Variation icon", "Assurance icon", "Last 8 quarters"],
                                    SCORECARD_LABELS))
        notes = [(m, c) for m, c in zip(drawn["Measure"], drawn["QA commentary"]) if str(c).strip()]
        out.append(StrandTable(f"{STRAND_NAMES[strand]} strand", drawn.reset_index(drop=True), part["id"].tolist(),
                               widths, notes))
    return out


def scorecard_counts(frame: pd.DataFrame, rows: list[ScorecardRow]) -> str:
    """The scorecard's headline in one line: how many red, amber, green and not rated, and why not rated."""
    count = {r: int((frame["RAG"] == r).sum()) for r in ("Red", "Amber", "Green")}
    not_rated = len(frame) - sum(count.values())
    information = sum(r.measure.polarity == "information" and not r.figure.not_collected for r in rows)
    small = sum(r.figure.small and r.measure.polarity != "information" for r in rows)
    missing = sum(r.figure.not_collected for r in rows)
    why = [f"{information} for information only", f"{small} on small numbers"] + (
        [f"{missing} not collected"] if missing else [])
    return (f"**{count['Red']} red** · **{count['Amber']} amber** · **{count['Green']} green** · "
            f"**{not_rated} not rated** ({', '.join(why)})")


@dataclass(frozen=True)
class Headline:
    """One measure's figure for a period as a page's headline shows it: every word already written."""

    measure: str
    name: str
    value: str
    change: str  # on the previous quarter ('' when there is none to compare)
    change_colour: str  # how a rise reads: "normal" (good), "inverse" (bad) or "off" (neither), as st.metric takes it
    status: str  # 'Red', 'Amber', 'Green', 'Not rated', 'Small number' or 'Not collected'
    rag: str | None
    target: str  # 'Target 80%', or '' for a measure without one
    about: str  # numerator, denominator, and the England comparator when there is one


def headlines(fs: FigureSet, measures: list[MeasureDef], period: str, publish: bool) -> list[Headline]:
    """The headline of each measure that has a figure for `period`, in framework order."""
    from assurance import disclosure

    label = Period.parse(period).label
    previous = Period.parse(period).previous().label
    out = []
    for m in measures:
        f = fs.get(m.id, label)
        if f is None:
            continue
        target = "" if f.target is None else f"Target {f.target:g}{'%' if m.unit == '%' else ''}"
        status = ("Not collected" if f.not_collected else "Small number" if f.small
                  else RAG_LABELS[f.rag] if f.rag else "Not rated")
        before = fs.get(m.id, previous)
        about = f"{m.numerator}" + (f" ÷ {m.denominator}" if m.denominator else "") + "."
        if m.comparator_note:
            about += f" {m.comparator_note}."
        out.append(Headline(
            measure=m.id, name=m.name, value=disclosure.figure_text(f, publish),
            change=change_text(f, before, ScorecardRow.change(f, before), publish) if f.has_data else "",
            change_colour={"higher": "normal", "lower": "inverse"}.get(m.polarity, "off"),
            status=status, rag=None if f.small else f.rag, target=target, about=about,
        ))
    return out


def rank(figure: Figure, peers: list[Figure], publish: bool = False) -> tuple[int, int] | None:
    """(position, out of) among the other partners' rated figures, 1 = best by the measure's polarity; published,
    by the figures as shown (exact values would order figures that are shown the same)."""
    from assurance import disclosure

    def value(f):
        return disclosure.figure_point(f, True) if publish else f.value

    mine = value(figure)
    if mine is None or figure.small or figure.polarity == "information" or not peers:
        return None
    shown = [v for y in peers if (v := value(y)) is not None]
    better = sum((v > mine) if figure.polarity == "higher" else (v < mine) for v in shown)
    return better + 1, len(shown) + 1
