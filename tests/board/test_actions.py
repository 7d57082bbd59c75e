import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assurance.access import audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import AccessDenied
from assurance.board import actions as act
from assurance.db.models import AuditEvent, BoardAction

TODAY = date(2026, 11, 23)
QA = UserInfo(None, "qa", "QA member", "qa")


@pytest.mark.parametrize(
    "status,due,expected",
    [
        ("Completed", date(2020, 1, 1), "blue"),
        ("In progress", date(2026, 11, 22), "red"),
        ("Not started", date(2026, 11, 23), "amber"),  # due today is not yet overdue
        ("Not started", date(2026, 12, 23), "amber"),  # 30 days ahead
        ("Not started", date(2026, 12, 24), "green"),
        ("In progress", None, "green"),
    ],
)
def test_rag(status, due, expected):
    assert act.action_rag(status, due, TODAY) == expected


def test_overdue_turns_red_by_itself(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", action="Relaunch the protocol", owner="LA",
                       due_date=date(2026, 12, 1), actor="qa")
    rag = lambda today: act.tracker_frame(engine, today).set_index("Action ID").loc[n, "RAG"]  # noqa: E731
    assert rag(date(2026, 10, 1)) == "On track"
    assert rag(date(2026, 11, 15)) == "Due within 30 days"
    assert rag(date(2026, 12, 2)) == "Overdue"
    act.update_action(engine, n, QA, status="Completed", completed_date=date(2026, 12, 5))
    assert rag(date(2026, 12, 6)) == "Completed"
    row = act.tracker_frame(engine, TODAY).iloc[0]
    assert row["Owner agency"] == "Demo Borough Council (Adult Social Care)"  # matched by partner code


def test_checks(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    with pytest.raises(act.TrackerError, match="completed"):
        act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=None, actor="qa", status="Completed")
    with pytest.raises(act.TrackerError, match="no review"):
        act.add_action(engine, review_reference="SAR-Y", action="A", owner="LA", due_date=None, actor="qa")
    with pytest.raises(act.TrackerError, match="already a review"):
        act.add_review(engine, "SAR-X", "again")


def test_round_trip(engine):
    act.add_review(engine, "SAR-X", "Adult X", date(2026, 1, 10))
    act.add_action(engine, review_reference="SAR-X", recommendation_no="1", recommendation="Use the protocol",
                   action="=cmd|' /C calc'!A0", owner="POL", due_date=date(2026, 6, 30), actor="qa",
                   status="Completed", completed_date=date(2026, 6, 1), evidence="Briefing notes", progress="Done")
    act.add_action(engine, review_reference="SAR-X", recommendation_no="2", recommendation="Assess carers",
                   action="Offer carers' assessments", owner="Some charity", due_date=date(2027, 1, 31), actor="qa")
    first = act.tracker_frame(engine, TODAY)
    content = act.export_tracker(first)
    result = act.import_tracker(engine, content, QA)
    assert (result.created, result.updated, result.unchanged, result.problems) == (0, 0, 2, [])
    assert act.tracker_frame(engine, TODAY).equals(first)  # what goes out comes back the same
    ws = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[1]] == act.TRACKER_COLUMNS
    assert ws["H2"].data_type == "s"  # a formula-looking action stays text

    # Edit in Excel: complete action 2, add a new action.
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws["K3"], ws["L3"], ws["M3"] = "Completed", date(2026, 11, 1), "All teams briefed"
    ws.append([None, "SAR", "SAR-Z", "Adult Z", "1", "New rec", None, "New action", "ICB", date(2027, 3, 31), "Not started"])
    buf = io.BytesIO()
    wb.save(buf)
    result = act.import_tracker(engine, buf.getvalue(), QA)
    assert (result.created, result.updated, result.unchanged, result.problems) == (1, 1, 1, [])
    frame = act.tracker_frame(engine, TODAY).set_index("Action")
    assert frame.loc["Offer carers' assessments", "Status"] == "Completed"
    assert frame.loc["New action", "Owner agency"] == "Demo Integrated Care Board"


def test_bad_import_changes_nothing(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=date(2027, 1, 1), actor="qa")
    wb = load_workbook(io.BytesIO(act.export_tracker(act.tracker_frame(engine, TODAY))))
    ws = wb.active
    ws["M2"] = "progress that should not land"
    ws.append([None, "SAR", "SAR-X", "Adult X", "2", "R", None, "B", "LA", "31/13/2027", "Done"])
    buf = io.BytesIO()
    wb.save(buf)
    result = act.import_tracker(engine, buf.getvalue(), QA)
    assert result.created == result.updated == 0
    assert any("row 3" in p and "status 'Done'" in p for p in result.problems)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(BoardAction)) == 1
        assert c.scalar(select(BoardAction.progress)) is None
    assert act.import_tracker(engine, b"not a workbook", QA).problems[0].endswith("(.xlsx).")


def test_audit_actions_and_sar_measure(demo_engine):
    frame = act.tracker_frame(demo_engine, TODAY, source="Audit")
    assert len(frame) > 0 and set(frame["Source"]) == {"Audit"}
    assert act.sync_audit_actions(demo_engine) == 0  # already tracked: nothing added twice
    assert not hasattr(act, "sar_actions_on_time")  # the framework measure is the one count of SAR actions on time
    from assurance.measures.compute import compute_figures
    from assurance.periods import Period

    period = Period.parse("2026-27 Q2")
    f = compute_figures(demo_engine).get("sar_actions_on_time", period.label)
    start, end = period.shift(-3).start, period.end  # four quarters to the period
    with demo_engine.connect() as c:
        rows = c.execute(select(BoardAction.status, BoardAction.completed_date, BoardAction.due_date)
                         .where(BoardAction.source == "SAR", BoardAction.due_date >= start,
                                BoardAction.due_date <= end)).all()
    done = sum(1 for s, comp, d in rows if s == "Completed" and comp is not None and comp <= d)
    assert (f.numerator, f.denominator) == (done, len(rows))
    assert 0 < done < len(rows)


def test_empty_text_is_none_never_nan(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", action="Relaunch the protocol", owner="LA",
                       due_date=date(2026, 12, 1), actor="qa")
    row = act.tracker_frame(engine, TODAY).set_index("Action ID").loc[n]
    for column in ("Progress notes", "Evidence", "Recommendation", "Recommendation no.", "Audit reference", "Completed date"):
        assert row[column] is None, (column, row[column])  # pandas 3 would give NaN, shown and saved as 'nan'
    assert str(act.tracker_frame(engine, TODAY)["Action ID"].dtype) == "int64"
    # what a page's form sends back when it showed a gap: never stored as the word 'nan'
    act.update_action(engine, n, QA, status="In progress", progress="nan", evidence=float("nan"))
    with engine.connect() as c:
        assert c.execute(select(BoardAction.progress, BoardAction.evidence)).one() == (None, None)
    act.update_action(engine, n, QA, progress="  Briefings booked  ", evidence="")
    row = act.tracker_frame(engine, TODAY).set_index("Action ID").loc[n]
    assert (row["Progress notes"], row["Evidence"]) == ("Briefings booked", None)


def _edited(engine, edit) -> bytes:
    wb = load_workbook(io.BytesIO(act.export_tracker(act.tracker_frame(engine, TODAY))))
    edit(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_applies_edits_to_existing_rows(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", recommendation_no="1", recommendation="Use the protocol",
                       action="Relaunch the protocol", owner="LA", due_date=date(2027, 1, 31), actor="qa")

    def edit(ws):
        ws["D2"], ws["E2"], ws["F2"] = "Adult X (2026)", "1a", "Use the escalation protocol"
        ws["H2"], ws["I2"], ws["J2"] = "Relaunch the escalation protocol", "ICB", date(2027, 3, 31)

    result = act.import_tracker(engine, _edited(engine, edit), UserInfo(None, "qa.member", "QA", "qa"))
    assert (result.created, result.updated, result.unchanged, result.problems) == (0, 1, 0, [])
    row = act.tracker_frame(engine, TODAY).set_index("Action ID").loc[n]
    assert row["SAR title"] == "Adult X (2026)" and row["Recommendation no."] == "1a"
    assert row["Recommendation"] == "Use the escalation protocol"
    assert row["Action"] == "Relaunch the escalation protocol"
    assert row["Owner agency"] == "Demo Integrated Care Board"  # the code in the file matched to the partner's name
    assert row["Due date"] == date(2027, 3, 31)
    changes = "\n".join(result.changes)  # the history of the import, field by field, for the audit trail
    for column in ("Action changed", "Owner agency changed", "Recommendation changed", "Recommendation no. changed",
                   "Due date changed from 31/01/2027 to 31/03/2027", "SAR title of SAR-X changed"):
        assert column in changes, column
    with engine.connect() as c:
        assert c.scalar(select(BoardAction.updated_by)) == "qa.member"
        owner_id = c.scalar(select(BoardAction.owner_partner_id))
    from assurance.db.models import Partner
    with engine.connect() as c:
        assert c.scalar(select(Partner.code).where(Partner.id == owner_id)) == "ICB"
    # the same file again changes nothing
    again = act.import_tracker(engine, act.export_tracker(act.tracker_frame(engine, TODAY)), QA)
    assert (again.updated, again.unchanged, again.changes) == (0, 1, [])


def test_import_reports_edits_it_cannot_make(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    act.add_review(engine, "SAR-Y", "Adult Y")
    act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=date(2027, 1, 31), actor="qa")
    act.add_action(engine, review_reference="SAR-X", action="B", owner="LA", due_date=date(2027, 1, 31), actor="qa")

    def edit(ws):
        ws["C2"] = "SAR-Y"  # moving an action to another review
        ws["H2"] = "Changed too"
        ws["D3"] = "Another title"  # row 3 disagrees with row 2 about the review's title

    result = act.import_tracker(engine, _edited(engine, edit), QA)
    assert (result.updated, result.unchanged, result.changes) == (0, 0, [])
    assert any("row 2" in p and "SAR reference" in p and "cannot be changed" in p for p in result.problems)
    with engine.connect() as c:
        assert sorted(c.scalars(select(BoardAction.action))) == ["A", "B"]  # all or nothing


def test_import_refuses_a_new_owner_for_an_audit_action(demo_copy_url):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    frame = act.tracker_frame(engine, TODAY, source="Audit").head(1)
    wb = load_workbook(io.BytesIO(act.export_tracker(frame)))
    wb.active["I2"] = "Somebody else"
    buf = io.BytesIO()
    wb.save(buf)
    result = act.import_tracker(engine, buf.getvalue(), QA)
    assert result.updated == 0 and any("comes from the audit return" in p for p in result.problems)


def _count(engine, model) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["analyst", "partner_lead"])
def test_a_role_that_may_not_edit_actions_is_refused_and_nothing_changes(engine, role):
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=date(2027, 1, 1), actor="qa")
    reader = UserInfo(None, "reader", "Reader", role, partner_id=1)
    workbook = act.export_tracker(act.tracker_frame(engine, TODAY))
    before = (act.tracker_frame(engine, TODAY).to_dict("records"), _count(engine, AuditEvent))
    with pytest.raises(AccessDenied):
        act.update_action(engine, n, reader, status="In progress", progress="Started")
    with pytest.raises(AccessDenied):
        act.import_tracker(engine, workbook, reader)
    assert (act.tracker_frame(engine, TODAY).to_dict("records"), _count(engine, AuditEvent)) == before


def test_updates_and_imports_write_their_audit_record_as_the_user(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=date(2027, 1, 1), actor="qa")
    act.update_action(engine, n, QA, status="In progress", progress="Started", address="10.0.0.8")
    frame = act.tracker_frame(engine, TODAY)
    frame.loc[0, "Progress notes"] = "Half done"
    result = act.import_tracker(engine, act.export_tracker(frame), QA, "tracker.xlsx")
    assert result.updated == 1
    events = audit.search(engine).iloc[::-1]
    assert list(zip(events["Who"], events["Action"], events["Target"])) == [
        ("qa", act.ACTION_UPDATED, f"action {n}"), ("qa", act.ACTIONS_IMPORTED, "tracker.xlsx")]
    assert events.iloc[0]["From"] == "10.0.0.8"
    assert "Half done" in events.iloc[1]["Details"]


def test_a_refused_import_writes_no_audit_record(engine):
    assert act.import_tracker(engine, b"not a workbook", QA).problems
    assert _count(engine, AuditEvent) == 0


def test_the_screen_table_puts_rag_due_and_status_first_and_overdue_first(engine):
    act.add_review(engine, "SAR-X", "Adult X")
    later = act.add_action(engine, review_reference="SAR-X", action="Later", owner="LA", due_date=date(2027, 6, 1), actor="qa")
    late = act.add_action(engine, review_reference="SAR-X", action="Late", owner="LA", due_date=date(2026, 10, 1), actor="qa")
    soon = act.add_action(engine, review_reference="SAR-X", action="Soon", owner="LA", due_date=date(2026, 12, 1), actor="qa")
    done = act.add_action(engine, review_reference="SAR-X", action="Done", owner="LA", due_date=date(2026, 9, 1), actor="qa",
                          status="Completed", completed_date=date(2026, 8, 30))
    table = act.action_table(act.tracker_frame(engine, TODAY))
    assert list(table.columns[:6]) == ["Action ID", "RAG", "Due date", "Status", "Owner agency", "Action"]
    assert list(table["Action ID"]) == [late, soon, later, done]
    assert list(table["RAG"]) == ["Overdue", "Due within 30 days", "On track", "Completed"]
    assert list(table["Reference"]) == ["SAR-X"] * 4
    assert act.rag_cell_style("Overdue") == "background-color: #F4B6B6" and act.rag_cell_style("") == ""


def test_saving_an_action_unchanged_writes_nothing(engine):
    """Save pressed with nothing changed: no audit record and the action's last update stays as it was."""
    act.add_review(engine, "SAR-X", "Adult X")
    n = act.add_action(engine, review_reference="SAR-X", action="A", owner="LA", due_date=date(2027, 1, 1), actor="qa")
    act.update_action(engine, n, QA, status="In progress", progress="Started")
    with engine.connect() as c:
        before = c.execute(select(BoardAction.updated_by, BoardAction.updated_at).where(BoardAction.id == n)).one()
    events = _count(engine, AuditEvent)
    other = UserInfo(None, "chair", "Chair", "chair")
    assert act.update_action(engine, n, other, status="In progress", progress="Started") == []
    assert _count(engine, AuditEvent) == events
    with engine.connect() as c:
        assert c.execute(select(BoardAction.updated_by, BoardAction.updated_at).where(BoardAction.id == n)).one() == before
