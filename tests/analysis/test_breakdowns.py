"""Breakdowns against the hand-made Board in tests/measures/dataset.py."""

import pytest
from sqlalchemy import select

from assurance.analysis import breakdowns as bd
from assurance.db.models import Partner, ReportingPeriod
from tests.measures import dataset


@pytest.fixture
def q3(engine):
    dataset.build(engine)
    with engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == dataset.Q3))
        la = c.scalar(select(Partner.id).where(Partner.code == "LA"))
    return engine, pid, la


def test_concerns_and_individuals(q3):
    engine, pid, la = q3
    out = bd.concerns_by(engine, "outcome", pid)
    assert dict(zip(out["Concern outcome"], out["Concerns"])) == {"No enquiry": 4, "Section 42 enquiry": 2, "Other enquiry": 1}
    people = bd.individuals_by(engine, "ethnicity_broad", pid)
    # P1 (White, Refused) and P2 (Not known, White): each once, as White, a recorded group winning
    assert dict(zip(people["Ethnicity (broad)"], people["Individuals"]))["White"] == 2  # P1 and P2
    assert bd.concerns_by(engine, "outcome", pid, partner_id=la + 999).empty


def test_enquiry_breakdowns_count_s42_only(q3):
    engine, pid, _ = q3
    assert bd.s42_concluded(engine, pid) == 4
    ro = bd.enquiries_by(engine, "risk_outcome", pid)
    assert dict(zip(ro["Risk outcome"], ro["Enquiries"])) == {"Risk reduced": 1, "Risk remained": 1, "Risk removed": 1,
                                                              "Not applicable: no risk identified": 1}  # E3
    eq = bd.outcomes_by_group(engine, "gender", pid).set_index("Gender")
    # every S42 enquiry in the dataset is for concern C1 (a woman aged 65-74)
    # enquiries; asked of 4; achieved 1 of 2 expressed; risk reduced or removed 2 of 3; felt safer 1 of 2 answering
    assert eq.loc["Female"].tolist() == [4, 3, 4, 1, 2, 2, 3, 1, 2]


def test_audits(q3):
    engine, pid, _ = q3
    domains = bd.audit_grades(engine, pid).set_index("Domain")
    assert domains.loc["Overall"].tolist() == [1, 1, 0, 1, 0]
    assert domains.loc["Mental capacity", "Not applicable"] == 3
    found = bd.audit_findings(engine, pid, "do better")
    assert list(found["Agency"]) == ["ACU"]
    assert len(bd.audit_findings(engine, pid, "'; DROP TABLE audit_results; --")) == 0  # bound parameters
    assert len(bd.audit_findings(engine, pid)) == 3


def test_outcome_shares_give_each_groups_percentages_and_withhold_small_ones():
    import pandas as pd

    by_group = pd.DataFrame({"Gender": ["Female", "Male"], "Enquiries": [40, 8], "Asked": [30, 6], "Asked of": [40, 8],
                             "Achieved": [18, 2],
                             "Expressed": [24, 3], "Reduced or removed": [20, 1], "Risk identified": [25, 2],
                             "Felt safer": [9, 0], "Answered": [12, 0]})
    shown = bd.outcome_shares(by_group, publish=False)
    assert shown.columns.tolist() == ["Gender", "Enquiries", "Asked %", "Achieved %", "Risk reduced or removed %",
                                      "Felt safer %"]
    assert shown.iloc[0, 2:].tolist() == [75.0, 75.0, 80.0, 75.0]
    assert shown.iloc[1, 2:5].tolist() == [75.0, 66.7, 50.0] and pd.isna(shown.iloc[1, 5])  # nobody answered
    published = bd.outcome_shares(by_group, publish=True)
    # from the rounded counts: 30/40; 20/25 (18 of 24); 20/25; 9 of 12 leaves 3 who did not: withheld
    assert published.iloc[0, 2:].tolist() == [75.0, 80.0, 80.0, "[c]"]
    assert published.iloc[1, 2:].tolist() == ["[c]", "[c]", "[c]", "[x]"]  # under 10 cases; none


def test_outcomes_by_group_follow_the_measure_definitions(q3, monkeypatch):
    from assurance.measures import definitions as d

    engine, pid, _ = q3
    monkeypatch.setitem(d.DEFINITIONS, "felt_safer", d.Definition(
        "enquiries", d.flag(d.e.c.felt_safer == "No"), d.flag(d.e.c.felt_safer.in_(("Yes", "No", "Not asked")))))
    eq = bd.outcomes_by_group(engine, "gender", pid).set_index("Gender")
    assert eq.loc["Female", ["Felt safer", "Answered"]].tolist() == [1, 3]  # E2 said No; E1, E2 and E3 were asked
