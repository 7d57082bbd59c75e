"""The ethnic group by age baseline: reading the ONS RM032 download, refusing bad files, and the demo's table."""

import csv
import io

import pytest

from assurance.demo import synthetic_ethnicity_by_age
from assurance.reference import ethnicity_by_age as eba
from assurance.reference import population

HEADER = ["Lower tier local authorities Code", "Lower tier local authorities", "Ethnic group (20 categories) Code",
          "Ethnic group (20 categories)", "Sex (2 categories) Code", "Sex (2 categories)", "Age (101 categories) Code",
          "Age (101 categories)", "Observation"]
GROUPS = sorted(population.census_map())


def _age_label(age: int) -> str:
    if age == 0:
        return "Aged under 1 year"
    if age == 100:
        return "Aged 100 years and over"
    return f"Aged {age} year" + ("" if age == 1 else "s")


def _count(g: int, sex: int, age: int) -> int:
    return (g + 1) * 3 + sex + (age % 7)


def rm032(area: str = "Luton", edit=None) -> bytes:
    """A file laid out as the ONS filter service writes RM032 (single years of age), with made-up counts."""
    rows = [HEADER]
    for g, group in enumerate(GROUPS + ["Does not apply"]):
        for sex, sex_label in ((1, "Female"), (2, "Male")):
            for age in range(101):
                n = 0 if group == "Does not apply" else _count(g, sex, age)
                rows.append(["E06000032", area, str(g + 1), group, str(sex), sex_label, str(age), _age_label(age), str(n)])
    if edit:
        edit(rows)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_the_ons_download_is_summed_into_the_age_bands():
    baseline = eba.parse(rm032(), "Luton")
    bands = {"0-17": range(0, 18), "18-64": range(18, 65), "65-74": range(65, 75), "75-84": range(75, 85),
             "85+": range(85, 101)}
    for g, group in enumerate(GROUPS):
        for band, ages in bands.items():
            assert baseline.residents[(group, band)] == sum(_count(g, s, a) for s in (1, 2) for a in ages)
    assert baseline.detailed and not baseline.synthetic and "RM032" in baseline.source
    white = baseline.adults(detailed=False)["White"]
    white_groups = [i for i, g in enumerate(GROUPS) if g.startswith("White")]
    assert white["85+"] == sum(_count(g, s, a) for g in white_groups for s in (1, 2) for a in range(85, 101))
    assert eba.parse(eba.to_csv(baseline).encode(), "Luton") == baseline  # the stored layout reads back the same


def _set(row_index: int, column: str, value: str):
    def edit(rows):
        rows[row_index][HEADER.index(column)] = value
    return edit


@pytest.mark.parametrize("content, message", [
    (b"", "The file is empty"),
    (b"\xff\xfe\x00a", "not CSV text in UTF-8"),
    (b"area,group,n\nLuton,White,5\n", "The file's columns are area, group, n. Expected the ONS download of RM032"),
    (rm032(edit=_set(3, "Ethnic group (20 categories)", "Whte")),
     "Row 4, column 'Ethnic group (20 categories)': 'Whte' is not a Census 2021 ethnic group"),
    (rm032(edit=_set(5, "Observation", "lots")), "Row 6, column 'Observation': 'lots' is not a whole number"),
    (rm032(edit=_set(5, "Observation", "-3")), "Row 6, column 'Observation': '-3' is not a whole number"),
    (rm032(edit=_set(20, "Age (101 categories)", "Aged 15 to 19 years")),
     "Row 21, column 'Age (101 categories)': 'Aged 15 to 19 years' spans two of the age bands"),
    (rm032(edit=lambda rows: (_set(20, "Age (101 categories)", "Teenagers")(rows),
                              _set(20, "Age (101 categories) Code", "T")(rows))),
     "Row 21, column 'Age (101 categories)': 'Teenagers' is not an age"),
    (rm032(area="Bedford"), "Row 2, column 'Lower tier local authorities': the file is for 'Bedford', not Luton"),
    (rm032(edit=lambda rows: rows.__delitem__(slice(1, 203))), "The file has no rows for Asian, Asian British or Asian Welsh: Bangladeshi"),
    (rm032(edit=lambda rows: rows.insert(2, list(rows[1]))), "Row 3 repeats an earlier row"),
    (rm032(edit=lambda rows: rows[-1].__setitem__(8, "12")), "12 residents under 'Does not apply'"),
    (rm032(edit=lambda rows: rows[5].__delitem__(slice(4, 9))), "Row 6 has 4 values for 9 columns"),
])
def test_a_bad_file_is_refused_naming_the_row_column_and_fix(content, message):
    with pytest.raises(eba.BaselineFileError) as exc:
        eba.parse(content, "Luton")
    assert message in str(exc.value)


def test_single_years_are_read_from_the_code_when_the_label_is_worded_differently():
    def reword(rows):
        for r in rows[1:]:
            r[7] = f"{r[6]} years old"
    assert eba.parse(rm032(edit=reword), "Luton") == eba.parse(rm032(), "Luton")


def test_ages_85_and_over_must_be_there():
    def drop_old(rows):
        rows[1:] = [r for r in rows[1:] if int(r[6]) < 85]
    with pytest.raises(eba.BaselineFileError, match="No residents aged 85\\+"):
        eba.parse(rm032(edit=drop_old), "Luton")


def test_the_demo_ships_a_synthetic_table_that_agrees_with_its_published_baselines():
    path = population.POP_DIR / eba.FOLDER / "luton-synthetic.csv"
    baseline = eba.parse(path.read_bytes(), "Luton")
    assert baseline.synthetic and baseline.source.startswith("SYNTHETIC")
    by_group: dict[str, int] = {}
    by_band: dict[str, int] = {}
    for (group, band), n in baseline.residents.items():
        by_group[group] = by_group.get(group, 0) + n
        by_band[band] = by_band.get(band, 0) + n
    with open(population.POP_DIR / "census2021_ethnic_group_all_ages.csv", newline="", encoding="utf-8") as f:
        census = {row["ethnic_group_census2021"]: int(row["luton"]) for row in csv.DictReader(f)}
    assert by_group == census
    assert {b: by_band[b] for b in eba.ADULT_BANDS} == {"18-64": 128_482, "65-74": 14_040, "75-84": 8_989, "85+": 3_943}
    assert by_band["0-17"] == sum(census.values()) - 155_454
    assert baseline == synthetic_ethnicity_by_age("Luton")  # the shipped file is the generator's, unedited


def test_a_loaded_file_takes_precedence_over_the_synthetic_one(population_copy):
    assert eba.load("Luton").synthetic
    eba.save(eba.parse(rm032(), "Luton"))
    assert not eba.load("Luton").synthetic and (population_copy / eba.FOLDER / "luton.csv").exists()
    assert eba.load("Leicester") is None
