"""AppTest for the review pages against the small demo Board, with figures checked independently."""

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import func, select, text

from assurance.db.models import Concern, Enquiry, ReportingPeriod
from tests.pages.helpers import open_page, texts


def period_id(engine, label):
    with engine.connect() as c:
        return c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == label))


def test_concerns_page_metrics_follow_the_period(demo_url, demo_engine):
    for label in ("2026-27 Q2", "2025-26 Q1"):
        at = open_page("pages/concerns.py", period=label)
        pid = period_id(demo_engine, label)
        with demo_engine.connect() as c:
            n = c.scalar(select(func.count()).select_from(Concern).where(Concern.period_id == pid))
            top = c.execute(text("SELECT referral_source, count(*) FROM concerns WHERE period_id = :p "
                                 "GROUP BY referral_source ORDER BY count(*) DESC LIMIT 1"), {"p": pid}).one()
        metric = next(m for m in at.metric if m.label == "Safeguarding concerns received")
        assert metric.value == f"{n:,}"
        assert f"{top[0]} raised the most concerns ({100 * top[1] / n:.1f}%)." in texts(at)
        assert len(at.get("plotly_chart")) == 5


def test_concerns_page_for_a_partner_without_activity(demo_url):
    at = open_page("pages/concerns.py", partner="POL")
    assert "Demo Shire Police does not make it. Choose the local authority or All partners in the sidebar." in texts(at)


def test_demographics_counts_each_adult_once(demo_url, demo_engine):
    at = open_page("pages/demographics.py", period="2026-27 Q2")
    ids = [period_id(demo_engine, "2026-27 Q2")]
    with demo_engine.connect() as c:
        n85 = c.scalar(select(func.count(func.distinct(Concern.person_id)))
                       .where(Concern.period_id.in_(ids), Concern.age_band.in_(("85-94", "95+"))))
    ages = at.dataframe[0].value.set_index("Age band")
    assert ages.loc["85+", "Adults in safeguarding"] == n85
    assert ages.loc["85+", "Finding"] == "over-represented"
    assert "Baseline: Luton" in texts(at) and "all ages" in texts(at)
    at.radio(key="dm-scope").set_value("Section 42 enquiries concluded").run()
    s42 = at.dataframe[0].value.set_index("Age band")
    assert s42.loc["85+", "Adults in safeguarding"] < n85


def test_outcomes_page(demo_url, demo_engine):
    at = open_page("pages/outcomes.py", period="2026-27 Q1")
    pid = period_id(demo_engine, "2026-27 Q1")
    with demo_engine.connect() as c:
        answers = c.execute(select(Enquiry.msp_asked).where(Enquiry.period_id == pid,
                                                            Enquiry.enquiry_type == "Section 42")).scalars().all()
    asked = sum(a.startswith("Yes") for a in answers)
    metric = next(m for m in at.metric if m.label == "Adults asked about their desired outcomes")
    assert metric.value == f"{100 * asked / len(answers):.1f}%"
    at.radio(key="oc-group").set_value("ethnicity_broad").run()
    assert "Ethnicity (broad)" in at.dataframe[-1].value.columns


def test_audits_page_search(demo_url):
    at = open_page("pages/audits.py")
    assert any(m.label == "Audited cases graded good or better" for m in at.metric)
    at.text_input(key="au-search").input("capacity").run()
    findings = at.dataframe[-1].value
    assert len(findings) > 0
    assert all("capacity" in " ".join(str(v) for v in row).lower() for row in findings.itertuples(index=False))


@pytest.fixture
def publication_mode(monkeypatch, tmp_path):
    config = (Path(__file__).resolve().parents[2] / "assurance" / "defaults" / "board.toml").read_text()
    path = tmp_path / "board.toml"
    path.write_text(config.replace("publication_mode = false", "publication_mode = true"))
    monkeypatch.setenv("ASSURANCE_BOARD_CONFIG", str(path))
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def test_publication_mode_suppresses_small_numbers(demo_url, publication_mode):
    at = open_page("pages/overview.py", period="2026-27 Q2", partner="AMB")
    shown = texts(at)
    assert "Publication mode" in shown
    quality = pd.concat([d.value for d in at.dataframe]).set_index("Measure")
    assert quality.loc["Audited cases graded good or better", "Value"] == "[c]"  # 3 audits: too few to show
    raised = quality.loc["Safeguarding concerns raised by the agency", "Value"].replace(",", "")
    assert raised == "[c]" or int(raised) % 5 == 0  # about people: rounded
    staff = quality.loc["Staff trained to their safeguarding level"]  # about the workforce: as it is
    from assurance.db.engine import get_engine
    from assurance.measures.compute import compute_figures

    truth = compute_figures(get_engine(demo_url), "AMB").get("staff_trained", "2026-27 Q2")
    assert staff["Counts"] == f"{truth.numerator:,} of {truth.denominator:,}"


def test_audit_finding_picker_leaves_out_case_grades_in_publication_mode(demo_url, monkeypatch, tmp_path):
    grades = ("Outstanding", "Good", "Requires improvement", "Inadequate")
    shown = open_page("pages/audits.py", partner="LA", role="qa").selectbox(key="au-pick")
    assert shown.options and all(o.split(" · ")[1] in grades for o in shown.options)
    config = (Path(__file__).resolve().parents[2] / "assurance" / "defaults" / "board.toml").read_text()
    (tmp_path / "board.toml").write_text(config.replace("publication_mode = false", "publication_mode = true"))
    monkeypatch.setenv("ASSURANCE_BOARD_CONFIG", str(tmp_path / "board.toml"))
    st.cache_data.clear()
    published = open_page("pages/audits.py", partner="LA", role="qa").selectbox(key="au-pick")
    st.cache_data.clear()
    assert published.options == [" · ".join(o.split(" · ", 2)[::2]) for o in shown.options]


def test_audits_page_marks_a_percentage_on_few_audits(demo_url):
    from assurance.measures.compute import compute_figures
    from assurance.db.engine import get_engine

    at = open_page("pages/audits.py", partner="POL")
    label = at.sidebar.selectbox(key="period").value
    good = compute_figures(get_engine(demo_url), "POL").get("audit_good", label)
    assert good.denominator < 10 and good.small
    assert "Small number: fewer than 10 audits graded" in texts(at)
    assert "Small number" not in texts(open_page("pages/audits.py"))  # the whole Board's audits are enough
