"""The upload and submissions pages at a glance on a 1366x768 laptop: the fix for each problem without scrolling
sideways, the missing and late returns first, plain labels."""

import json

import pytest

from tests.pages.helpers import open_page
from tests.returns.builders import activity_sheets, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_every_problem_shows_where_what_and_how_to_fix_it_in_four_columns(engine):
    sheets = activity_sheets(8)
    sheets["Concerns"][2][5] = 15
    sheets["Enquiries"][1][6] = "Financal Abuse"
    at = open_page("pages/upload.py")
    at.file_uploader[0].upload("LA 2025-26 Q2.xlsx", xlsx(sheets), XLSX).run()
    assert not at.exception
    issues = at.dataframe[1].value
    assert list(issues.columns) == ["Severity", "Where", "Problem", "How to fix it"]
    assert issues["Where"].tolist() == ["Concerns F3", "Enquiries G2"]
    assert issues["How to fix it"].tolist()[1] == "Did you mean \u201cFinancial or Material Abuse\u201d?"
    assert not issues.isna().any().any()
    config = json.loads(at.dataframe[1].proto.columns)
    widths = [config[c]["width"] for c in issues.columns]
    assert all(isinstance(w, int) for w in widths) and sum(widths) <= 900  # beside the sidebar at 1366 px


def test_tracker_puts_missing_and_late_returns_first(demo_url):
    at = open_page("pages/submissions.py", period="2026-27 Q2")
    df = at.dataframe[0].value
    order = {"Missing": 0, "Late": 1, "Not yet due": 2, "Submitted": 3}
    ranks = [order[s.split(" (")[0]] for s in df["State"]]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert len(df.columns) <= 7 and {"Partner", "Return", "State"} <= set(df.columns)
    assert df.loc[df["State"] == "Missing", "Errors"].tolist() == [""] * int((df["State"] == "Missing").sum())


def test_tracker_names_the_choice_of_submission_plainly(demo_url):
    at = open_page("pages/submissions.py", period="2026-27 Q2")
    at.selectbox(key="tracker_pair").set_value(
        "Demo Borough Council (Adult Social Care) · Safeguarding activity return").run()
    assert at.selectbox(key="tracker_sub").label == "Show the problems found in"
    assert all(not (e.label or "").startswith("Issues of") for e in at.selectbox)


def test_submissions_follow_the_sidebar_period_with_no_quarter_box_of_their_own(demo_url):
    at = open_page("pages/submissions.py", period="2026-27 Q1")
    assert [s.label for s in at.selectbox if s.label == "Quarter"] == []
    assert any("Returns for 2026-27 Q1 were due by" in c.value for c in at.caption)
    at.sidebar.selectbox(key="period").set_value("2025-26 Q4").run()
    assert not at.exception
    assert any("Returns for 2025-26 Q4 were due by" in c.value for c in at.caption)


def test_tracker_and_history_name_each_partner(demo_url, demo_engine):
    from assurance.directory import list_partners

    names = {p.code: p.name for p in list_partners(demo_engine)}
    at = open_page("pages/submissions.py", period="2026-27 Q2")
    shown = at.dataframe[0].value["Partner"].tolist()
    assert shown and set(shown) <= set(names.values()) and not set(shown) & set(names)
    pairs = at.selectbox(key="tracker_pair").options
    assert "Demo Shire Police · Partner assurance return" in pairs
    at.selectbox(key="tracker_pair").set_value("Demo Shire Police · Partner assurance return").run()
    assert not at.exception and len(at.dataframe[1].value) >= 1
