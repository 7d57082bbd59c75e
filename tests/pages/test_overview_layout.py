"""The Overview at a glance on a laptop: a one-line headline, each strand red first with its key columns whole,
long QA commentary under the table rather than cut short in it."""

import json

from assurance.board.commentary import add_commentary
from assurance.db.engine import get_engine
from assurance.measures.compute import compute_figures
from tests.pages.helpers import open_page, texts, user_for_role

ON_SCREEN = ["Measure", "Value", "Target", "RAG", "Variation icon", "Assurance icon", "Last 8 quarters"]


def _shown_columns(table) -> list[str]:
    """The columns a grid draws, in order (those the column configuration does not hide)."""
    config = json.loads(table.proto.columns)
    return [c for c in table.value.columns if not config.get(f"_column-{c}-{list(table.value.columns).index(c) + 1}",
                                                                 config.get(c, {})).get("hidden")]


def test_the_scorecard_headline_is_one_line_of_counts(demo_url):
    at = open_page("pages/overview.py", period="2026-27 Q2")
    fs = compute_figures(get_engine(demo_url))
    shown = [f for m in fs.framework.measures if (f := fs.get(m.id, "2026-27 Q2")) is not None and f.has_data]
    red, amber, green = (sum(f.rag == r and not f.small for f in shown) for r in ("red", "amber", "green"))
    info = sum(f.polarity == "information" for f in shown)
    small = sum(f.small and f.polarity != "information" for f in shown)
    line = (f"{red} red · {amber} amber · {green} green · {len(shown) - red - amber - green} not rated "
            f"({info} for information only, {small} on small numbers)")
    assert line in texts(at).replace("**", "")
    assert not at.metric  # no row of big numbers pushing the red rows below the screen's edge


def test_each_strand_shows_its_key_columns_red_first_with_the_window_after_the_name(demo_url):
    at = open_page("pages/overview.py", period="2026-27 Q2")
    fs = compute_figures(get_engine(demo_url))
    for table in at.dataframe:
        frame = table.value
        assert _shown_columns(table) == ON_SCREEN
        rags = [r for r in frame["RAG"] if r in ("Red", "Amber", "Green")]
        assert rags == sorted(rags, key=["Red", "Amber", "Green"].index)
        assert not frame[ON_SCREEN[:4]].isin(["None"]).any().any()
    rows = {m: v for table in at.dataframe for m, v in zip(table.value["Measure"], table.value["Value"])}
    sar = fs.get("sar_actions_on_time", "2026-27 Q2")
    assert sar.partial_window  # the demo's SAR actions have less than a year of quarters
    assert rows[f"{sar.name} ({sar.window_note})"] == f"{100 * sar.numerator / sar.denominator:.1f}%"


def test_qa_commentary_is_read_in_full_under_its_strand_not_cut_in_the_table(demo_copy_url, fresh_caches):
    text = ("Decisions have slowed as the front door team carried two vacancies; agency staff started in "
            "September. Expect recovery from Q3.")
    add_commentary(get_engine(demo_copy_url), "concerns", "2026-27 Q2", text, user_for_role("qa"))
    at = open_page("pages/overview.py", period="2026-27 Q2")
    data = at.dataframe[0]
    assert "QA commentary" not in _shown_columns(data)
    notes = next(e for e in at.expander if e.label.startswith("QA commentary on") and "Data strand" in e.label)
    assert f"Safeguarding concerns received: {text}" in texts(notes).replace("**", "")
