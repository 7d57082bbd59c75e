"""Making Data Count on the pages: the scorecard's Variation and Assurance, the SPC charts, recalculation points."""

import base64

from assurance.analysis.recalculations import recalculations
from assurance.db.engine import get_engine
from assurance.measures.compute import compute_figures
from tests.pages.helpers import open_page

PERIOD = "2026-27 Q2"
VARIATIONS = {"Common cause", "Too few quarters", "", "Special cause improving (high)", "Special cause improving (low)",
              "Special cause concerning (high)", "Special cause concerning (low)", "Special cause high",
              "Special cause low"}


def _svg(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def _window(fs, m) -> str:
    x = fs.get(m.id, PERIOD)
    return x.window_note if x is not None else ""


def test_scorecard_shows_variation_and_assurance_for_every_measure(demo_url):
    at = open_page("pages/overview.py", period=PERIOD, role="qa")
    fs = compute_figures(get_engine(demo_url))
    tables = [t.value for t in at.dataframe if "Variation" in t.value.columns]
    assert tables, "no scorecard with a Variation column"
    for table in tables:
        columns = list(table.columns)
        assert columns[columns.index("RAG"):][:3] == ["RAG", "Variation icon", "Assurance icon"]  # at a glance
        assert {"Variation", "Assurance"} <= set(columns)  # and in words
        for _, row in table.iterrows():
            # a figure short of its window says so after the name: "... (1 of 4 quarters)"
            m = next(x for x in fs.framework.measures if row["Measure"] in (x.name, f"{x.name} ({_window(fs, x)})"))
            assert row["Variation"] in VARIATIONS
            # Assurance only where there is a target to pass or fail
            if m.target is None or m.polarity == "information":
                assert row["Assurance"] == ""
            else:
                assert row["Assurance"] in ("Consistently passing", "Consistently failing", "Hit and miss", "")
            if row["Variation"] in ("", "Too few quarters"):
                assert row["Variation icon"] == ""
            else:
                assert row["Variation icon"].startswith("data:image/svg+xml;base64,")
            if row["Variation"].startswith("Special cause concerning"):
                drawn = _svg(row["Variation icon"])
                assert "#B04A00" in drawn and (">L<" in drawn) == row["Variation"].endswith("(low)")
            if row["Assurance"] == "Consistently failing":
                assert ">F<" in _svg(row["Assurance icon"])
    # The demo's council is slower on concern decisions in recent quarters: the one special cause in the scorecard.
    all_rows = {r["Measure"]: r for t in tables for _, r in t.iterrows()}
    assert all_rows["Concern decisions within 2 working days"]["Variation"] == "Special cause concerning (low)"
    assert any("Making Data Count" in c.value for c in at.caption)


def test_qa_records_a_recalculation_point_and_the_chart_says_so(demo_copy_url, fresh_caches):
    at = open_page("pages/overview.py", period=PERIOD, role="qa")
    at.selectbox(key="ov-measure").select("staff_trained").run()
    periods = at.selectbox(key="ov-recalc-period").options
    point = periods[-5]
    at.selectbox(key="ov-recalc-period").select(point)
    at.text_input(key="ov-recalc-reason").input("Training moved online")
    next(b for b in at.button if b.label == "Record the change").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert f"worked out afresh from {point}" in at.success[0].value
    assert recalculations(get_engine(demo_copy_url)) == {"staff_trained": [(point, "Training moved online")]}
    words = " ".join(c.value for c in at.caption)
    assert f"Limits worked out afresh from {point} (Training moved online)." in words


def test_a_partner_analyst_cannot_record_a_recalculation_point(demo_url):
    at = open_page("pages/overview.py", period=PERIOD, role="analyst")
    assert not [b for b in at.button if b.label == "Record the change"]


def test_audits_trend_is_on_each_quarters_own_audits(demo_url):
    at = open_page("pages/audits.py", period=PERIOD, role="qa")
    words = " ".join(c.value for c in at.caption)
    assert "each quarter's own figure, not on the four-quarter figures" in words
    chart = next(c for c in at.get("plotly_chart") if "each quarter" in c.proto.spec)
    assert "four quarters to each period" not in chart.proto.spec
