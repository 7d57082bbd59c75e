"""AppTest for the app shell and the foundation pages, against the small demo Board."""

from sqlalchemy import func, select

from assurance.db.models import AssuranceMeasure, Concern, Partner, ReportingPeriod, Submission
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import APP, open_page, sign_in, user_for_role, texts


def test_banner_navigation_and_filters(demo_url):
    at = sign_in(AppTest.from_file(APP, default_timeout=60), user_for_role("chair")).run()
    assert "Synthetic demo data" in at.warning[0].value
    assert at.title[0].value == "Overview"  # the default page
    period = at.sidebar.selectbox(key="period")
    assert period.value == "2026-27 Q2"  # latest period with data is chosen by default
    assert len(period.options) == 12 and period.options[-1] == "2023-24 Q3"
    assert at.sidebar.selectbox(key="partner").value == "All partners"


def test_overview_scorecard_matches_database(demo_url, demo_engine):
    at = open_page("pages/overview.py", period="2025-26 Q3")
    with demo_engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2025-26 Q3"))
        n = c.scalar(select(func.count()).select_from(Concern).where(Concern.period_id == pid))
    data = at.dataframe[0].value.set_index("Measure")
    assert data.loc["Safeguarding concerns received", "Value"] == f"{n:,}"
    assert "2025-26 Q3" in texts(at)
    strands = [h.value.removeprefix("#### ") for h in at.markdown if h.value.endswith(" strand")]
    assert strands[:3] == ["Data strand", "Quality strand", "Lived experience strand"]


def test_submissions_page_lists_the_periods_returns(demo_url, demo_engine):
    at = open_page("pages/submissions.py", period="2026-27 Q1")
    df = at.dataframe[0].value
    with demo_engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2026-27 Q1"))
        n = c.scalar(select(func.count()).select_from(Submission).where(Submission.period_id == pid))
    assert len(df) == n  # one row for each return due, every one of them in for the demo's quarter
    assert (df["State"] == "Submitted").sum() + (df["State"] == "Late").sum() == n
    assert "2026-27 Q1" in texts(at)


def test_partner_view_opens_on_a_partner_then_shows_the_one_chosen(demo_url, demo_engine):
    from assurance.board.partner import opening_partner
    from assurance.directory import list_partners
    from assurance.measures.compute import compute_figures

    at = open_page("pages/partner_view.py", period="2026-27 Q2")
    first = opening_partner(list_partners(demo_engine), lambda code: compute_figures(demo_engine, code), "2026-27 Q2")
    assert at.subheader[0].value == first.name or first.name in texts(at)
    at = open_page("pages/partner_view.py", partner="AMB", period="2026-27 Q2")
    assert "Demo Ambulance Service NHS Trust" in texts(at)
    with demo_engine.connect() as c:
        num, den = c.execute(
            select(AssuranceMeasure.numerator, AssuranceMeasure.denominator)
            .join(Partner, Partner.id == AssuranceMeasure.partner_id)
            .join(ReportingPeriod, ReportingPeriod.id == AssuranceMeasure.period_id)
            .where(Partner.code == "AMB", ReportingPeriod.label == "2026-27 Q2", AssuranceMeasure.measure_code == "staff_trained")
        ).one()
    figures = at.dataframe[0].value.set_index("Measure")
    row = figures.loc["Staff trained to their safeguarding level"]
    assert row["Value"] == f"{100 * num / den:.1f}%" and row["Counts"] == f"{num:,} of {den:,}"
    assert row["RAG"] == "Red" and row["Rank among partners"].endswith("of 10")


def test_the_banner_follows_the_data_not_only_the_setting(demo_url, config_copy):
    board_path, _ = config_copy
    board_path.write_text(board_path.read_text().replace("demo = true", "demo = false"))
    at = open_page("pages/overview.py")
    assert "Synthetic demo data" in at.warning[0].value  # the database holds the generator's data
