"""AppTest for the app shell and the foundation pages, against the small demo Board."""

from sqlalchemy import func, select

from assurance.db.models import Concern, Partner, ReportingPeriod, Submission
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import APP, open_page, texts


def test_banner_navigation_and_filters(demo_url):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "Synthetic demo data" in at.warning[0].value
    assert at.title[0].value == "Overview"  # the default page
    period = at.sidebar.selectbox(key="period")
    assert period.value == "2026-27 Q2"  # latest period with data is chosen by default
    assert len(period.options) == 12 and period.options[-1] == "2023-24 Q3"
    assert at.sidebar.selectbox(key="partner").value == "All partners"


def test_overview_counts_match_database(demo_url, demo_engine):
    at = open_page("pages/overview.py", period="2025-26 Q3")
    with demo_engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2025-26 Q3"))
        n = c.scalar(select(func.count()).select_from(Concern).where(Concern.period_id == pid))
    metric = next(m for m in at.metric if m.label == "Concerns received")
    assert metric.value == f"{n:,}"
    assert "2025-26 Q3" in texts(at)


def test_submissions_page_lists_the_periods_returns(demo_url, demo_engine):
    at = open_page("pages/submissions.py", period="2026-27 Q1")
    df = at.dataframe[0].value
    with demo_engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2026-27 Q1"))
        n = c.scalar(select(func.count()).select_from(Submission).where(Submission.period_id == pid))
    assert len(df) == n
    assert set(df["Period"]) == {"2026-27 Q1"}


def test_partner_view_needs_a_partner_then_shows_theirs(demo_url):
    at = open_page("pages/partner_view.py")
    assert "Choose a partner" in texts(at)
    at = open_page("pages/partner_view.py", partner="AMB")
    assert "Demo Ambulance Service NHS Trust" in texts(at)
    df = at.dataframe[0].value
    assert set(df["Partner"]) == {"AMB"} and len(df) == 12


def test_admin_board_shows_partners_periods_and_baseline(demo_url, demo_engine):
    at = open_page("pages/admin_board.py")
    shown = texts(at)
    assert "Population baseline: Luton" in shown and "155,454" in shown
    partners = at.dataframe[0].value
    with demo_engine.connect() as c:
        assert len(partners) == c.scalar(select(func.count()).select_from(Partner))
    assert "Demo Shire Police" in set(partners["Name"])
