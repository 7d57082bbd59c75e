"""A new return type needs its spec, its model and migration, and its rules: nothing else. Here a small return is
written as a spec file in a temporary folder, with one rule of its own, and the product detects it from its sheets,
cleans it with the converters its columns name, and runs the spec's rules on it (the shipped rules and its own)."""

from datetime import date

import numpy as np
import pytest
from sqlalchemy import update

from assurance.db.models import Partner
from assurance.returns.issues import ERROR
from assurance.returns.rules import RULES, Rule
from assurance.returns.specs import all_specs, load_spec, spec_markdown
from assurance.returns.validate import UsageError, prepare, preview
from tests.returns.builders import xlsx

VISITS = '''
type = "visits"
title = "Safeguarding visits return"
version = "2026.1"
made_by = "The local authority's quality team, every quarter."
description = "One row per unannounced safeguarding visit to a care setting."
file_name_words = ["visits"]
period_from = [{ sheet = "Visits", field = "visit_date" }]

[codelists.setting]
name = "Setting"
values = ["Care home", "Supported living", "Day service"]

[[sheets]]
name = "Visits"
synonyms = ["Visit"]
table = "visits"
description = "One row per visit."
rules = [
  { code = "DUPLICATE_ID" },
  { code = "DATE_OUTSIDE_PERIOD", field = "visit_date" },
  { code = "VISIT_WITHOUT_STAFF" },
]

[[sheets.columns]]
field = "visit_ref"
header = "Visit ID"
type = "id"
unique = true

[[sheets.columns]]
field = "visit_date"
header = "Visit date"
type = "date"

[[sheets.columns]]
field = "setting"
header = "Setting"
type = "code"
codelist = "setting"

[[sheets.columns]]
field = "staff_spoken_to"
header = "Staff spoken to"
type = "integer"
'''


def visit_without_staff(ctx, sheet, **_):
    """The new return's own rule: a pure check over the cleaned sheet."""
    staff = sheet.values["staff_spoken_to"]
    none = sheet.ok("staff_spoken_to") & np.array([v == 0 for v in staff], dtype=bool)
    ctx.add_cells("VISIT_WITHOUT_STAFF", sheet, "staff_spoken_to", none,
                  lambda v, i: "No staff were spoken to on this visit.")


@pytest.fixture
def visits(tmp_path, monkeypatch, engine):
    monkeypatch.setitem(RULES, "VISIT_WITHOUT_STAFF", Rule("VISIT_WITHOUT_STAFF", ERROR, "A visit with no staff spoken to",
                                                           "Speak to staff on every visit.", visit_without_staff))
    path = tmp_path / "visits.toml"
    path.write_text(VISITS, encoding="utf-8")
    with engine.begin() as c:  # the council makes the new return (the Board setup says which returns a partner makes)
        c.execute(update(Partner).where(Partner.code == "LA").values(returns="activity,visits"))
    return load_spec(path)


def _rows():
    return [["Visit ID", "Visit date", "Setting", "Staff spoken to"],
            ["V-001", date(2025, 7, 14), "Care home", 3],
            ["V-002", date(2025, 8, 2), "care HOME", 0],  # a code in another case is cleaned; no staff: its own rule
            ["V-002", date(2025, 9, 1), "Day service", 2],  # a repeated ID
            ["V-004", date(2025, 10, 3), "Hospital", 1]]  # outside the quarter; not a setting in the list


def test_a_return_type_written_as_a_spec_is_detected_cleaned_and_checked(engine, visits):
    specs = [*all_specs(), visits]
    prepared = prepare(xlsx({"Visits": _rows()}), "LA 2025-26 Q2.xlsx", engine, specs=specs)
    report = preview(prepared, engine)
    assert (report.return_type, report.detected["type"], prepared.partner.code) == ("visits", "from the sheets", "LA")
    assert report.headline().startswith("Safeguarding visits return LA 2025-26 Q2 from LA 2025-26 Q2.xlsx: 4 visits;")
    assert sorted((i.rule, i.row, i.column) for i in report.issues) == [
        ("DATE_OUTSIDE_PERIOD", 5, "B"), ("DUPLICATE_ID", 4, "A"), ("UNKNOWN_CODE", 5, "C"),
        ("VISIT_WITHOUT_STAFF", 3, "D")]
    sheet = prepared.sheets["Visits"]
    assert sheet.values["setting"].tolist() == ["Care home", "Care home", "Day service", None]
    assert sheet.values["staff_spoken_to"].tolist() == [3, 0, 2, 1]
    assert "A visit with no staff spoken to" in spec_markdown(visits)


def test_the_new_type_can_be_chosen_and_the_others_still_refuse_it(engine, visits):
    data = xlsx({"Visits": _rows()[:2]})
    report = preview(prepare(data, "LA 2025-26 Q2.xlsx", engine, return_type="visits", specs=[*all_specs(), visits]),
                     engine)
    assert report.error_count == 0 and report.rows == {"Visits": 1}
    with pytest.raises(UsageError, match="Unknown return type 'visits'; use one of activity, assurance, audit."):
        prepare(data, "LA 2025-26 Q2.xlsx", engine, return_type="visits")
