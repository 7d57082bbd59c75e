"""Charts and their tables on the pages, as a reader at a laptop or a projector sees them."""

import json
import re

from assurance.analysis import breakdowns as bd
from assurance.db.engine import get_engine
from assurance.directory import list_periods
from assurance.measures.compute import compute_figures
from assurance.measures.framework import load_framework
from assurance.numbers import fmt, share
from tests.pages.helpers import open_page

PERIOD = "2026-27 Q2"


def _figures(at) -> dict:
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {f["layout"]["title"]["text"]: f for f in figures}


def test_outcomes_by_group_mark_small_groups_and_show_one_decimal(demo_url):
    at = open_page("pages/outcomes.py", period=PERIOD)
    engine = get_engine(demo_url)
    labels = compute_figures(engine).periods  # the quarters with figures: the four to the period
    window = [p.id for p in list_periods(engine) if p.label in labels[labels.index(PERIOD) - 3: labels.index(PERIOD) + 1]]
    raw = bd.outcomes_by_group(engine, "age_band", window)
    minimum = load_framework().min_denominator
    small = set(raw.loc[raw["Asked of"] < minimum, "Age band"])
    assert small, "the demo has an age band resting on a handful of enquiries"

    table = next(t.value for t in at.dataframe if "Asked %" in t.value.columns)
    expected = {g: fmt(share(n, d)) for g, n, d in zip(raw["Age band"], raw["Asked"], raw["Asked of"])}
    assert dict(zip(table["Age band"], table["Asked %"])) == expected  # one decimal always: 81.0, never 81
    assert all(re.fullmatch(r"\d+\.\d", v) for v in table["Asked %"])

    chart = _figures(at)["Asked about desired outcomes, by group"]
    plain = next(t for t in chart["data"] if t["name"] == "% asked")
    hatched = next(t for t in chart["data"] if t["name"].startswith(f"Fewer than {minimum}"))
    assert set(hatched["y"]) == small and not small & set(plain["y"])
    assert hatched["marker"]["pattern"]["shape"] == "/"
    caption = next(c.value for c in at.caption if c.value.startswith("Among groups"))
    assert "hatched" in caption


def test_audit_trend_axis_never_passes_100(demo_url):
    at = open_page("pages/audits.py", period=PERIOD)
    chart = _figures(at)["Good or better, each quarter's audits"]
    assert chart["layout"]["yaxis"]["range"][1] <= 100
    upper = next(t for t in chart["data"] if t.get("name") == "upper limit")
    assert max(y for y in upper["y"] if y is not None) <= 100


def test_demographics_words_the_unrecorded_in_the_national_labels(demo_url):
    from tests.pages.helpers import texts

    shown = texts(open_page("pages/demographics.py", period=PERIOD))
    assert "Refused or not known" not in shown and "Age not known" not in shown
    assert f"Ethnicity {bd.unrecorded('ethnicity_broad')} for " in shown  # Refused or Undeclared / Not Known
    assert f"Age band {bd.unrecorded('age_band')} for " in shown
