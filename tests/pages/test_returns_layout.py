"""The upload and submissions pages at a glance on a 1366x768 laptop: the fix for each problem without scrolling
sideways, the missing and late returns first, plain labels."""

import re

import pytest

from tests.pages.helpers import open_page, read, texts
from tests.returns.builders import measure_sheets, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_every_problem_is_listed_with_where_and_the_fix_in_full_errors_first(engine):
    sheets = measure_sheets()
    del sheets["Measures"][2]  # mca_training: a query, with a long fix
    sheets["Measures"][1][1] = -3  # a negative count: an error
    at = open_page("pages/upload.py")
    at.file_uploader[0].upload("POL 2025-26 Q2.xlsx", xlsx(sheets), XLSX).run()
    assert not at.exception
    # Every problem in a static table that wraps its text: nothing is cut short, whatever the width.
    problems = at.table[0].value.map(read)
    assert list(problems.columns) == ["Severity", "Where", "Problem", "How to fix it"]
    assert problems["Severity"].tolist() == ["error", "query"]  # errors first
    assert problems["Where"].tolist() == ["Measures B2", "Measures column A"]
    assert problems["How to fix it"].tolist()[1] == \
        "Add a row for the measure, or explain in the commentary why you cannot report it."
    # Rules by their plain titles, never by code.
    summary = at.dataframe[0].value
    assert list(summary.columns) == ["Severity", "Problem", "Count"]
    assert summary["Problem"].tolist() == ["A count below zero", "A framework measure has no row in the return"]
    rule_filter = at.multiselect(key="upload_f_rule")
    assert sorted(rule_filter.options) == ["A count below zero", "A framework measure has no row in the return"]
    assert "Hover" not in texts(at)


def test_the_templates_name_their_checks_in_plain_words(engine):
    at = open_page("pages/upload.py")
    shown = "\n".join(m.value for m in at.markdown)
    assert "The same ID appears more than once" in shown
    assert not re.search(r"\b[A-Z]+_[A-Z_]+\b", shown), re.findall(r"\b[A-Z]+_[A-Z_]+\b", shown)


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
