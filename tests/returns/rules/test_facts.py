"""Rules are pure: what they need from the database is fetched first (assurance.returns.facts) and handed to them
in their context, so a rule can be run on facts given by hand, with no database at all."""

import copy
from datetime import date

from assurance.returns.facts import LoadedConcerns, RowCount, fetch
from assurance.returns.rules import run_rules
from assurance.returns.validate import prepare
from tests.returns.builders import activity_sheets, xlsx


def _prepared(engine, n=20):
    return prepare(xlsx(activity_sheets(n)), "LA 2025-26 Q2.xlsx", engine)


def _run(prepared, facts):
    ctx = copy.deepcopy(prepared.ctx)
    ctx.issues = []
    ctx.facts = facts
    run_rules(ctx, with_facts=True)
    return ctx.issues


def test_volume_unusual_from_the_row_counts_it_is_given(engine):
    prepared = _prepared(engine)  # 20 concerns and 8 enquiries: 28 rows
    history = [RowCount("2025-26 Q1", 60), RowCount("2024-25 Q4", 64)]
    issues = _run(prepared, {"recent_row_counts": history, "loaded_concerns": LoadedConcerns(date(2025, 7, 1),
                                                                                           frozenset())})
    assert [(i.rule, i.message) for i in issues] == [(
        "VOLUME_UNUSUAL", "This return has 28 rows, 55% fewer than the average of 62 in LA's last 2 accepted activity "
        "returns (2024-25 Q4 to 2025-26 Q1).")]
    close = [RowCount("2025-26 Q1", 30), RowCount("2024-25 Q4", 26)]
    assert _run(prepared, {"recent_row_counts": close, "loaded_concerns": LoadedConcerns(date(2025, 7, 1),
                                                                                       frozenset())}) == []


def test_unknown_concern_from_the_concerns_it_is_given(engine):
    sheets = activity_sheets(20)
    sheets["Enquiries"][1][1] = "C0900001"  # a concern from an earlier quarter
    sheets["Enquiries"][2][1] = "C0900002"
    prepared = prepare(xlsx(sheets), "LA 2025-26 Q2.xlsx", engine)
    facts = {"recent_row_counts": [], "loaded_concerns": LoadedConcerns(date(2025, 4, 1), frozenset({"C0900001"}))}
    assert [(i.rule, i.row, i.value) for i in _run(prepared, facts)] == [("UNKNOWN_CONCERN", 3, "C0900002")]


def test_the_facts_come_from_the_database_for_the_rules_the_spec_names(engine):
    prepared = _prepared(engine)
    with engine.connect() as conn:
        facts = fetch(conn, prepared.ctx)
    assert set(facts) == {"loaded_concerns", "recent_row_counts"}
    assert facts["recent_row_counts"] == [] and facts["loaded_concerns"].refs == frozenset()
