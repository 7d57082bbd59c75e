"""The Admin pages in plain words: no "None" where nothing applies, the audit trail's details readable."""

from __future__ import annotations

from datetime import timedelta

from assurance.access import audit
from assurance.directory import list_periods
from assurance.db.engine import get_engine
from assurance.measures.framework import framework
from tests.pages.helpers import open_page


def _cells(at) -> list[str]:
    return [str(v) for d in at.dataframe for row in d.value.itertuples(index=False) for v in row]


def test_framework_targets_show_blank_where_nothing_applies(demo_url, config_copy):
    at = open_page("pages/admin_targets.py", role="admin")
    cells = _cells(at)
    assert not any(c in ("None", "nan", "NaN", "<NA>") for c in cells)
    info = next(m for m in framework().measures if m.polarity == "information")
    row = at.dataframe[0].value.set_index("Measure").loc[info.name]
    assert (row["Amber tolerance"], row["Since"]) == ("", "")
    rated = next(m for m in framework().measures if m.polarity != "information")
    assert at.dataframe[0].value.set_index("Measure").loc[rated.name, "Latest target"] == f"{rated.target:g}"


def test_audit_trail_details_read_as_words_not_json(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = open_page("pages/admin_periods.py", role="admin")
    latest = list_periods(engine)[-1]
    new_due = latest.due + timedelta(days=7)
    at.date_input[0].set_value(new_due)
    next(b for b in at.button if b.label == "Save the due date").click()
    at.run()
    audit.record(engine, "ann", audit.EXPORT, "overview.csv", {"rows": 12, "file": "overview.csv"})
    at = open_page("pages/admin_audit.py", role="admin")
    shown = at.dataframe[0].value
    details = list(shown["Details"])
    assert not any(d.lstrip().startswith(("{", "[")) or '"' in d for d in details)
    assert "File: overview.csv; Rows: 12" in details
    assert f"Due date: {latest.due:%d/%m/%Y} → {new_due:%d/%m/%Y}" in details
    assert not any(str(v) == "None" for v in shown.to_numpy().ravel())
