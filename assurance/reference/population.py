"""Adult population baselines (Census 2021 ethnicity, ONS mid-2020 age bands) from data/population/."""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

from assurance.paths import DATA_DIR
from assurance.reference.codelists import ethnicity_broad_map

POP_DIR = DATA_DIR / "population"


def population_dir() -> Path:
    """Where the baselines live: ASSURANCE_POPULATION_DIR, or data/population/."""
    return Path(os.environ.get("ASSURANCE_POPULATION_DIR") or POP_DIR)

AGE_COLUMNS = {"18-64": "age_18_64", "65-74": "age_65_74", "75-84": "age_75_84", "85+": "age_85_plus"}
# England's adult age mix, used to age-standardise rates.
ENGLAND_ADULT_AGE_MIX = {"18-64": 0.765, "65-74": 0.126, "75-84": 0.078, "85+": 0.032}

AGE_SOURCE = "ONS mid-2020 population estimates, adults by age band"
ETHNICITY_SOURCE = "Census 2021 ethnic group, usual residents of all ages"
ETHNICITY_CAVEAT = (
    "The ethnicity baseline counts residents of all ages. Older adults, who make up most "
    "safeguarding activity, are more often White British than the all-age population, so "
    "minority groups can look under-represented when they are not."
)


def _age_rows() -> dict[str, dict[str, int]]:
    return _age_rows_in(population_dir())


@lru_cache(maxsize=4)
def _age_rows_in(folder: Path) -> dict[str, dict[str, int]]:
    with open(folder / "ons_mid2020_adults_by_sac_age_band.csv", newline="", encoding="utf-8") as f:
        return {row["area"]: {k: int(v) for k, v in row.items() if k != "area"} for row in csv.DictReader(f)}


def areas() -> list[str]:
    return list(_age_rows())


def canonical_area(name: str) -> str | None:
    """The area as the population files name it (matched ignoring case and spaces), or None if there is none."""
    wanted = " ".join(str(name).split()).casefold()
    return next((a for a in areas() if a.casefold() == wanted), None)


def adults(area: str) -> int:
    return _age_rows()[area]["adults_18_plus"]


def adults_by_age_band(area: str) -> dict[str, int]:
    """Adults by SAC age band, with 85-94 and 95+ combined as 85+ (as published)."""
    row = _age_rows()[area]
    return {band: row[col] for band, col in AGE_COLUMNS.items()}


def census_map() -> dict[str, str]:
    """Census 2021 ethnic group (the 19 tick-box groups) -> the product's detailed label."""
    return _census_map_in(population_dir())


@lru_cache(maxsize=4)
def _census_map_in(folder: Path) -> dict[str, str]:
    with open(folder / "census2021_to_detailed.csv", newline="", encoding="utf-8") as f:
        return {row["ethnic_group_census2021"]: row["detailed"] for row in csv.DictReader(f)}



def census_residents(area: str) -> dict[str, int]:
    """Residents of all ages by Census 2021 ethnic group, as published."""
    with open(population_dir() / "census2021_ethnic_group_all_ages.csv", newline="", encoding="utf-8") as f:
        return {row["ethnic_group_census2021"]: int(row[area.lower()]) for row in csv.DictReader(f)}


def population_by_ethnicity(area: str) -> dict[str, int]:
    """Residents by detailed ethnic group label (Census 2021's 19 groups mapped to the 18)."""
    return _population_by_ethnicity_in(population_dir(), area)


@lru_cache(maxsize=8)
def _population_by_ethnicity_in(folder: Path, area: str) -> dict[str, int]:
    column = area.lower()
    out: dict[str, int] = {}
    with open(folder / "census2021_ethnic_group_all_ages.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            detailed = _census_map_in(folder)[row["ethnic_group_census2021"]]
            out[detailed] = out.get(detailed, 0) + int(row[column])
    return out


def population_by_broad_ethnicity(area: str) -> dict[str, int]:
    broad_map = ethnicity_broad_map()
    out: dict[str, int] = {}
    for detailed, n in population_by_ethnicity(area).items():
        out[broad_map[detailed]] = out.get(broad_map[detailed], 0) + n
    return out
