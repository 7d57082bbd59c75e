"""Residents by ethnic group and age band for the Board's area: the baseline for age-adjusted representation.

Source: Census 2021 dataset RM032 "Ethnic group by sex by age" (ONS), downloaded for one local authority from
https://www.ons.gov.uk/datasets/RM032 with single years of age ("Age (101 categories)") so that the ages can be
put into the safeguarding age bands. The loader also takes the product's own layout (the files it writes).

A loaded file is stored in the instance folder, population/ethnic_group_by_age/<area>.csv (one file per area,
replaced atomically); data/population/ethnic_group_by_age/ ships <area>-synthetic.csv for the demo, made up and
labelled so, which a loaded file for the same area takes precedence over.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assurance.errors import AssuranceError
from assurance.paths import instance_dir
from assurance.reference import population
from assurance.reference.codelists import ethnicity_broad_map

ADULT_BANDS = ("18-64", "65-74", "75-84", "85+")
BANDS = ("0-17",) + ADULT_BANDS
_BAND_RANGES = ((0, 17, "0-17"), (18, 64, "18-64"), (65, 74, "65-74"), (75, 84, "75-84"), (85, None, "85+"))
FOLDER = "ethnic_group_by_age"
COLUMNS = ("area", "ethnic_group_census2021", "age_band", "residents", "source")
MAX_BYTES = 10_000_000
# Census 2021's six-category (broad) labels, when the detailed table is not available for the area.
BROAD_CENSUS = {
    "Asian, Asian British or Asian Welsh": "Asian / Asian British",
    "Black, Black British, Black Welsh, Caribbean or African": "Black / African / Caribbean / Black British",
    "Mixed or Multiple ethnic groups": "Mixed / Multiple",
    "White": "White",
    "Other ethnic group": "Other Ethnic Group",
}
DOES_NOT_APPLY = "Does not apply"
RM032_SOURCE = "Census 2021 RM032 ethnic group by sex by age (ONS)"
LAYOUTS = ("the ONS download of RM032 (columns such as 'Ethnic group (20 categories)', 'Age (101 categories)' and "
           "'Observation') or this product's own layout (columns ethnic_group_census2021, age_band, residents)")


class BaselineFileError(AssuranceError, ValueError):
    """The file cannot be used as an ethnic group by age baseline; the message says where and how to fix it."""


@dataclass(frozen=True)
class EthnicityByAge:
    area: str
    source: str
    residents: dict[tuple[str, str], int]  # (Census 2021 ethnic group, age band) -> residents

    @property
    def synthetic(self) -> bool:
        return "synthetic" in self.source.casefold()

    @property
    def detailed(self) -> bool:
        """True when the file has the 19 detailed groups (otherwise the five broad ones)."""
        return any(g in population.census_map() for g, _ in self.residents)

    def adults(self, detailed: bool) -> dict[str, dict[str, int]] | None:
        """Adults by the product's ethnic group label (detailed or broad) and age band; None if the file is too coarse."""
        if detailed and not self.detailed:
            return None
        census, broad = population.census_map(), ethnicity_broad_map()
        out: dict[str, dict[str, int]] = {}
        for (group, band), n in self.residents.items():
            if band not in ADULT_BANDS:
                continue
            label = census[group] if group in census else BROAD_CENSUS[group]
            if not detailed and group in census:
                label = broad[label]
            out.setdefault(label, dict.fromkeys(ADULT_BANDS, 0))[band] += n
        return out


def slug(area: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", area.casefold()).strip("-")


def folder() -> Path:
    """Where loaded baselines are written: ASSURANCE_POPULATION_DIR's folder if set, else the instance folder's."""
    if os.environ.get("ASSURANCE_POPULATION_DIR"):
        return population.population_dir() / FOLDER
    return instance_dir() / "population" / FOLDER


def load(area: str) -> EthnicityByAge | None:
    """The area's baseline: a loaded file, else the demo's synthetic one, else None. The instance folder is looked
    in first, then the shipped folder (which also holds files loaded by earlier versions)."""
    folders = dict.fromkeys((folder(), population.population_dir() / FOLDER))
    for name in (f"{slug(area)}.csv", f"{slug(area)}-synthetic.csv"):
        for place in folders:
            if (place / name).exists():
                return parse((place / name).read_bytes(), area)
    return None


def to_csv(baseline: EthnicityByAge) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for (group, band), n in baseline.residents.items():
        writer.writerow([baseline.area, group, band, n, baseline.source])
    return out.getvalue()


def save(baseline: EthnicityByAge, synthetic_file: bool = False) -> Path:
    """Write the baseline atomically (a reader sees the old file or the new one, never half of one)."""
    path = folder() / f"{slug(baseline.area)}{'-synthetic' if synthetic_file else ''}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(to_csv(baseline))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# --- reading a file -------------------------------------------------------------------------------------------


def _age_range(label: str) -> tuple[int, int | None] | None:
    """Ages covered by an ONS age label ('Aged 17 years', 'Aged 85 years and over', 'Aged 65 to 74 years')."""
    text = " ".join(label.split()).casefold()
    patterns = (
        (r"aged (\d+) years? and under", lambda m: (0, int(m[1]))),
        (r"aged under (\d+) years?", lambda m: (0, int(m[1]) - 1)),
        (r"aged (\d+) years? and over", lambda m: (int(m[1]), None)),
        (r"aged (\d+) to (\d+) years?", lambda m: (int(m[1]), int(m[2]))),
        (r"aged (\d+) years?", lambda m: (int(m[1]), int(m[1]))),
    )
    for pattern, ages in patterns:
        if m := re.fullmatch(pattern, text):
            return ages(m)
    return None


def _band(label: str, where: str) -> str:
    if label in BANDS:
        return label
    ages = _age_range(label)
    if ages is None:
        raise BaselineFileError(f"{where}: {label!r} is not an age ONS publishes (e.g. 'Aged 17 years', 'Aged 85 "
                                "years and over') nor one of the bands " + ", ".join(BANDS) + ".")
    lo, hi = ages
    for band_lo, band_hi, band in _BAND_RANGES:
        if lo >= band_lo and (band_hi is None or (hi is not None and hi <= band_hi)):
            return band
    raise BaselineFileError(f"{where}: {label!r} spans two of the age bands used here ({', '.join(BANDS)}). "
                            "Download the table with single years of age ('Age (101 categories)').")


def _find(header: list[str], starts: str) -> int | None:
    return next((i for i, h in enumerate(header) if h.startswith(starts) and not h.endswith("Code")), None)


def parse(content: bytes, area: str, source: str | None = None) -> EthnicityByAge:
    """Check and read a baseline file for `area`; BaselineFileError names the row, the column and the fix."""
    if len(content) > MAX_BYTES:
        raise BaselineFileError(f"The file is {len(content):,} bytes; a table for one area is far smaller (at most "
                                f"{MAX_BYTES:,}). Download the table for your area only.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BaselineFileError("The file is not CSV text in UTF-8. Download it as CSV from ONS, or save it as "
                                "'CSV UTF-8' from Excel.") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise BaselineFileError("The file is empty. Expected " + LAYOUTS + ".")
    header = [h.strip() for h in rows[0]]
    if {"ethnic_group_census2021", "age_band", "residents"} <= set(header):
        cols = {k: header.index(k) for k in ("ethnic_group_census2021", "age_band", "residents")}
        area_col = header.index("area") if "area" in header else None
        source_col = header.index("source") if "source" in header else None
        single_years = None
    else:
        eth, age = _find(header, "Ethnic group ("), _find(header, "Age (")
        obs = header.index("Observation") if "Observation" in header else None
        if eth is None or age is None or obs is None:
            raise BaselineFileError(f"The file's columns are {', '.join(header)}. Expected " + LAYOUTS + ".")
        cols = {"ethnic_group_census2021": eth, "age_band": age, "residents": obs}
        code = f"{header[age]} Code"
        single_years = header.index(code) if header[age] == "Age (101 categories)" and code in header else None
        area_col = next((i for i, h in enumerate(header) if h.endswith(("authorities", "Countries", "Regions"))), None)
        source_col = None
    census = population.census_map()
    residents: dict[tuple[str, str], int] = {}
    seen: set[tuple[str, ...]] = set()
    found_source = None
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise BaselineFileError(f"Row {number} has {len(row)} values for {len(header)} columns; the file may be "
                                    "cut short. Download it again.")
        cell = {k: row[i].strip() for k, i in cols.items()}
        if area_col is not None and population.canonical_area(row[area_col]) != area and \
                " ".join(row[area_col].split()).casefold() != area.casefold():
            raise BaselineFileError(f"Row {number}, column {header[area_col]!r}: the file is for {row[area_col].strip()!r}, "
                                    f"not {area}. Download the table for {area}.")
        group = cell["ethnic_group_census2021"]
        where = f"Row {number}, column {header[cols['residents']]!r}"
        try:
            n = int(cell["residents"].replace(",", ""))
        except ValueError:
            n = -1
        if n < 0:
            raise BaselineFileError(f"{where}: {cell['residents']!r} is not a whole number of residents.")
        if group == DOES_NOT_APPLY:
            if n:
                raise BaselineFileError(f"{where}: {n:,} residents under 'Does not apply'; usual residents all have "
                                        "an ethnic group. Download the table for all usual residents.")
            continue
        if group not in census and group not in BROAD_CENSUS:
            raise BaselineFileError(f"Row {number}, column {header[cols['ethnic_group_census2021']]!r}: {group!r} is "
                                    "not a Census 2021 ethnic group. Use the labels as ONS publishes them (20 or 6 "
                                    "categories).")
        age_label = cell["age_band"]
        if single_years is not None and _age_range(age_label) is None and row[single_years].strip().isdigit():
            age = int(row[single_years])  # single years: the code is the age (100 = 100 and over)
            age_label = f"Aged {age} years" + (" and over" if age == 100 else "")
        band = _band(age_label, f"Row {number}, column {header[cols['age_band']]!r}")
        key = tuple(c.strip() for i, c in enumerate(row) if i != cols["residents"] and i != source_col)
        if key in seen:
            raise BaselineFileError(f"Row {number} repeats an earlier row ({', '.join(key)}); each group and age "
                                    "appears once. Download the table again.")
        seen.add(key)
        if source_col is not None and row[source_col].strip():
            found_source = found_source or row[source_col].strip()
        residents[(group, band)] = residents.get((group, band), 0) + n
    groups = {g for g, _ in residents}
    detailed, broad = groups & set(census), groups & set(BROAD_CENSUS)
    if detailed and broad:
        raise BaselineFileError("The file mixes the detailed (20) and broad (6) ethnic group categories. Download "
                                "one classification.")
    expected = set(census) if detailed else set(BROAD_CENSUS)
    if missing := sorted(expected - groups):
        raise BaselineFileError(f"The file has no rows for {', '.join(missing)}. Download the table with every "
                                "ethnic group.")
    band_totals = {b: sum(n for (_, band), n in residents.items() if band == b) for b in ADULT_BANDS}
    if empty := [b for b, n in band_totals.items() if n == 0]:
        raise BaselineFileError(f"No residents aged {', '.join(empty)} in the file; it may be cut short or "
                                "filtered. Download every age.")
    ordered = {(g, b): residents.get((g, b), 0) for g in sorted(groups) for b in BANDS}
    return EthnicityByAge(area, source or found_source or RM032_SOURCE, ordered)
