"""AppTest: the Demographics page's age-adjusted representation, and loading the ethnic group by age baseline."""

import csv
import json

import pytest

from sqlalchemy import text

from assurance.reference import ethnicity_by_age as eba
from assurance.reference import population
from tests.pages.helpers import open_page, read, texts
from tests.reference.test_ethnicity_by_age import _set, rm032

PERIOD = "2026-27 Q2"
ADJUSTED = "Age-adjusted ratio"
BROAD = ("White", "Asian / Asian British", "Black / African / Caribbean / Black British", "Mixed / Multiple",
         "Other Ethnic Group")
BANDS = {"18-64": ("18-64",), "65-74": ("65-74",), "75-84": ("75-84",), "85+": ("85-94", "95+")}


def _adjusted_table(at):
    return next(d.value for d in at.dataframe if ADJUSTED in d.value.columns).set_index("Ethnic group")


def _synthetic_white_residents() -> dict[str, dict[str, int]]:
    """Adults in the demo's synthetic baseline by broad group and band, read straight from the file."""
    out: dict[str, dict[str, int]] = {}
    path = population.POP_DIR / "ethnic_group_by_age" / "luton-synthetic.csv"
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["age_band"] == "0-17":
                continue
            group = row["ethnic_group_census2021"].split(":")[0]
            broad = {"Asian, Asian British or Asian Welsh": "Asian / Asian British",
                     "Black, Black British, Black Welsh, Caribbean or African": "Black / African / Caribbean / Black British",
                     "Mixed or Multiple ethnic groups": "Mixed / Multiple", "Other ethnic group": "Other Ethnic Group",
                     "White": "White"}[group]
            out.setdefault(broad, {}).setdefault(row["age_band"], 0)
            out[broad][row["age_band"]] += int(row["residents"])
    return out


def test_the_qa_subgroup_sees_adults_against_those_expected_from_age(demo_url, demo_engine):
    at = open_page("pages/demographics.py", period=PERIOD, role="qa")
    table = _adjusted_table(at)
    with demo_engine.connect() as c:
        pid = c.scalar(text("SELECT id FROM periods WHERE label = :l"), {"l": PERIOD})
        # In this quarter each adult has one age band and one broad ethnic group, so plain counts are the truth.
        counts = dict(((g, b), n) for g, b, n in c.execute(text(
            "SELECT ethnicity_broad, age_band, count(DISTINCT person_id) FROM concerns c JOIN submissions s "
            "ON s.id = c.submission_id AND s.status = 'accepted' WHERE c.period_id = :p GROUP BY 1, 2"), {"p": pid}))
    residents = _synthetic_white_residents()
    adults_in_band = {b: sum(counts.get((g, a), 0) for g in BROAD for a in ages) for b, ages in BANDS.items()}
    rate = {b: adults_in_band[b] / sum(residents[g][b] for g in BROAD) for b in BANDS}
    expected = sum(residents["White"][b] * rate[b] for b in BANDS)
    observed = sum(counts.get(("White", a), 0) for ages in BANDS.values() for a in ages)
    assert table.loc["White", "Adults"] == observed
    assert table.loc["White", "Expected from age"] == round(expected, 1)
    assert table.loc["White", ADJUSTED] == round(observed / expected, 2)
    shown = texts(at)
    assert f"White: over-represented before adjusting for age ({table.loc['White', 'Ratio before adjusting']:.2f}); " \
           f"after adjusting, {observed / expected:.2f}" in shown
    assert "The ethnic group by age baseline is synthetic" in shown and "Byar" in shown and "Wilson score" in shown
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    adjusted = next(c for c in charts if "adjusted for age" in c["layout"]["title"]["text"])
    white = adjusted["data"][0]["y"].index("White")
    assert adjusted["data"][0]["x"][white] == pytest.approx(observed / expected)


def test_publication_mode_shows_ratios_only(demo_url, config_copy):
    board_file, _ = config_copy
    board_file.write_text(board_file.read_text().replace("publication_mode = false", "publication_mode = true"))
    at = open_page("pages/demographics.py", period=PERIOD, role="qa")
    table = _adjusted_table(at)
    assert "Adults" not in table.columns and "Expected from age" not in table.columns
    assert set(table.columns) == {"Ratio before adjusting", ADJUSTED, "95% interval", "Finding after adjusting"}


def test_without_a_baseline_the_page_says_where_to_get_one(demo_url, population_copy):
    (population_copy / eba.FOLDER / "luton-synthetic.csv").unlink()
    at = open_page("pages/demographics.py", period=PERIOD, role="qa")
    assert not any(ADJUSTED in d.value.columns for d in at.dataframe)
    assert "load Census 2021 table RM032 on the Population baseline page" in texts(at)


def _load(at, name: str, content: bytes):
    at.file_uploader(key="eba-file").upload(name, content, "text/csv").run()
    at.button(key="eba-load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_baseline_page_loads_a_census_table_and_refuses_a_bad_one(demo_copy_url, population_copy):
    at = open_page("pages/admin_baseline.py", role="admin")
    assert "SYNTHETIC demo baseline" in texts(at)
    at = _load(at, "RM032 Luton.csv", rm032())
    assert read(at.success[0].value).startswith("Loaded RM032 Luton.csv for Luton:")
    stored = population_copy / eba.FOLDER / "luton.csv"
    before = stored.read_bytes()
    assert eba.load("Luton").source.startswith(eba.RM032_SOURCE)
    at = _load(at, "bad.csv", rm032(edit=_set(9, "Age (101 categories)", "Aged 15 to 19 years")))
    assert "bad.csv was not loaded: Row 10, column 'Age (101 categories)'" in read(at.error[0].value)
    assert stored.read_bytes() == before
    assert not (population.POP_DIR / eba.FOLDER / "luton.csv").exists()
