import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assurance.board import actions as act
from assurance.db.models import BoardAction

TODAY = date(2026, 11, 23)


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
    act.update_action(engine, n, "qa", status="Completed", completed_date=date(2026, 12, 5))
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
    result = act.import_tracker(engine, content, "qa")
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
    result = act.import_tracker(engine, buf.getvalue(), "qa")
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
    result = act.import_tracker(engine, buf.getvalue(), "qa")
    assert result.created == result.updated == 0
    assert any("row 3" in p and "status 'Done'" in p for p in result.problems)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(BoardAction)) == 1
        assert c.scalar(select(BoardAction.progress)) is None
    assert act.import_tracker(engine, b"not a workbook", "qa").problems[0].endswith("(.xlsx).")


def test_audit_actions_and_sar_measure(demo_engine):
    frame = act.tracker_frame(demo_engine, TODAY, source="Audit")
    assert len(frame) > 0 and set(frame["Source"]) == {"Audit"}
    assert act.sync_audit_actions(demo_engine) == 0  # already tracked: nothing added twice
    done, due = act.sar_actions_on_time(demo_engine, date(2020, 1, 1), TODAY)
    with demo_engine.connect() as c:
        rows = c.execute(select(BoardAction.status, BoardAction.completed_date, BoardAction.due_date)
                         .where(BoardAction.source == "SAR", BoardAction.due_date <= TODAY)).all()
    assert due == len(rows) and done == sum(1 for s, comp, d in rows if s == "Completed" and comp <= d)
    assert 0 < done < due
