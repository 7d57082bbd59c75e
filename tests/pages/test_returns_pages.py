"""AppTest for the Returns pages: upload (validate, report, load) and the submissions tracker."""

import json

import pytest
from sqlalchemy import func, select

from assurance.access import audit
from assurance.db.models import Concern, Submission
from tests.pages.helpers import open_page, read, texts, user_for_role
from tests.returns.builders import activity_sheets, measure_sheets, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


pytestmark = pytest.mark.usefixtures("fresh_caches")


def _upload(data: bytes, name: str, role: str = "chair"):
    at = open_page("pages/upload.py", role=role)
    assert "Choose the file to check" in texts(at)
    at.file_uploader[0].upload(name, data, XLSX).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_clean_return_is_checked_then_loaded(engine):
    at = _upload(xlsx(measure_sheets()), "Police 2025-26 Q2.xlsx")
    shown = texts(at)
    assert "Partner assurance return POL 2025-26 Q2 from Police 2025-26 Q2.xlsx: 5 measures; 0 errors, 0 queries." in shown
    assert "No problems found." in shown and "Submitting as **chair** (chair)." in shown
    at.button(key="upload_load").click().run()
    assert "Loaded as submission 1: 5 rows." in texts(at)
    with engine.connect() as c:
        assert c.execute(select(Submission.status, Submission.submitted_by, Submission.source)).one() == \
            ("accepted", "chair", "upload")
    loaded = audit.search(engine, action=audit.RETURN_LOADED)
    assert list(zip(loaded["Who"], loaded["Target"], loaded["Source"])) == [("chair", "submission 1", "app")]
    assert json.loads(loaded["Details"].iloc[0])["partner"] == "POL"


def test_an_analyst_uploads_only_for_their_own_partner(engine):
    at = open_page("pages/upload.py", role="analyst")  # analyst.police
    assert at.selectbox(key="upload_partner").options == ["Demo Shire Police (POL)"]
    at.file_uploader[0].upload("LA 2025-26 Q2.xlsx", xlsx(measure_sheets()), XLSX).run()
    assert not at.exception
    # The partner is theirs whatever the file says: the council's file name is a mismatch, nothing loads.
    assert list(at.dataframe[0].value["Problem"]) == ["The partner chosen and the partner in the file name differ"]
    with engine.connect() as c:
        assert c.execute(select(Submission.partner_id, Submission.status)).all() == [(user_for_role("analyst").partner_id,
                                                                                        "rejected")]
    # Their own partner's return loads, recorded against them.
    at = open_page("pages/upload.py", role="analyst")
    at.file_uploader[0].upload("Police 2025-26 Q2.xlsx", xlsx(measure_sheets()), XLSX).run()
    at.button(key="upload_load").click().run()
    assert "Loaded as submission" in texts(at)
    with engine.connect() as c:
        assert c.scalar(select(Submission.submitted_by)) == "analyst.police"


def test_errors_are_listed_by_rule_and_nothing_is_loaded(engine):
    sheets = activity_sheets(8)
    sheets["Concerns"][2][5] = 15
    sheets["Enquiries"][1][6] = "Financal Abuse"
    at = _upload(xlsx(sheets), "LA 2025-26 Q2.xlsx")
    shown = texts(at)
    assert "This return cannot be loaded: it has 2 errors. Nothing has been changed" in shown
    summary = at.dataframe[0].value
    assert sorted(summary["Problem"]) == ["A value not in the list", "Age under 18 (the return covers adults only)"]
    assert summary["Count"].tolist() == [1, 1]
    issues = at.table[0].value
    assert [read(v) for v in issues["Where"]] == ["Concerns F3", "Enquiries G2"]
    assert "Did you mean “Financial or Material Abuse”?" in [read(v) for v in issues["How to fix it"]]
    at.multiselect(key="upload_f_rule").set_value(["UNKNOWN_CODE"]).run()
    assert [read(v) for v in at.table[0].value["Where"]] == ["Enquiries G2"]
    assert len(at.get("download_button")) >= 5  # three templates, the CSV and the highlighted workbook
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == 0
        assert c.execute(select(Submission.status, Submission.error_count)).one() == ("rejected", 2)


def test_queries_need_confirming(engine):
    sheets = activity_sheets(20)
    for row in sheets["Concerns"][1:5]:
        row[7] = "Not stated"
    at = _upload(xlsx(sheets), "LA 2025-26 Q2.xlsx")
    assert "1 query: check each one below." in texts(at)
    assert at.button(key="upload_load").disabled
    at.checkbox(key="upload_confirm").check().run()
    at.button(key="upload_load").click().run()
    assert "Loaded as submission 1: 28 rows." in texts(at)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == 20


def test_unreadable_file_gets_one_clear_error(engine):
    at = _upload(b"%PDF-1.5 this is not a spreadsheet", "POL 2025-26 Q2.xlsx")
    assert [read(e.value) for e in at.error] == [
        "POL 2025-26 Q2.xlsx is a PDF document, not a spreadsheet. Upload the return as an Excel workbook (.xlsx) "
        "or CSV. Nothing has been changed."]
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Submission)) == 0
    refused = audit.search(engine, action=audit.UPLOAD_REFUSED)
    assert list(zip(refused["Who"], refused["Target"])) == [("chair", "POL 2025-26 Q2.xlsx")]


def test_tracker_page_shows_states_and_history(demo_url, demo_engine):
    at = open_page("pages/submissions.py", period="2026-27 Q2")
    df = at.dataframe[0].value
    assert len(df) == 13 and "Returns for 2026-27 Q2 were due by" in texts(at)
    hsg = df[df["Partner"] == "Demo Housing Association"].iloc[0]
    assert hsg["State"] == "Missing" and hsg["Submitted at"] == ""  # the demo leaves it out
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Missing"] == str((df["State"] == "Missing").sum()) and int(metrics["Missing"]) >= 1
    at.selectbox(key="tracker_pair").set_value(
        "Demo Borough Council (Adult Social Care) · Safeguarding activity return").run()
    hist = at.dataframe[1].value
    with demo_engine.connect() as c:
        n = c.scalar(select(Submission.row_count).join(Submission.period).where(
            Submission.return_type == "activity", Submission.period.has(label="2026-27 Q2")))
    assert hist["Rows"].tolist() == [f"{n:,}"] and hist["Status"].tolist() == ["accepted"]
    assert hist["Superseded by"].tolist() == [""]  # blank, not None


def test_replacing_the_return_in_use_needs_saying_so(engine):
    at = _upload(xlsx(measure_sheets()), "Police 2025-26 Q2.xlsx")
    at.button(key="upload_load").click().run()
    assert "Loaded as submission 1: 5 rows." in texts(at)
    at = _upload(xlsx(measure_sheets()), "Police 2025-26 Q2 corrected.xlsx")
    warning = next(read(w.value) for w in at.warning if "already has" in w.value)
    assert "submission 1 (Police 2025-26 Q2.xlsx, 5 rows, sent by chair" in warning
    assert at.button(key="upload_load").disabled
    at.checkbox(key="upload_replace").check().run()
    at.button(key="upload_load").click().run()
    assert "Loaded as submission 2: 5 rows. It supersedes submission 1." in texts(at)
