"""The Partner view at a glance on a laptop: the partner's figures red first with their key columns whole, the
challenges with dates as the challenge log writes them and each question in full, the comparison in plain words."""

import json

from sqlalchemy import select

from assurance.db.models import Challenge, Partner
from assurance.directory import list_partners
from assurance.measures.compute import compute_figures
from tests.pages.helpers import open_page, texts


def _drawn(table) -> list[str]:
    config = json.loads(table.proto.columns)
    names = list(table.value.columns)
    return [c for i, c in enumerate(names) if not config.get(f"_column-{c}-{i + 1}", config.get(c, {})).get("hidden")]


def test_their_figures_are_red_first_with_no_empty_column_taking_room(demo_url):
    at = open_page("pages/partner_view.py", period="2026-27 Q2", partner="LA")
    table = at.dataframe[0]
    rags = list(table.value["RAG"])
    rated = [r for r in rags if r in ("Red", "Amber", "Green")]
    assert rated == sorted(rated, key=["Red", "Amber", "Green"].index)
    assert rags[: rated.count("Red")] == ["Red"] * rated.count("Red")  # red at the very top
    drawn = _drawn(table)
    assert drawn[:5] == ["Measure", "Value", "Counts", "Target", "RAG"]
    assert "Their commentary" not in drawn  # read in full under "Their commentary"
    ranks = table.value["Rank among partners"]
    assert ("Rank among partners" in drawn) == bool(ranks.astype(bool).any())
    assert not table.value[drawn].isin(["None"]).any().any()


def test_challenges_show_dates_as_the_log_does_and_each_question_in_full(demo_url, demo_engine):
    at = open_page("pages/partner_view.py", period="2026-27 Q2", partner="LA")
    with demo_engine.connect() as c:
        raised = c.execute(select(Challenge.due_date, Challenge.question)
                           .join(Partner, Partner.id == Challenge.partner_id)
                           .where(Partner.code == "LA")).all()
    assert raised
    table = next(t.value for t in at.dataframe if "Status" in t.value.columns)
    due = [d.strftime("%d/%m/%Y") for d, _ in raised if d is not None]
    assert sorted(x for x in table["Due"] if x) == sorted(due)
    shown = texts(at)
    assert all(question in shown for _, question in raised)


def test_the_comparison_with_other_partners_is_said_in_plain_words(demo_url, demo_engine):
    at = open_page("pages/partner_view.py", period="2026-27 Q2", partner="LA")
    at.selectbox(key="pv-compare").select("staff_trained").run()
    fs = compute_figures(demo_engine, "LA")
    target = fs.get("staff_trained", "2026-27 Q2").target
    values = {}
    for code in [p.code for p in list_partners(demo_engine) if p.type != "Board"]:
        x = compute_figures(demo_engine, code).get("staff_trained", "2026-27 Q2")
        if x is not None and x.value is not None:
            values[code] = x.value
    order = sorted(values, key=lambda c: -values[c])
    position, n = order.index("LA") + 1, len(values)
    where = {1: "has the highest figure of the", n: "has the lowest figure of the"}.get(
        position, f"is {position}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(position, 'th')} of the")
    said = f"Demo Borough Council (Adult Social Care) {where} {n} partners"
    assert said in texts(at) and f"the target is {target:g}%." in texts(at)
    assert " is 1 of " not in texts(at) and "LA is" not in texts(at)
