"""The pages say what their figures are: not applicable apart from not recorded, conventions, intervals."""

from sqlalchemy import and_, func, or_, select

from assurance.db.models import Enquiry, ReportingPeriod, Submission
from tests.pages.helpers import open_page, texts

PERIOD = "2026-27 Q1"


def test_outcomes_page_tells_not_applicable_from_not_recorded(demo_url, demo_engine):
    at = open_page("pages/outcomes.py", period=PERIOD)
    with demo_engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == PERIOD))
        base = (select(func.count()).select_from(Enquiry).join(Submission, Submission.id == Enquiry.submission_id)
                .where(Submission.status == "accepted", Enquiry.period_id == pid, Enquiry.enquiry_type == "Section 42"))
        lacked = Enquiry.lacked_capacity == "Yes, they lacked capacity"
        not_recorded = c.scalar(base.where(lacked, Enquiry.capacity_support.is_(None)))
        not_applicable = c.scalar(base.where(or_(Enquiry.lacked_capacity.is_(None), ~lacked)))
        supported = c.scalar(base.where(and_(lacked, Enquiry.capacity_support == "Yes")))
        lacking = c.scalar(base.where(lacked))
    table = next(d.value for d in at.dataframe if d.value.columns[0] == "Capacity support")
    rows = table.set_index("Capacity support")
    assert rows.loc["Not applicable: not recorded as lacking capacity", "Enquiries"] == not_applicable
    assert not_applicable > lacking  # most adults did not lack capacity: blank by design, not a recording gap
    if not_recorded:
        assert rows.loc["Not recorded", "Enquiries"] == not_recorded
    else:
        assert "Not recorded" not in rows.index
    # the percentage is of the adults who lacked capacity, rounded half up
    from decimal import ROUND_HALF_UP, Decimal

    expected = float((Decimal(100 * supported) / Decimal(lacking)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    assert rows.loc["Yes", "%"] == f"{expected:.1f}"
    assert rows.loc["Not applicable: not recorded as lacking capacity", "%"] == ""
    shown = texts(at)
    assert "Not applicable: left blank by design" in shown
    assert "% of concluded Section 42 enquiries where the adult lacked capacity" in shown


def test_concerns_page_states_its_conventions_and_the_rate_interval(demo_url):
    at = open_page("pages/concerns.py", period=PERIOD)
    shown = texts(at)
    assert "Working days are counted after the day of receipt" in shown  # the Board's default convention
    assert "Conversion is the outcome of the concerns received in the period" in shown
    assert "Concerns per 100,000 adults: 95% CI" in shown and "intervals use Byar's method" in shown


def test_overview_detail_gives_a_rate_its_interval(demo_url):
    at = open_page("pages/overview.py", period=PERIOD)
    at.selectbox(key="ov-measure").set_value("concern_rate").run()
    assert "95% CI" in texts(at)
    at.selectbox(key="ov-measure").set_value("decision_timeliness").run()
    assert "Working days exclude weekends and England bank holidays" in texts(at)


DOLS = "Deprivation of Liberty Safeguards applications made"


def _acute_trust_leaves_out_dols(url: str) -> None:
    """In a copy of the demo: the acute trust's assurance return for PERIOD without its DoLS row (a measure its
    type makes, so not collected, never 0)."""
    from sqlalchemy import text

    from assurance.db.engine import get_engine

    with get_engine(url).begin() as c:
        gone = c.execute(text(
            "DELETE FROM assurance_measures WHERE measure_code = 'dols_applications' "
            "AND partner_id = (SELECT id FROM partners WHERE code = 'ACU') "
            "AND period_id = (SELECT id FROM periods WHERE label = :p)"), {"p": PERIOD}).rowcount
    assert gone == 1


def test_partner_view_says_not_collected_rather_than_0(demo_copy_url):
    _acute_trust_leaves_out_dols(demo_copy_url)
    at = open_page("pages/partner_view.py", partner="ACU", period=PERIOD)
    row = at.dataframe[0].value.set_index("Measure").loc[DOLS]
    assert (row["Value"], row["RAG"]) == ("[x]", "not collected")
    police = open_page("pages/partner_view.py", partner="POL", period=PERIOD)  # not a measure the police make
    assert DOLS not in set(police.dataframe[0].value["Measure"])


def test_overview_for_a_partner_shows_a_measure_it_does_not_report_as_not_collected(demo_copy_url):
    _acute_trust_leaves_out_dols(demo_copy_url)
    at = open_page("pages/overview.py", period=PERIOD, partner="ACU")
    frame = next(d.value for d in at.dataframe if "Measure" in d.value.columns and DOLS in set(d.value["Measure"]))
    dols = frame.set_index("Measure").loc[DOLS]
    assert (dols["Value"], dols["RAG"]) == ("[x]", "not collected")
    police = open_page("pages/overview.py", period=PERIOD, partner="POL")
    assert not any("Measure" in d.value.columns and DOLS in set(d.value["Measure"]) for d in police.dataframe)


def test_demographics_page_states_the_once_rule_and_rate_intervals(demo_url):
    at = open_page("pages/demographics.py", period=PERIOD)
    shown = texts(at)
    assert ("Each adult is counted once: in the group recorded on their latest concern in the period, a recorded "
            "group winning over a blank or one not recorded (age band Not known; gender Not Known; ethnicity "
            "Refused or Undeclared / Not Known).") in shown
    assert "crude" in shown and "(95% CI" in shown and ", Dobson's method)" in shown
