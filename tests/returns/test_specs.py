"""The spec files are the whole truth for a return, and the loader holds them to it: unknown keys, rule
parameters and storage that does not fit are refused with the file and the key named."""

import re
import shutil

import pytest

from assurance.db.models import Base
from assurance.returns.catalogue import RETURN_TYPES, SPEC_DIR, SpecError, return_titles
from assurance.returns.convert import CONVERTERS
from assurance.returns.facts import FACTS
from assurance.returns.rules import RULES
from assurance.returns.specs import COLUMN_TYPES, TYPE_WORDS, all_specs, load_spec


def _copy(tmp_path, name="activity"):
    path = tmp_path / f"{name}.toml"
    shutil.copy(SPEC_DIR / f"{name}.toml", path)
    return path


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_return_types_are_the_spec_files():
    assert RETURN_TYPES == {"activity": "Safeguarding activity return", "assurance": "Partner assurance return",
                            "audit": "Multi-agency audit return"}
    assert [s.type for s in all_specs()] == list(RETURN_TYPES)
    from assurance import config

    assert config.RETURN_TYPES is RETURN_TYPES


def test_a_new_spec_file_is_a_new_return_type(tmp_path):
    for name in RETURN_TYPES:
        _copy(tmp_path, name)
    (tmp_path / "visits.toml").write_text('type = "visits"\ntitle = "Safeguarding visits return"\n', encoding="utf-8")
    assert return_titles(tmp_path) == {**RETURN_TYPES, "visits": "Safeguarding visits return"}


@pytest.mark.parametrize("old, new, message", [
    ('made_by = ', 'made_bye = "x"\nmade_by = ', "activity.toml: unknown key 'made_bye' in the return"),
    ('table = "concerns"', 'table = "concerns"\ntabel = "x"', "activity.toml: unknown key 'tabel' in sheet Concerns"),
    ('header = "Concern ID"', 'header = "Concern ID"\nmandatroy = false',
     "activity.toml: unknown key 'mandatroy' in sheet Concerns, column Concern ID"),
    ('{ code = "ETHNICITY_NOT_RECORDED", threshold = 0.10 }', '{ code = "ETHNICITY_NOT_RECORDED", treshold = 0.10 }',
     "activity.toml: unknown key 'treshold' in sheet Concerns, rule ETHNICITY_NOT_RECORDED"),
    ('{ code = "DUPLICATE_ID" },\n  { code = "DATE_OUTSIDE_PERIOD", field = "date_received" },',
     '{ code = "DATE_OUTSIDE_PERIOD", field = "date_received" },',
     "activity.toml: sheet Concerns has columns whose values must be unique: add { code = \"DUPLICATE_ID\" }"),
    ('{ code = "DECISION_BEFORE_RECEIPT" }', '{ code = "DECISION_BEFORE_RECIEPT" }',
     "activity.toml: sheet Concerns names the rule 'DECISION_BEFORE_RECIEPT', which is not a rule that can be run"),
    ('rules = [{ code = "VOLUME_UNUSUAL", tolerance = 0.5 }]', 'rules = []', None),
    ('{ code = "DECISION_BEFORE_RECEIPT" }', '{ code = "VOLUME_UNUSUAL" }',
     "activity.toml: VOLUME_UNUSUAL is a rule about the return as a whole; list it at the top of the file"),
    ('store = ["ethnicity_detailed", "ethnicity_broad"]', 'store = ["ethnicity_detailed"]',
     "activity.toml: sheet Concerns, column Ethnicity gives 2 values (ethnic group from the list), so store needs 2 "
     "database column names; it has 1"),
    ('child_table = "enquiry_risks"  # one row per code\ndimension = "type"', 'dimension = "type"',
     "activity.toml: sheet Enquiries, column Types of risk holds a list of codes: name the child_table"),
    ('type = "date"', 'type = "datum"', "activity.toml: sheet Concerns, column Date received has unknown type 'datum'"),
])
def test_a_spec_that_does_not_fit_is_refused_naming_file_and_key(tmp_path, old, new, message):
    path = _copy(tmp_path)
    _edit(path, old, new)
    if message is None:  # a return with no whole-return rules is fine
        assert load_spec(path).rules == ()
        return
    with pytest.raises(SpecError, match=re.escape(message)):
        load_spec(path)


def test_a_spec_must_be_named_after_its_type(tmp_path):
    path = _copy(tmp_path)
    path.rename(tmp_path / "concerns.toml")
    with pytest.raises(SpecError, match=re.escape("concerns.toml: type must be 'concerns', the file's name")):
        load_spec(tmp_path / "concerns.toml")


def test_every_value_a_spec_stores_has_its_column_in_the_model():
    for spec in all_specs():
        for sheet in spec.sheets:
            table = Base.metadata.tables[sheet.table]
            for col in sheet.columns:
                assert set(col.store) <= set(table.columns.keys()), (spec.type, col.field, col.store)
                if col.child_table:
                    child = Base.metadata.tables[col.child_table]
                    assert any(fk.column.table is table for fk in child.foreign_keys)
                    assert {"dimension", "category"} <= set(child.columns.keys())
                    assert sheet.id_column is not None


def test_every_rule_runs_through_a_spec_and_every_fact_a_rule_needs_exists():
    named = {r["code"] for s in all_specs() for sheet in s.sheets for r in sheet.rules}
    named |= {r["code"] for s in all_specs() for r in s.rules}
    checks = {code for code, r in RULES.items() if r.check is not None}
    assert checks == named  # DUPLICATE_ID and VOLUME_UNUSUAL too: no rule runs outside the specs
    assert {n for r in RULES.values() for n in r.needs} <= set(FACTS)


def test_the_column_types_are_the_converters():
    assert COLUMN_TYPES == tuple(CONVERTERS)
    assert set(COLUMN_TYPES) == {"id", "text", "date", "integer", "age", "code", "codes", "ethnicity", "partner"}
    assert TYPE_WORDS["date"] == "date (dd/mm/yyyy)"
