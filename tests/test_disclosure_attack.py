"""An attack on what the product publishes, the way a motivated reader would make it.

The reader has every table the pages show (the data bundle) and every framework figure from the command line, for
every quarter, for the Board and each partner, in publication mode, plus the public population. They know how the
tables fit together: a breakdown's rows add up to the figure it breaks down, the audit tables by domain, theme and
agency count the same audits, the Board's figures are the partners' summed, a four-quarter figure is the quarters
summed, and a percentage is one count over another. Every published number becomes a constraint on the true
counts (a count rounded to 5 lies within 2 of it; [c] is at least 1; a percentage is assumed worked out from the
exact counts, as a reader would assume), and an integer program finds the smallest and largest value each hidden
count can take. A count of 1 to 4 is recovered when both are the true value; the test fails if any is.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from assurance import config, disclosure, views
from assurance.db.engine import get_engine
from assurance.demo import DemoSpec, build_demo
from assurance.directory import list_partners, list_periods, periods_with_data
from assurance.measures.compute import compute_figures, published_json
from assurance.measures.framework import framework
from tests.conftest import TODAY

BIG = 10**7


class Model:
    """Integer unknowns (true counts) with bounds, and linear constraints between them."""

    def __init__(self):
        self.index: dict[tuple, int] = {}
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.truth: dict[int, int] = {}
        self.rows: list[tuple[dict[int, float], float, float, str]] = []

    def var(self, key: tuple, truth: int | None = None) -> int:
        if key not in self.index:
            self.index[key] = len(self.lo)
            self.lo.append(0)
            self.hi.append(BIG)
        i = self.index[key]
        if truth is not None:
            self.truth[i] = int(truth)
        return i

    def bound(self, i: int, lo: float, hi: float) -> None:
        self.lo[i], self.hi[i] = max(self.lo[i], lo), min(self.hi[i], hi)

    def published_count(self, i: int, shown, exact: bool = False) -> None:
        """What a published count says about the true one."""
        if shown in (None, "", disclosure.NOT_AVAILABLE) or (isinstance(shown, float) and np.isnan(shown)):
            return
        if shown == disclosure.SUPPRESSED:
            self.bound(i, 1, BIG)
            return
        v = int(str(shown).replace(",", ""))
        if exact or v == 0:
            self.bound(i, v, v)
        else:
            self.bound(i, max(v - 2, 5), v + 2)

    def equal(self, terms: dict[int, float], value: float = 0.0) -> None:
        self.rows.append((terms, value, value, "sum"))

    def percent(self, num: int, den: int, shown) -> None:
        """p% = num / den, p rounded to 1 decimal place: (p - 0.05) den <= 100 num <= (p + 0.05) den."""
        if not isinstance(shown, (int, float)) or isinstance(shown, bool):
            return
        p = float(shown)
        self.rows.append(({num: 100.0, den: -(p - 0.05)}, 0.0, np.inf, "ratio"))
        self.rows.append(({num: 100.0, den: -(p + 0.05)}, -np.inf, 0.0, "ratio"))

    def rate(self, num: int, population: int, shown) -> None:
        if not isinstance(shown, (int, float)):
            return
        r = float(shown)
        self.rows.append(({num: 100_000.0}, (r - 0.05) * population, (r + 0.05) * population, "ratio"))

    def recovered(self) -> list[tuple[tuple, int]]:
        """Hidden counts of 1 to 4 pinned to their true value by everything published, read with the percentages
        and rates taken as exact, and without them (should they not fit, the sums alone may still give one away)."""
        with_ratios = self._pinned(self.rows)
        sums_only = self._pinned([r for r in self.rows if r[3] == "sum"])
        return sorted(set(with_ratios) | set(sums_only), key=str)

    def _pinned(self, all_rows) -> list[tuple[tuple, int]]:
        """Each group of linked unknowns is solved on its own."""
        parent = list(range(len(self.lo)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for terms, *_ in all_rows:
            first, *rest = terms
            for j in rest:
                parent[root(j)] = root(first)
        groups = defaultdict(list)
        for i in range(len(self.lo)):
            groups[root(i)].append(i)
        rows_of = defaultdict(list)
        for row in all_rows:
            rows_of[root(next(iter(row[0])))].append(row)
        names = {i: k for k, i in self.index.items()}
        found = []
        for g, members in groups.items():
            targets = [i for i in members if 1 <= self.truth.get(i, 0) <= 4]
            if not targets:
                continue
            local = {i: k for k, i in enumerate(members)}
            rows = rows_of[g]
            A = np.zeros((len(rows), len(members)))
            lb, ub = np.zeros(len(rows)), np.zeros(len(rows))
            for r, (terms, lo, hi, _) in enumerate(rows):
                for i, coef in terms.items():
                    A[r, local[i]] += coef
                lb[r], ub[r] = lo, hi
            constraints = [LinearConstraint(A, lb, ub)] if rows else []
            bounds = Bounds(np.array([self.lo[i] for i in members], float), np.array([self.hi[i] for i in members], float))
            for i in targets:
                true = self.truth[i]
                if self.lo[i] > true or self.hi[i] < true:
                    continue  # the reader's reading excludes the truth: nothing recovered
                if not rows:
                    if self.lo[i] == self.hi[i] == true:
                        found.append((names[i], true))
                    continue
                ends = []
                for sign in (1, -1):
                    c = np.zeros(len(members))
                    c[local[i]] = sign
                    res = milp(c, constraints=constraints, bounds=bounds, integrality=np.ones(len(members)))
                    if res.status != 0:  # no reading fits everything published: the reader learns nothing here
                        ends = None
                        break
                    ends.append(round(res.x[local[i]]))
                if ends and ends[0] == ends[1] == true:
                    found.append((names[i], true))
        return found

def _cell(v):
    if isinstance(v, str):
        s = v.strip()
        if s in (disclosure.SUPPRESSED, disclosure.NOT_AVAILABLE, ""):
            return s
        try:
            return float(s.replace(",", "").rstrip("%")) if "." in s else int(s.replace(",", ""))
        except ValueError:
            return s
    return v


COUNTS = re.compile(r"^([\d,]+|\[c\]) of ([\d,]+|\[c\])$")


def attack(url: str) -> list:
    engine = get_engine(url)
    fw = framework()
    periods = list_periods(engine)
    labels = {p.label for p in periods_with_data(engine)}
    partners = [p for p in list_partners(engine) if p.type != "Board"]
    from assurance.reference import population

    adults = population.adults(config.board().population_area)
    m = Model()
    scopes = [None, *partners]
    figure_sets = {q.code if q else None: compute_figures(engine, q.code if q else None) for q in scopes}

    # The command line's figures: every measure, quarter and scope.
    for code, fs in figure_sets.items():
        for f in fs.figures.values():
            if f.period not in labels or f.numerator is None:
                continue
            shown = published_json(f, True)
            exact = not f.protected
            n = m.var(("fig", code, f.period, f.measure, "N"), f.numerator)
            m.published_count(n, shown["numerator"], exact)
            if f.unit == "%" and f.denominator is not None:
                d = m.var(("fig", code, f.period, f.measure, "D"), f.denominator)
                m.published_count(d, shown["denominator"], exact)
                m.percent(n, d, shown["value"])
                if f.protected:  # what is left over is a count of people too (adults not asked, say)
                    rest = m.var(("fig", code, f.period, f.measure, "D-N"), f.denominator - f.numerator)
                    m.equal({d: 1.0, n: -1.0, rest: -1.0})
            elif f.unit == "per 100,000":
                m.rate(n, adults, shown["value"])
    # Same definition, same quarter: one unknown (e.g. concerns and the concern rate; S42 concluded in MSP asked and
    # capacity). Quarterly figures sum to four-quarter ones; the Board's are the partners' summed.
    by_def = defaultdict(list)
    for code, fs in figure_sets.items():
        for f in fs.figures.values():
            if f.period in labels and f.numerator is not None:
                by_def[(code, f.period, fw.get(f.measure).definition)].append(f)
    for (code, period, _), same in by_def.items():
        first = same[0]
        for other in same[1:]:
            m.equal({m.var(("fig", code, period, first.measure, "N")): 1,
                     m.var(("fig", code, period, other.measure, "N")): -1})
    for label in labels:
        for measure in fw.ids:
            board = figure_sets[None].get(measure, label)
            if board is None or board.numerator is None or fw.get(measure).unit == "per 100,000":
                continue
            parts = [q.code for q in partners if (x := figure_sets[q.code].get(measure, label)) is not None
                     and x.numerator is not None]
            for part in ("N", "D") if board.denominator is not None else ("N",):
                terms = {m.var(("fig", None, label, measure, part)): 1.0}
                for code in parts:
                    terms[m.var(("fig", code, label, measure, part))] = terms.get(
                        m.var(("fig", code, label, measure, part)), 0) - 1.0
                m.equal(terms)

    # Every table every page shows, every quarter, and how the tables fit together.
    shown = [p for p in periods if p.label in labels]
    for k, period in enumerate(shown):
        for name, frame in views.bundle_for(engine, period.label, None, "download").items():
            _tables(m, name, frame, period.label, fw)
            if "outcomes-by-" in name:  # four quarters of enquiries by group: the quarters' enquiries summed
                cells = {}
                for row in frame.to_dict("records"):
                    i = m.var(("group", period.label, name, row[frame.columns[0]]))
                    m.published_count(i, _cell(row["Enquiries"]))
                    cells[i] = 1.0
                for q in shown[max(0, k - 3): k + 1]:
                    cells[m.var(("fig", None, q.label, "msp_asked", "D"))] = -1.0
                m.equal(cells)
    return m.recovered()


def _tables(m: Model, name: str, frame, period: str, fw) -> None:
    if name.startswith(("overview__", "partner-view-")):
        code = None if name.startswith("overview__") else name.split("__")[0].removeprefix("partner-view-").upper()
        names = {x.name: x.id for x in fw.measures}
        for row in frame.to_dict("records"):
            mid = names.get(row["Measure"])
            match = COUNTS.match(str(row.get("Counts") or ""))
            if mid is None:
                continue
            key = ("fig", code, period, mid)
            if match:
                m.published_count(m.var((*key, "N")), _cell(match.group(1)))
                m.published_count(m.var((*key, "D")), _cell(match.group(2)))
                m.percent(m.var((*key, "N")), m.var((*key, "D")), _cell(row["Value"]))
            elif fw.get(mid).unit == "count":
                m.published_count(m.var((*key, "N")), _cell(row["Value"]))
        return
    if name.startswith("audits__audit-grades-by-"):
        by = name.split("audit-grades-by-")[1].removesuffix(".csv")
        label = frame.columns[0]
        grades = ("Outstanding", "Good", "Requires improvement", "Inadequate")
        columns = defaultdict(dict)
        for row in frame.to_dict("records"):
            for grade in grades:
                if grade in row:
                    i = m.var(("audit", period, by, row[label], grade))
                    m.published_count(i, _cell(row[grade]))
                    columns[grade][i] = 1.0
        for grade in grades:  # by theme and by agency: the same audits as the Overall row of the domain table
            overall = m.var(("audit", period, "domain", "Overall", grade))
            if by != "domain" and columns[grade]:
                m.equal({**columns[grade], overall: -1.0})
        if by == "domain":  # each domain's row is its figure's numerator (good or better) and denominator (graded)
            ids = {"Overall": "audit_good", "Making Safeguarding Personal": "audit_good_msp",
                   "Risk assessment": "audit_good_risk", "Mental capacity": "audit_good_capacity",
                   "Partnership working": "audit_good_partnership", "Recording": "audit_good_recording",
                   "Outcome for the adult": "audit_good_outcome"}
            for domain, mid in ids.items():
                cells = {g: m.var(("audit", period, "domain", domain, g)) for g in grades}
                m.equal({cells["Outstanding"]: 1.0, cells["Good"]: 1.0, m.var(("fig", None, period, mid, "N")): -1.0})
                m.equal({**{c: 1.0 for c in cells.values()}, m.var(("fig", None, period, mid, "D")): -1.0})
        return
    if name == "audits__audit-findings.csv" and "Audits" in frame.columns:
        for theme, rows in frame.groupby("Theme"):  # the summary by theme and agency adds up to the theme table
            terms = {}
            for row in rows.to_dict("records"):
                i = m.var(("findings", period, theme, row["Agency"]))
                m.published_count(i, _cell(row["Audits"]))
                terms[i] = 1.0
            for grade in ("Outstanding", "Good", "Requires improvement", "Inadequate"):
                terms[m.var(("audit", period, "theme", theme, grade))] = -1.0
            m.equal(terms)
        return
    if name.startswith("demographics__"):  # age, ethnicity and gender count the same adults
        scope = "s42" if "-s42-" in name else "concerns"
        count = "Adults in safeguarding" if "Adults in safeguarding" in frame.columns else "Individuals"
        if count not in frame.columns:
            return
        kind = name.split("__")[1].split("-")[0]
        cells = []
        for row in frame.to_dict("records"):
            i = m.var(("adults", period, scope, kind, row[frame.columns[0]]))
            m.published_count(i, _cell(row[count]))
            cells.append((i, row))
        total = m.var(("adults", period, scope, "all"))
        known = m.var(("adults", period, scope, kind, "known"))  # gender's rows are every adult; age and
        m.equal({**{i: 1.0 for i, _ in cells}, known: -1.0})    # ethnicity leave out the not known
        if kind == "gender":
            m.equal({known: 1.0, total: -1.0})
        else:
            m.equal({known: 1.0, m.var(("adults", period, scope, kind, "not known")): 1.0, total: -1.0})
        for i, row in cells:
            m.percent(i, known, _cell(row.get("%" if kind == "gender" else "Share %")))
        return
    # one-count breakdowns: each row a cell; the cells add up to the figure they break down
    count = next((c for c in ("Concerns", "Enquiries") if c in frame.columns), None)
    if count is None or "outcomes-by-" in name:
        return
    label = frame.columns[0]
    cells = []
    for row in frame.to_dict("records"):
        i = m.var(("table", period, name, row[label]))
        m.published_count(i, _cell(row[count]))
        cells.append(i)
        pct = next((c for c in ("%", "% of enquiries") if c in row), None)
        if pct == "%":
            total = m.var(("table-total", period, name))
            m.percent(i, total, _cell(row[pct]))
    if "%" in frame.columns and "of-risk" not in name:
        m.equal({**{i: 1.0 for i in cells}, m.var(("table-total", period, name)): -1.0})
    total_of = {"referral-sources": ("concerns", "N"), "risk-assessment-outcomes": ("msp_asked", "D"),
                "asked-about-desired-outcomes": ("msp_asked", "D"), "lacked-capacity": ("msp_asked", "D"),
                "felt-safer": ("msp_asked", "D"), "risk-outcome": ("msp_asked", "D")}
    for stem, (measure, part) in total_of.items():
        if f"__{stem}-" in name:
            m.equal({**{i: 1.0 for i in cells}, m.var(("fig", None, period, measure, part)): -1.0})


@pytest.fixture(params=[11, 29, 2026], ids=["demo", "second-seed", "command-line-demo-300"])
def published_board(request, databases, board, demo_db, config_copy, monkeypatch):
    """The demo Board, one built from a second seed, and the command line's demo at 300 concerns a quarter (where a
    reviewer found an audit count pinned by the [c] cells of a sparse table), with the Board in publication mode."""
    board_path, _ = config_copy
    board_path.write_text(board_path.read_text().replace("publication_mode = false", "publication_mode = true"))
    if request.param == 11:
        url = demo_db[0]
    else:
        url = databases.new()
        quarters, per_quarter = (8, 250) if request.param == 29 else (12, 300)
        build_demo(get_engine(url), board, DemoSpec(seed=request.param, quarters=quarters,
                                                    concerns_per_quarter=per_quarter, today=TODAY))
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    assert config.board().publication_mode
    return url


def test_no_count_of_1_to_4_can_be_worked_out_from_what_is_published(published_board):
    recovered = attack(published_board)
    assert recovered == [], f"{len(recovered)} hidden counts recovered, e.g. {recovered[:10]}"
