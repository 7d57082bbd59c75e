"""The Concerns and MSP pages' headline figures: every measure of the page by its full name (a metric's own label is
cut short at a quarter of a laptop screen), its RAG and target, and a new measure shown with nothing but its
definition and framework entry. Figures are counted here with plain SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.proto.LabelVisibility_pb2 import LabelVisibility

from assurance.measures import definitions
from assurance.measures.definitions import ONE, Definition, flag
from tests.measures.test_figure_builds import NEW_MEASURE
from tests.pages.helpers import open_page, read

CONCERNS = ("Safeguarding concerns received", "Concerns per 100,000 adults", "Concerns leading to an enquiry",
            "Concern decisions within 2 working days", "Section 42 enquiries concluded within 60 days",
            "Repeat concerns within 12 months", "Ethnicity recorded")
OUTCOMES = ("Adults asked about their desired outcomes", "Expressed outcomes fully or partially achieved",
            "Risk reduced or removed, where risk was identified",
            "Adults lacking capacity supported by an advocate, family or friend", "Adults who felt safer after the enquiry")


def shown_names(at) -> list[str]:
    """The markdown lines that start with a bold name (the tiles' names, which wrap)."""
    out = []
    for md in at.markdown:
        body = read(str(md.value))
        if body.startswith("**") and "**" in body[2:]:
            out.append(body[2:body.index("**", 2)])
    return out


@pytest.mark.parametrize("page, names", [("pages/concerns.py", CONCERNS), ("pages/outcomes.py", OUTCOMES)])
def test_every_headline_is_named_in_full_where_it_can_wrap(demo_url, fresh_caches, page, names):
    at = open_page(page, period="2026-27 Q1")
    headline = [m for m in at.metric if m.label in names]
    assert sorted(m.label for m in headline) == sorted(names)
    # no metric's own label is left on screen to be cut to "Safeguarding concerns re..."
    assert all(m.proto.label_visibility.value == LabelVisibility.COLLAPSED for m in at.metric)
    assert [n for n in shown_names(at) if n in names] == list(names)  # the full names, in framework order


def test_each_headline_says_its_rag_and_target(demo_url, demo_engine, fresh_caches):
    at = open_page("pages/outcomes.py", period="2026-27 Q1")
    with demo_engine.connect() as c:
        asked, s42 = c.execute(text(
            "SELECT SUM(CASE WHEN e.msp_asked LIKE 'Yes%' THEN 1 ELSE 0 END), COUNT(*) FROM enquiries e "
            "JOIN submissions s ON s.id = e.submission_id AND s.status = 'accepted' "
            "JOIN periods p ON p.id = e.period_id WHERE p.label = '2026-27 Q1' AND e.enquiry_type = 'Section 42'")).one()
    value = 100 * asked / s42
    rag, colour = ("Green", "green") if value >= 85 else ("Amber", "orange") if value >= 80 else ("Red", "red")
    metric = next(m for m in at.metric if m.label == "Adults asked about their desired outcomes")
    assert metric.value == f"{value:.1f}%"
    line = next(str(md.value) for md in at.markdown if read(str(md.value)).startswith("**Adults asked about"))
    assert f":{colour}-badge[{rag}] Target 85%" in read(line)


def test_a_new_measure_shows_on_its_page_from_its_definition_and_framework_entry(demo_copy_url, config_copy,
                                                                                  monkeypatch, fresh_caches):
    from assurance.db.engine import get_engine

    _, framework_file = config_copy
    framework_file.write_text(framework_file.read_text() + NEW_MEASURE)
    monkeypatch.setitem(definitions.DEFINITIONS, "police_referrals",
                        Definition("concerns", flag(definitions.c.c.referral_source == "Police"), ONE))
    with get_engine(demo_copy_url).connect() as c:
        police, all_ = c.execute(text(
            "SELECT SUM(CASE WHEN c.referral_source = 'Police' THEN 1 ELSE 0 END), COUNT(*) FROM concerns c "
            "JOIN submissions s ON s.id = c.submission_id AND s.status = 'accepted' "
            "JOIN periods p ON p.id = c.period_id WHERE p.label = '2025-26 Q4'")).one()
    at = open_page("pages/concerns.py", period="2025-26 Q4")
    metric = next(m for m in at.metric if m.label == "Concerns raised by the police")
    assert metric.value == f"{100 * police / all_:.1f}%"
    assert "Concerns raised by the police" in shown_names(at)


def test_an_analysts_headlines_are_published_figures(demo_url, demo_engine, fresh_caches):
    from tests.pages.helpers import user_for_role

    at = open_page("pages/concerns.py", period="2026-27 Q1", user=user_for_role("analyst", "LA"))
    with demo_engine.connect() as c:
        n = c.execute(text(
            "SELECT COUNT(*) FROM concerns c JOIN submissions s ON s.id = c.submission_id AND s.status = 'accepted' "
            "JOIN periods p ON p.id = c.period_id JOIN partners pa ON pa.id = c.partner_id "
            "WHERE p.label = '2026-27 Q1' AND pa.code = 'LA'")).scalar()
    rounded = 5 * ((n + 2) // 5)  # to the nearest 5, halves up
    metric = next(m for m in at.metric if m.label == "Safeguarding concerns received")
    assert metric.value == f"{rounded:,}"
    outcomes = open_page("pages/outcomes.py", period="2026-27 Q1", user=user_for_role("analyst", "LA"))
    assert sorted(m.label for m in outcomes.metric) == sorted(OUTCOMES)
