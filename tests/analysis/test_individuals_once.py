"""Demographic tables count each adult once: the latest recorded value in the period, a recorded value winning over
Not known, Refused or blank. The expected tables are worked out by hand from the rows below."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from assurance.analysis import breakdowns as bd
from assurance.db.engine import session_scope
from assurance.db.models import Concern, Enquiry, Partner, ReportingPeriod, Submission

Q3, Q2 = "2025-26 Q3", "2025-26 Q2"

# (ref, person, received, age band, gender, ethnicity)
CONCERNS = [
    ("C1", "P1", date(2025, 10, 2), "65-74", "Female", "White"),
    ("C2", "P1", date(2025, 11, 20), "75-84", "Female", "Asian / Asian British"),  # latest: 75-84, Asian
    ("C3", "P2", date(2025, 10, 5), "85-94", "Male", "Black / African / Caribbean / Black British"),
    ("C4", "P2", date(2025, 12, 1), "Not known", "Not Known", "Undeclared / Not Known"),  # later, but not known
    ("C5", "P3", date(2025, 11, 3), "Not known", "Not Known", "Refused"),
    ("C6", "P3", date(2025, 11, 3), "Not known", "Not Known", "Undeclared / Not Known"),  # same day, entered later
    ("C7", "P4", date(2025, 12, 10), "18-64", "Male", "White"),
]


@pytest.fixture
def people(engine):
    with session_scope(engine) as s:
        la = s.scalar(select(Partner.id).where(Partner.code == "LA"))
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}

        def submission(label):
            sub = Submission(partner_id=la, period_id=period[label], return_type="activity", file_name="x.xlsx",
                             sha256="0" * 64, submitted_by="test", submitted_at=datetime(2026, 1, 20),
                             status="accepted", source="cli", row_count=0, error_count=0, query_count=0)
            s.add(sub)
            s.flush()
            return sub.id

        q3 = submission(Q3)
        for ref, person, received, age, gender, eth in CONCERNS:
            s.add(Concern(submission_id=q3, partner_id=la, period_id=period[Q3], concern_ref=ref, person_id=person,
                          date_received=received, decision_date=received, referral_source="Police", age_band=age,
                          gender=gender, ethnicity_detailed=None, ethnicity_broad=eth,
                          primary_support_reason="Physical Support", outcome="Section 42 enquiry"))
        q2 = submission(Q2)
        s.add(Concern(submission_id=q2, partner_id=la, period_id=period[Q2], concern_ref="C0", person_id="P4",
                      date_received=date(2025, 8, 1), decision_date=date(2025, 8, 1), referral_source="Police",
                      age_band="18-64", gender="Male", ethnicity_detailed=None, ethnicity_broad="Mixed / Multiple",
                      primary_support_reason="Physical Support", outcome="No enquiry"))
        # Section 42 enquiries concluded in Q3: P1 twice (on C1 and on C2), P2 once on C4 (not known) and once on C3
        for ref, concern_ref, person, concluded in (("E1", "C1", "P1", date(2025, 10, 20)),
                                                    ("E2", "C2", "P1", date(2025, 12, 1)),
                                                    ("E3", "C3", "P2", date(2025, 11, 1)),
                                                    ("E4", "C4", "P2", date(2025, 12, 20))):
            s.add(Enquiry(submission_id=q3, partner_id=la, period_id=period[Q3], enquiry_ref=ref, concern_ref=concern_ref,
                          person_id=person, enquiry_type="Section 42", date_started=date(2025, 10, 10),
                          date_concluded=concluded))
    return engine, period


def table(frame) -> dict:
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1]))


def test_each_adult_counted_once_in_concerns(people):
    engine, period = people
    eth = table(bd.individuals_by(engine, "ethnicity_broad", period[Q3]))
    # P1 latest Asian; P2 Black (recorded wins over a later not known); P3 nothing recorded, the later row; P4 White
    assert eth == {"Asian / Asian British": 1, "Black / African / Caribbean / Black British": 1,
                   "Undeclared / Not Known": 1, "White": 1}
    ages = table(bd.individuals_by(engine, "age_band", period[Q3]))
    assert ages == {"75-84": 1, "85-94": 1, "Not known": 1, "18-64": 1}
    genders = table(bd.individuals_by(engine, "gender", period[Q3]))
    assert genders == {"Female": 1, "Male": 2, "Not Known": 1}
    assert sum(eth.values()) == sum(ages.values()) == sum(genders.values()) == 4  # four adults


def test_each_adult_counted_once_across_the_periods_asked_for(people):
    engine, period = people
    eth = table(bd.individuals_by(engine, "ethnicity_broad", [period[Q2], period[Q3]]))
    # P4 was Mixed in Q2 and White in Q3: once, as White (the latest)
    assert eth["White"] == 1 and "Mixed / Multiple" not in eth and sum(eth.values()) == 4


def test_each_adult_counted_once_in_section_42_enquiries(people):
    engine, period = people
    eth = table(bd.individuals_by(engine, "ethnicity_broad", period[Q3], scope="s42"))
    # P1: enquiries on C1 (White) and C2 (Asian), latest concluded on C2; P2: Black wins over not known
    assert eth == {"Asian / Asian British": 1, "Black / African / Caribbean / Black British": 1}
    ages = table(bd.individuals_by(engine, "age_band", period[Q3], scope="s42"))
    assert ages == {"75-84": 1, "85-94": 1}


def test_the_once_rule_names_the_unrecorded_values_as_the_tables_show_them():
    from assurance.analysis import breakdowns
    from assurance.reference import codelists

    for key in ("age_band", "gender", "ethnicity_broad"):
        unrecorded = [v for v in codelists.codelist(key).values if v in codelists.NOT_RECORDED]
        assert unrecorded
        for value in unrecorded:  # the national label, spelt as the gender or age table spells it
            assert value in breakdowns.ONCE_RULE, (key, value)
