"""Age-adjusted representation (indirect standardisation) against a hand-worked example."""

import pandas as pd
import pytest
from sqlalchemy import text

from assurance.analysis import representation as rep
from assurance.reference.ethnicity_by_age import EthnicityByAge

# Two groups, two age bands. Residents: A 800 young, 200 old; B 950 young, 50 old.
# Adults in safeguarding: A 10 young, 20 old; B 12 young, 3 old.
POPULATION = {"A": {"18-64": 800, "85+": 200}, "B": {"18-64": 950, "85+": 50}}
OBSERVED = {"A": {"18-64": 10, "85+": 20}, "B": {"18-64": 12, "85+": 3}}
# Band rates 22/1750 and 23/250, so A expects 800 x 22/1750 + 200 x 23/250 = 28.457 and B 16.543.
EXPECTED_A, EXPECTED_B = 10.0571428571 + 18.4, 11.9428571429 + 4.6


def test_expected_adults_and_standardised_ratios_by_hand():
    a, b = rep.age_adjusted(OBSERVED, POPULATION)
    assert (a.group, a.observed, b.observed) == ("A", 30, 15)
    assert a.expected == pytest.approx(EXPECTED_A) and b.expected == pytest.approx(EXPECTED_B)
    assert a.expected + b.expected == pytest.approx(45)  # expected adults add up to the observed ones
    assert a.ratio == pytest.approx(30 / 28.4571428571) and b.ratio == pytest.approx(15 / 16.5428571429)
    # Byar's limits for 30 agree with the exact Poisson limits 20.24 to 42.83 (published tables).
    assert a.lower * EXPECTED_A == pytest.approx(20.24, abs=0.01)
    assert a.upper * EXPECTED_A == pytest.approx(42.83, abs=0.01)
    assert a.finding == "in line with the population"


def test_byar_limits_match_exact_poisson_tables():
    # Exact 95% limits: 20 -> 12.22 to 30.89; 0 -> 0 to 3.69; 5 -> 1.62 to 11.67.
    for count, low, high in ((20, 12.22, 30.89), (0, 0.0, 3.69), (5, 1.62, 11.67)):
        lower, upper = rep._byar(count)
        assert lower == pytest.approx(low, abs=0.02) and upper == pytest.approx(high, abs=0.03)


def test_a_crude_finding_explained_by_age_says_so():
    crude = rep.representation({"A": 30, "B": 15}, {"A": 1000, "B": 1000})
    assert crude[0].finding == "over-represented"  # Wilson 30 of 45 is 0.521 to 0.787, against a share of 0.5
    a, b = rep.age_adjusted(OBSERVED, POPULATION)
    assert rep.survives("A", crude[0], a) == ("A: over-represented before adjusting for age (1.33); after adjusting, "
                                              "1.05 (0.71 to 1.51): the difference is explained by age.")


def test_a_finding_that_remains_after_adjusting():
    population = {"A": {"18-64": 500, "85+": 500}, "B": {"18-64": 500, "85+": 500}}
    observed = {"A": {"18-64": 60, "85+": 60}, "B": {"18-64": 20, "85+": 20}}  # same age mix: adjusting changes nothing
    crude = rep.representation({"A": 120, "B": 40}, {"A": 1000, "B": 1000})
    a, _ = rep.age_adjusted(observed, population)
    assert a.ratio == pytest.approx(crude[0].ratio) == pytest.approx(1.5)
    assert rep.survives("A", crude[0], a).endswith("the difference remains once age is allowed for.")


def _baseline():
    return EthnicityByAge("Testshire", "test baseline", {
        ("White", "18-64"): 800, ("White", "85+"): 200,
        ("Asian, Asian British or Asian Welsh", "18-64"): 950, ("Asian, Asian British or Asian Welsh", "85+"): 50,
        ("Other ethnic group", "18-64"): 500, ("Other ethnic group", "85+"): 10,
    })


def _people(other_young: int, other_old: int = 0, asian_old: int = 3) -> pd.DataFrame:
    return pd.DataFrame({
        "Age band": ["18-64", "85-94", "95+", "18-64", "85-94", "18-64", "85-94", "Not known"],
        "Ethnicity (broad)": ["White", "White", "White", "Asian / Asian British", "Asian / Asian British",
                              "Other Ethnic Group", "Other Ethnic Group", "White"],
        "Individuals": [10, 15, 5, 12, asian_old, other_young, other_old, 7],
    })


def _crude(people):
    counts = {"White": 30, "Asian / Asian British": 12 + int(people.iloc[4, 2]),
              "Other Ethnic Group": int(people.iloc[5, 2]) + int(people.iloc[6, 2])}
    return rep.representation(counts, {"White": 1000, "Asian / Asian British": 1000, "Other Ethnic Group": 510})


def test_adjusted_view_shows_observed_and_expected_to_the_qa_subgroup():
    people = _people(other_young=20)
    view = rep.adjusted_view(people, _baseline(), _crude(people), "Ethnic group", detailed=False, publish=False)
    table = view.table.set_index("Ethnic group")
    assert table.loc["White", "Adults"] == 30 and table.loc["Other Ethnic Group", "Adults"] == 20
    # Band rates: young (10+12+20)/2250, old (20+3+0)/260.
    assert table.loc["White", "Expected from age"] == round(800 * 42 / 2250 + 200 * 23 / 260, 1)
    assert "left out (7)" in view.note and "Byar" in view.note and len(view.sentences) == 3
    assert [r.group for r in view.shown] == ["White", "Asian / Asian British", "Other Ethnic Group"]


def test_publication_mode_hides_small_groups_and_never_shows_observed_or_expected():
    people = _people(other_young=3, other_old=0, asian_old=6)
    view = rep.adjusted_view(people, _baseline(), _crude(people), "Ethnic group", detailed=False, publish=True)
    table = view.table.set_index("Ethnic group")
    assert "Adults" not in table.columns and "Expected from age" not in table.columns
    assert table.loc["Other Ethnic Group"].tolist() == ["[c]"] * 4  # 3 adults
    assert not any(s.startswith("Other Ethnic Group") for s in view.sentences)
    assert "Other Ethnic Group" not in [r.group for r in view.shown] and "Other Ethnic Group" not in view.summary
    assert table.loc["White", "Age-adjusted ratio"] != "[c]"
    assert "left out ([c])" not in view.note and "left out (5)" in view.note  # 7 rounds to 5


def test_publication_mode_withholds_the_section_when_an_age_band_is_small():
    people = _people(other_young=20, other_old=0, asian_old=0)
    people.loc[1:2, "Individuals"] = [2, 1]  # the 85+ band: 2 + 1 + 0 + 0 = 3 adults
    view = rep.adjusted_view(people, _baseline(), _crude(people), "Ethnic group", detailed=False, publish=True)
    assert view.table is None and "age band has fewer than 5" in view.withheld
    view = rep.adjusted_view(people, _baseline(), _crude(people), "Ethnic group", detailed=False, publish=False)
    assert view.table is not None  # the QA subgroup sees it


def test_the_summary_names_the_groups_that_differ_once_age_is_allowed_for():
    # White: 40 observed against 20 expected (Byar 28.6 to 54.5 over 20: over-represented); B: 20 against 40.
    population = {"White": {"18-64": 1000}, "B": {"18-64": 2000}}
    rows = rep.age_adjusted({"White": {"18-64": 40}, "B": {"18-64": 20}}, population)
    assert rows[0].expected == pytest.approx(20) and rows[0].finding == "over-represented"
    view = rep.AdjustedView(None, [], "", shown=tuple(rows))
    assert view.summary == "Once age is allowed for: over-represented: White; under-represented: B."
    assert rep.AdjustedView(None, [], "").summary == "Once age is allowed for, no group shown differs from the population."


def test_a_broad_baseline_cannot_adjust_detailed_groups():
    view = rep.adjusted_view(_people(20), _baseline(), [], "Ethnic group", detailed=True, publish=False)
    assert view.table is None and "broad ethnic groups only" in view.note
    view = rep.adjusted_view(_people(20), None, [], "Ethnic group", detailed=False, publish=False)
    assert view.table is None and "RM032" in view.note


def test_each_adult_is_counted_once_in_the_cross_table(demo_engine):
    with demo_engine.connect() as conn:
        period_id = conn.scalar(text("SELECT max(period_id) FROM concerns"))
        adults = conn.scalar(text("SELECT count(DISTINCT person_id) FROM concerns c JOIN submissions s "
                                  "ON s.id = c.submission_id AND s.status = 'accepted' WHERE c.period_id = :p"),
                             {"p": period_id})
    table = rep.people_by_age_and(demo_engine, "ethnicity_broad", [period_id])
    assert table["Individuals"].sum() == adults
