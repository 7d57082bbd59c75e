"""The hostile corpus through the command line, in a real process: every file ends in one plain message, exit 1,
nothing changed but the audit trail's record of the refusal, and no worker above its memory budget."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assurance.access import audit
from assurance.returns import guard
from assurance.returns.read import Limits, ReadError
from tests.returns.conftest import snapshot
from tests.returns.hostile import corpus

ROOT = Path(__file__).resolve().parents[2]
CASES = corpus()
BUDGET_MB = 1024  # tighter than the default, so a test run proves the budget holds with room to spare


def _run_cli(args: list[str], db_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSURANCE_DATABASE_URL": db_url, "ASSURANCE_READ_MEMORY_MB": str(BUDGET_MB)}
    return subprocess.run([sys.executable, "-m", "assurance", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def test_every_hostile_file_is_refused_by_the_command_line_with_one_plain_message(engine, db_url, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    for case in CASES:
        (folder / case.file_name).write_bytes(case.data)
    before = snapshot(engine)
    done = _run_cli(["load", str(folder)], db_url)
    assert done.returncode == 1, done.stderr[-2000:]  # not 134 (aborted) nor 137 (killed)
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("REJECTED")]
    assert len(lines) == len(CASES)
    for case in CASES:
        line = next(line for line in lines if case.file_name in line)
        assert case.says in line, (case.key, line)
        assert line.endswith("Nothing was loaded.")
        assert line.count(case.file_name) == 1, line  # the file is named once, not twice
    assert snapshot(engine) == before
    refused = audit.search(engine, action=audit.UPLOAD_REFUSED)
    assert sorted(refused["Target"]) == sorted(c.file_name for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
def test_the_worker_stays_inside_its_budget_and_the_caller_is_unharmed(case):
    started = time.monotonic()
    with pytest.raises(ReadError) as refused:
        guard.read_in_worker(case.data, case.file_name, Limits.current(), memory_mb=BUDGET_MB, seconds=60)
    assert case.says in str(refused.value)
    assert time.monotonic() - started < 60
    peak = getattr(refused.value, "peak_memory_mb", None)
    assert peak is None or peak < BUDGET_MB  # None: the worker was stopped by its budget before it could answer


def test_a_worker_that_runs_out_of_time_is_stopped(tmp_path):
    """A file that keeps the reader busy past the time budget: the worker is killed, the caller told plainly."""
    slow = next(c for c in CASES if c.key == "ods-repeated-cells")
    started = time.monotonic()
    with pytest.raises(ReadError, match="took longer than 1 second to open"):
        guard.read_in_worker(slow.data, slow.file_name, Limits.current(), memory_mb=4096, seconds=1)
    assert time.monotonic() - started < 10


def test_reading_in_the_worker_gives_exactly_what_the_reader_reads():
    """Values keep their type through the worker: 1, 1.0 and True stay apart; dates, times and blanks survive."""
    from datetime import date, datetime

    from assurance.returns.read import read_bytes, read_unguarded
    from tests.returns.builders import xlsx

    rows = [["Measure code", "Numerator", "Denominator", "Commentary"],
            ["a", 1, 1.5, True], ["b", True, 1.0, None], ["c", 1.0, 0, "1"],
            ["d", date(2025, 7, 1), datetime(2025, 7, 1, 9, 30), "=SUM(A1)"], [None, None, None, ""]]
    data = xlsx({"Measures": rows})
    ours, plain = read_bytes(data, "x.xlsx"), read_unguarded(data, "x.xlsx")
    assert ours.sheet_names == plain.sheet_names and ours.kind == plain.kind
    for name in ours.sheet_names:
        a, b = ours.sheet(name), plain.sheet(name)
        assert (a.row_offset, a.col_offset, a.hidden) == (b.row_offset, b.col_offset, b.hidden)
        assert [[(type(v), v) for v in r] for r in a.rows] == [[(type(v), v) for v in r] for r in b.rows]
    assert ours.peak_memory_mb and ours.peak_memory_mb < guard.READ_MEMORY_MB


def test_a_sheet_kept_outside_the_usual_folder_is_measured_too():
    """The workbook may point at a sheet anywhere in the package: its extent is checked all the same."""
    import io
    import re
    import zipfile

    from tests.returns.hostile import far_cell

    src, out = zipfile.ZipFile(io.BytesIO(far_cell("XFD1048576"))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item)
            name = item.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/elsewhere/data.xml"
            if name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                body = re.sub(rb"/?worksheets/sheet1\.xml", lambda m: m.group(0).replace(b"worksheets/sheet1", b"elsewhere/data"), body)
            z.writestr(name, body)
    with pytest.raises(ReadError, match="sheet Concerns has a cell at XFD1048576"):
        guard.read_in_worker(out.getvalue(), "moved.xlsx", Limits.current(), memory_mb=BUDGET_MB)


def test_two_workers_share_a_workbook_and_give_exactly_what_one_reader_reads():
    """With two worker slots free, the sheets are shared out by size; every sheet comes back once, as read."""
    from assurance.returns.read import read_bytes, read_unguarded
    from tests.returns.builders import activity_sheets, xlsx

    sheets = {**activity_sheets(60), "R&D <notes> 'x'": [["a", 1], ["b", 2]]}
    data = xlsx(sheets, hidden={"Template info": [["return type", "activity"]]})
    shared, plain = read_bytes(data, "x.xlsx"), read_unguarded(data, "x.xlsx")
    assert shared.sheet_names == plain.sheet_names == ["Concerns", "Enquiries", "R&D <notes> 'x'", "Template info"]
    assert shared.hidden == plain.hidden == {"Template info"}
    for name in plain.sheet_names:
        assert shared.sheet(name).rows == plain.sheet(name).rows
        assert shared.sheet(name).row_offset == plain.sheet(name).row_offset
    for part, parts in ((0, 2), (1, 2)):
        wb = read_unguarded(data, "x.xlsx", part=part, parts=parts)
        assert set(wb._cache)  # each worker has a share
    first, second = (set(read_unguarded(data, "x.xlsx", part=k, parts=2)._cache) for k in (0, 2 - 1))
    assert first.isdisjoint(second) and first | second == set(plain.sheet_names)


@pytest.mark.parametrize("spelling", [b'<c\tr="XFD200"', b'<c\nr="XFD200"', b'<c x=">" r="XFD200"'])
def test_cells_written_unusually_are_refused_in_the_worker(spelling):
    """Cells spelled in ways the quick check does not read are read in full, or refused by the worker once read:
    the caller is never handed (and never unpacks) more cells than the budget."""
    import dataclasses
    import io
    import re
    import zipfile

    from tests.returns.builders import activity_sheets, xlsx

    src, out = zipfile.ZipFile(io.BytesIO(xlsx(activity_sheets(5)))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b'<row r="200">' + spelling + b' t="inlineStr"><is><t>x</t>'
                                    b"</is></c></row></sheetData>")
                body = re.sub(rb'<dimension ref="[^"]*"/>', b"", body)
            z.writestr(item.filename, body)
    limits = dataclasses.replace(Limits.current(), cells=1_000_000)  # 16,384 x 200 cells is over it
    with pytest.raises(ReadError) as refused:
        guard.read_in_worker(out.getvalue(), "odd.xlsx", limits, memory_mb=BUDGET_MB, seconds=60)
    said = str(refused.value)
    assert "sheet Concerns has a cell at XFD200" in said or "sheet Concerns reaches further than it seemed" in said


def test_a_workers_peak_memory_is_its_own_not_its_large_parents():
    """The app's server can hold a gigabyte; a worker it starts for a tiny file must report its own peak, or a
    harmless failure would read as running out of memory and the budget check would mean nothing."""
    script = (
        "import sys; held = b'x' * (900 * 1024 * 1024)\n"  # a large parent, its pages touched
        "from assurance.returns import guard\n"
        "from assurance.returns.read import Limits\n"
        "wb = guard.read_in_worker(b'Concern ID,Date\\nC1,01/04/2026\\n', 'small.csv', Limits.current(),"
        " memory_mb=2048, seconds=60)\n"
        "print(wb.peak_memory_mb)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert float(done.stdout.strip()) < 400, done.stdout
