"""Reading: type sniffed by content, CSV with a BOM, and hostile files refused with one clear error."""

import io
import zipfile

import pytest

from assurance.returns import read
from assurance.returns.load import load_bytes
from assurance.returns.read import ReadError, read_bytes
from tests.returns.builders import CONCERN_HEADERS, activity_sheets, measure_sheets, xlsx
from tests.returns.conftest import snapshot


def test_csv_with_bom_and_semicolons_is_read():
    data = "\ufeffMeasure code;Numerator;Denominator\nstaff_trained;1,200;1400\n".encode("utf-8")
    wb = read_bytes(data, "POL 2025-26 Q2.csv")
    assert wb.kind == "csv"
    assert wb.sheet(wb.sheet_names[0]).rows == [["Measure code", "Numerator", "Denominator"],
                                                ["staff_trained", "1,200", "1400"]]


def test_type_is_sniffed_by_content_not_extension():
    assert read_bytes(xlsx(measure_sheets()), "return.csv").kind == "xlsx"
    assert read_bytes(b"Measure code,Numerator\nstaff_trained,3\n", "return.csv").kind == "csv"
    assert read_bytes(b"Measure code,Numerator\nstaff_trained,3\n", "return.txt").kind == "csv"


@pytest.mark.parametrize("file_name", ["LA 2025-26 Q2.xlsx", "LA 2025-26 Q2.XLS", "LA 2025-26 Q2.ods", "LA 2025-26 Q2.xlsm"])
def test_text_file_named_as_a_workbook_is_refused_and_nothing_recorded(file_name, engine):
    """A CSV renamed .xlsx used to be read as CSV: with --type activity it gave MISSING_SHEET errors and a
    rejected submission. Now it is one clear error, and nothing is recorded."""
    text = "Concern ID,Person ID,Date received,Decision date,Referral source,Age,Gender,Ethnicity," \
           "Primary support reason,Concern outcome\nC1,P1,01/07/2025,02/07/2025,Police,70,Female,Indian,Physical Support,No enquiry\n"
    before = snapshot(engine)
    with pytest.raises(ReadError) as err:
        load_bytes(text.encode("utf-8"), file_name, engine, "tester", return_type="activity")
    assert f"{file_name} is plain text, not a" in str(err.value)
    assert "save it as .xlsx or .csv and upload again" in str(err.value)
    assert snapshot(engine) == before


def test_sheet_offsets_give_excel_rows_and_columns():
    data = xlsx({"Concerns": [[], [], [None, "Concern ID", "Person ID"], [None, "C1", "P1"]]})
    sheet = read_bytes(data, "x.xlsx").sheet("Concerns")
    assert (sheet.row_offset, sheet.col_offset) == (2, 1)
    assert sheet.rows[0] == ["Concern ID", "Person ID"]


def _entity_bomb() -> bytes:
    good = xlsx(measure_sheets())
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                        + (body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body))
            z.writestr(item, body)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (3 * 1024 * 1024) + b"/>")
    return out.getvalue()


def _encrypted() -> bytes:
    """The start of an OLE compound file holding an encrypted OOXML package (as Excel writes with a password)."""
    header = read.OLE_MAGIC + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le")
    return header + directory + b"\x00" * 2048


HOSTILE = {
    "not a workbook": (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "is a PDF document, not a spreadsheet"),
    "binary junk": (bytes(range(256)) * 20, "is not a spreadsheet or CSV file"),
    "corrupt zip": (xlsx(measure_sheets())[:3000], "is damaged"),
    "encrypted": (_encrypted(), "is password-protected (encrypted)"),
    "entity expansion": (_entity_bomb(), "contains XML entity declarations"),
    "zip bomb": (_zip_bomb(), "would expand to"),
    "word document": (None, "is a Word document"),
}


def _word() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_files_give_one_clear_error_and_change_nothing(case, engine, monkeypatch):
    monkeypatch.setattr(read, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    data, expected = HOSTILE[case]
    data = data if data is not None else _word()
    before = snapshot(engine)
    with pytest.raises(ReadError) as err:
        load_bytes(data, "POL 2025-26 Q2.xlsx", engine, "tester")
    assert expected in str(err.value)
    assert "POL 2025-26 Q2.xlsx" in str(err.value)
    assert "Traceback" not in str(err.value)
    assert snapshot(engine) == before


def test_oversized_file_is_refused_before_reading(engine, monkeypatch):
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 10_000)
    data = xlsx(activity_sheets(200))
    before = snapshot(engine)
    with pytest.raises(ReadError, match=r"the largest return accepted is 0 MB"):
        load_bytes(data, "LA 2025-26 Q2.xlsx", engine, "tester")
    assert snapshot(engine) == before


def test_empty_file_and_empty_csv():
    with pytest.raises(ReadError, match="is empty"):
        read_bytes(b"", "a.xlsx")
    with pytest.raises(ReadError, match="holds no data"):
        read_bytes(b"\n,,\n", "a.csv")


def test_macros_are_flagged_not_run(check):
    good = xlsx({"Concerns": [CONCERN_HEADERS]})
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, src.read(item))
        z.writestr("xl/vbaProject.bin", b"\x00fake macro project")
    assert read_bytes(out.getvalue(), "LA.xlsm").has_macros


def test_macros_raise_the_macros_ignored_query(check):
    sheets = activity_sheets(5)
    good = xlsx(sheets)
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, src.read(item))
        z.writestr("xl/vbaProject.bin", b"\x00fake macro project")
    report = check(out.getvalue(), "LA 2025-26 Q2.xlsm")
    assert [(i.rule, i.severity) for i in report.issues] == [("MACROS_IGNORED", "query")]
    assert "contains macros. They were not run" in report.issues[0].message


def test_utf16_text_from_excel_is_read():
    """Excel's 'Unicode Text' is UTF-16 with a byte-order mark and tabs between cells."""
    text = "Measure code\tNumerator\tDenominator\nstaff_trained\t1200\t1400\nsupervision\t400\t490\n"
    for data in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        wb = read_bytes(data, "POL 2025-26 Q2.txt")
        assert wb.kind == "csv"
        assert wb.sheet(wb.sheet_names[0]).rows == [["Measure code", "Numerator", "Denominator"],
                                                    ["staff_trained", "1200", "1400"], ["supervision", "400", "490"]]


def test_a_csv_field_longer_than_any_cell_is_one_plain_error():
    data = b"Measure code,Commentary\nstaff_trained,\"" + b"x" * 200_000 + b"\"\n"
    with pytest.raises(ReadError, match=r"row 2 cannot be read as CSV .*Save the return from Excel"):
        read_bytes(data, "POL 2025-26 Q2.csv")


def test_utf32_text_is_read_and_nul_characters_are_binary_data():
    text = "Measure code,Numerator\nstaff_trained,3\n"
    wb = read_bytes(text.encode("utf-32"), "POL 2025-26 Q2.csv")
    assert wb.sheet(wb.sheet_names[0]).rows == [["Measure code", "Numerator"], ["staff_trained", "3"]]
    late_nul = ("Measure code,Numerator\n" + "staff_trained,3\n" * 10_000 + "x\x00y,1\n").encode()
    with pytest.raises(ReadError, match="holds binary data"):
        read_bytes(late_nul, "POL 2025-26 Q2.csv")


@pytest.mark.parametrize("data, file_name, says", [
    (b"just some text pretending to be a workbook.\n", "POL 2026-27 Q2.xlsx", "is plain text, not an Excel workbook"),
    (b"%PDF-1.5 not a spreadsheet", "POL 2026-27 Q2.xlsx", "is a PDF document"),
    (b"PK\x05\x06" + bytes(18), "POL 2026-27 Q2.xlsx", "is a damaged or incomplete zip file"),
    (b"\x89PNG\r\n\x1a\n", "POL 2026-27 Q2.csv", "is a PNG image"),
])
def test_a_file_that_is_plainly_not_a_workbook_is_refused_at_once_while_every_reader_is_busy(data, file_name, says):
    """On a busy machine every reader slot may be taken by other loads: a file whose first bytes already show it
    is not a workbook is refused at once, without waiting for a reader (or starting one)."""
    import threading

    from assurance.returns import guard

    held = [guard._slots.take(), guard._slots.take()]  # both readers busy, as under other loads
    outcome = []
    try:
        reading = threading.Thread(target=lambda: outcome.append(_refusal(data, file_name)), daemon=True)
        reading.start()
        reading.join(timeout=5)
        assert outcome, "the file waited for a reader"
    finally:
        for slot in held:
            guard._slots.give_back(slot)
    assert says in outcome[0]


def _refusal(data: bytes, file_name: str) -> str:
    try:
        read_bytes(data, file_name)
    except ReadError as exc:
        return str(exc)
    return "read"
