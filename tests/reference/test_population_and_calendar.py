from datetime import date

from assurance.reference import population
from assurance.reference.calendar import calendar_rows, is_working_day, working_days_after


def test_adult_baselines_match_the_published_files():
    assert population.adults("Luton") == 155_454
    bands = population.adults_by_age_band("Luton")
    assert bands == {"18-64": 128_482, "65-74": 14_040, "75-84": 8_989, "85+": 3_943}
    assert sum(bands.values()) == population.adults("Luton")


def test_census_groups_map_to_the_detailed_list():
    eth = population.population_by_ethnicity("Luton")
    assert eth["Any other White background"] == 24_650 + 808  # Other White + Roma
    assert eth["Pakistani"] == 41_143
    broad = population.population_by_broad_ethnicity("Luton")
    assert broad["White"] == 71_532 + 238 + 4_570 + 24_650 + 808
    assert sum(broad.values()) == sum(eth.values())


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(date(2025, 12, 25)) and not is_working_day(date(2025, 12, 27))
    assert is_working_day(date(2025, 12, 29))
    # Received Wed 24 Dec 2025: 25, 26 (bank holidays), 27, 28 (weekend) are not working days.
    assert working_days_after(date(2025, 12, 24), date(2025, 12, 29)) == 1
    assert working_days_after(date(2025, 12, 24), date(2025, 12, 30)) == 2
    # Received Thu 17 Apr 2025: Good Friday 18 and Easter Monday 21 are bank holidays.
    assert working_days_after(date(2025, 4, 17), date(2025, 4, 22)) == 1
    assert working_days_after(date(2025, 4, 14), date(2025, 4, 14)) == 0


def test_calendar_index_counts_working_days():
    rows = {d: idx for d, _, idx in calendar_rows(date(2025, 12, 20), date(2026, 1, 10))}
    assert rows["2025-12-29"] - rows["2025-12-24"] == 1
    assert rows["2026-01-02"] - rows["2025-12-24"] == 4  # 29, 30, 31 Dec and 2 Jan (1 Jan is a bank holiday)


def test_area_names_are_matched_to_the_population_files():
    assert population.areas() == ["England", "Luton", "Leicester"]
    assert population.canonical_area("luton") == "Luton"
    assert population.canonical_area("  LEICESTER ") == "Leicester"
    assert population.canonical_area("Bedford") is None
