"""Routes out that are not tables: intervals, sentences, rankings and row counts, in publication mode.

Each was found by reading the pages and the pack as an attacker would; each test works the published output back
the way the attacker did and checks that only rounded counts come out.
"""

from __future__ import annotations

import math
import re

import pytest

from assurance import disclosure
from assurance.db.engine import get_engine
from assurance.directory import periods_with_data

Z = 1.959964


def _byar(o: int) -> tuple[float, float]:  # written out here, independently of the product
    lower = 0.0 if o == 0 else o * (1 - 1 / (9 * o) - Z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    return lower, o1 * (1 - 1 / (9 * o1) + Z / (3 * math.sqrt(o1))) ** 3


def test_a_published_age_adjusted_interval_fits_only_rounded_counts(demo_url, tmp_path, monkeypatch):
    """Interval / ratio is Byar(observed) / observed: published, the observed count it fits must be a rounded one."""
    from assurance.analysis import breakdowns as bd
    from assurance.analysis import representation as rep
    from assurance.reference import ethnicity_by_age

    engine = get_engine(demo_url)
    period = periods_with_data(engine)[-1]
    area = "Luton"
    baseline = ethnicity_by_age.load(area)
    assert baseline is not None
    eth = bd.individuals_by(engine, "ethnicity_broad", [period.id], "concerns")
    crude, _ = rep.by_ethnicity(eth, area, False)
    people = rep.people_by_age_and(engine, "ethnicity_broad", [period.id], "concerns", None)
    exact = {g: sum(n for _, grp, n in people.itertuples(index=False) if grp == g) for g in {r.group for r in crude}}
    view = rep.adjusted_view(people, baseline, crude, "Ethnic group", False, True)
    assert view.table is not None
    checked = 0
    for row in view.table.to_dict("records"):
        if row["95% interval"] in ("", disclosure.SUPPRESSED) or not isinstance(row["Age-adjusted ratio"], float):
            continue
        low, high = (float(x) for x in row["95% interval"].split(" to "))
        r = row["Age-adjusted ratio"]

        def fits_end(shown, end):  # the ratio and the ends are each rounded to 2 places
            return (r - 0.005) * end - 0.005 <= shown <= (r + 0.005) * end + 0.005

        fits = [n for n in range(1, 5000)
                if fits_end(low, _byar(n)[0] / n) and fits_end(high, _byar(n)[1] / n)]
        truth = exact[row["Ethnic group"]]
        assert fits != [truth] or truth % 5 == 0, (row, truth)  # never pinned to an exact count
        assert any(n % 5 == 0 for n in fits), (row, fits)  # what it fits is the rounded count
        checked += 1
    assert checked >= 3


def test_the_pack_summary_gives_the_published_figures(demo_url):
    """The executive summary's sentences (special cause, red, failing) quote each figure as published: counts of
    people rounded to 5 and the percentage worked out from the rounded counts."""
    from datetime import date
    from decimal import ROUND_HALF_UP, Decimal

    from assurance.board.pack import build_pack
    from assurance.measures.compute import compute_figures, scorecard

    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    pack = build_pack(engine, label, date(2026, 11, 23), publish=True)
    bullets = next(s for s in pack.sections if s.title == "Executive summary").bullets
    rows = {r.measure.name: r for r in scorecard(compute_figures(engine), label)}

    def r5(n):
        return (n + 2) // 5 * 5

    checked = 0
    for line in bullets:
        found = re.match(r"(?:Special cause concerning|Red for \d+ quarters running|Consistently failing|Red): (.+?) was "
                         r"([\d.]+)% \(([\d,]+) of ([\d,]+)\)", line)
        if not found or not rows[found[1]].figure.protected:
            continue
        f = rows[found[1]].figure
        assert (found[3], found[4]) == (f"{r5(f.numerator):,}", f"{r5(f.denominator):,}"), line
        shown = Decimal(str(100 * r5(f.numerator) / r5(f.denominator))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert found[2] == str(shown), line
        checked += 1
    assert checked >= 2


def test_a_published_rate_interval_is_the_rounded_counts(demo_url):
    from assurance.measures.compute import compute_figures
    from assurance.measures.conventions import rate_interval_note

    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    f = compute_figures(engine).get("concern_rate", label)
    assert f.numerator % 5, "pick a quarter whose count is not a multiple of 5"
    low, high = (float(x.replace(",", "")) for x in re.findall(r"[\d,]+\.\d", rate_interval_note(f, True))[:2])
    rounded = (f.numerator + 2) // 5 * 5
    assert (low, high) == pytest.approx(tuple(100_000 * x / f.denominator for x in _byar(rounded)), abs=0.051)


def test_returns_row_counts_are_rounded_in_the_pack(demo_url):
    from datetime import date

    from assurance.board.pack import build_pack

    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    pack = build_pack(engine, label, date(2026, 11, 23), publish=True)
    quality = next(t.frame for s in pack.sections for t in s.tables if t.title == "Returns for the quarter")
    rows = [v for v in quality["Rows"] if v not in ("", disclosure.NOT_AVAILABLE, None)]
    assert rows and all(v == disclosure.SUPPRESSED or int(v) % 5 == 0 for v in rows)


def test_partners_are_ranked_by_their_published_figures():
    from assurance.measures.compute import Figure, rank

    def fig(num, den):
        return Figure("m", "M", "data", "2026-27 Q2", "X", num, den, 100 * num / den, "%", 80.0, "higher", None,
                      False, "quarter")
    mine, other = fig(41, 50), fig(42, 50)  # published alike: 40 of 50 and 40 of 50, 80.0% each
    assert rank(mine, [other]) == (2, 2)
    assert rank(mine, [other], publish=True) == (1, 2)
