"""Workbook or CSV bytes -> raw sheets. Sniffs the type by content, refuses hostile files with one clear error.

`read_bytes` never opens a file in the calling process: `assurance.returns.guard` runs `read_unguarded` in a
worker process with a memory and a time budget. There, before any reader sees the file, every part's real
uncompressed size and every sheet's extent (declared and actual cell references) are checked against `Limits`;
then python-calamine reads values fast (it never runs macros), with openpyxl as the fallback for an .xlsx
calamine cannot read. Cells come back as str, float, int, bool, date or datetime; empty cells as ''.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

from assurance.errors import AssuranceError

MAX_FILE_BYTES = int(float(os.environ.get("ASSURANCE_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # all parts together; a 300,000-row return is about half of this
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 10_000
MAX_CELLS = 15_000_000  # the rectangles of all sheets together: e.g. 600,000 rows by 25 columns
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's own limits
TEMPLATE_INFO_SHEET = "Template info"
# Names that promise a workbook: a text file (CSV or tab-separated) called one of these is refused, not guessed at.
SPREADSHEET_EXTENSIONS = {"xlsx", "xlsm", "xltx", "xltm", "xlsb", "xls", "xlt", "ods"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ELEMENT_START = re.compile(rb"<(?![?!])")
_OTHER_FORMATS = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}
_SAVE_AS = "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then upload that copy."
_STRAY_CELLS = ("Delete the rows and columns beyond the data (Ctrl+End in Excel shows where the sheet ends), "
                "save, and upload it again.")


@dataclass(frozen=True)
class Limits:
    """What one file may cost to read; taken from this module's settings when a read starts."""

    file_bytes: int
    uncompressed_bytes: int
    compression_ratio: int
    zip_members: int
    cells: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, MAX_COMPRESSION_RATIO, MAX_ZIP_MEMBERS, MAX_CELLS)


class ReadError(AssuranceError):
    """The file cannot be read as a return; the message says why and what to do."""


class RawSheet:
    """One sheet's cells as a rectangle: `rows` (lists), or `grid` (a 2-D object array) when the worker sent it so;
    each is made from the other only when asked for."""

    def __init__(self, name: str, rows: list[list] | None = None, row_offset: int = 0, col_offset: int = 0,
                 hidden: bool = False, grid=None):
        self.name = name
        self._rows = rows
        self.grid = grid
        self.row_offset = row_offset  # rows[0] is Excel row row_offset + 1
        self.col_offset = col_offset  # rows[i][0] is Excel column col_offset + 1
        self.hidden = hidden

    @property
    def rows(self) -> list[list]:
        if self._rows is None:
            self._rows = self.grid.tolist()
        return self._rows

    def head(self, n: int) -> list[list]:
        """The first n rows, without making the rest into lists."""
        return self._rows[:n] if self._rows is not None else self.grid[:n].tolist()

    def body(self, start: int, width: int):
        """Rows from `start` on as a 2-D object array `width` cells wide (a view of the grid when there is one)."""
        import numpy as np

        if self._rows is None and self.grid.shape[1] == width:
            return self.grid[start:]
        data = self.rows[start:]
        arr = np.empty((len(data), width), dtype=object)
        if data:
            arr[:] = data
        return arr


@dataclass
class RawWorkbook:
    file_name: str
    kind: str  # xlsx / xlsm / xls / ods / csv
    sheet_names: list[str]
    has_macros: bool = False
    hidden: set[str] = field(default_factory=set)
    _loader: object = None
    _cache: dict[str, RawSheet] = field(default_factory=dict)
    peak_memory_mb: float | None = None  # the most memory the worker that read it used
    share: set[str] | None = None  # the sheets this worker reads (None: all but `others`)
    others: set[str] = field(default_factory=set)  # the sheets other workers read

    def mine(self, name: str) -> bool:
        return name in self.share if self.share is not None else name not in self.others

    def sheet(self, name: str) -> RawSheet:
        if name not in self._cache:
            self._cache[name] = self._loader(name)
        return self._cache[name]

    @property
    def template_info(self) -> dict[str, str]:
        """Key/value pairs from the hidden sheet our templates carry (empty for other workbooks)."""
        if TEMPLATE_INFO_SHEET not in self.sheet_names:
            return {}
        out = {}
        for row in self.sheet(TEMPLATE_INFO_SHEET).rows[:20]:
            if len(row) >= 2 and str(row[0]).strip():
                out[str(row[0]).strip().lower()] = str(row[1]).strip()
        return out


def read_bytes(data: bytes, file_name: str) -> RawWorkbook:
    """Open a return in a guarded worker process. Raises ReadError (one plain message) for anything that is not
    a safe, readable workbook, including a file that would need more memory or time than the worker has."""
    from assurance.returns.guard import read_in_worker

    name = file_label(file_name)
    limits = Limits.current()
    _check_size(data, name, limits)
    refuse_from_first_bytes(data, name)  # at once, before waiting for a reader or starting one
    return read_in_worker(data, name, limits)


def refuse_from_first_bytes(data: bytes, name: str) -> None:
    """Raise the ReadError a reader would give when the file's first bytes already show it is no workbook: another
    format (PDF, image, archive), a damaged zip, or text under a workbook's name. Reads nothing but those bytes (and
    the first 64 KB of text, to word the message); a workbook, or text named as CSV, is left for a guarded reader."""
    head = data[:8]
    if head.startswith(ZIP_MAGIC) or head == OLE_MAGIC:
        return
    for magic, what in _OTHER_FORMATS.items():
        if data.startswith(magic):
            raise ReadError(f"{name} is {what}, not a spreadsheet. Upload the return as an Excel workbook (.xlsx) or CSV.")
    if head.startswith(b"PK"):
        raise ReadError(f"{name} is a damaged or incomplete zip file, not a readable workbook. {_SAVE_AS}")
    if _extension(name) in SPREADSHEET_EXTENSIONS:
        _read_csv(data[:65536], name, Limits.current(), spreadsheet_name=True)  # raises: text is not a workbook


def file_label(file_name: str) -> str:
    """The name a file is known by in messages and records: its base name, with bytes that are not UTF-8 (a
    name from a disk in another encoding) shown as '�' rather than breaking the message or the database."""
    name = os.path.basename(str(file_name)) or "the file"
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def read_unguarded(data: bytes, file_name: str, limits: Limits | None = None, part: int = 0,
                   parts: int = 1) -> RawWorkbook:
    """The reading itself, only ever called inside a guarded worker: every sheet read, or, when `parts` workers
    share the work, the sheets of share `part` (each worker works out the same shares from the file)."""
    name = file_label(file_name)
    limits = limits or Limits.current()
    _check_size(data, name, limits)
    wb = _open(data, name, limits, _Share(part, parts))
    cells = 0
    for sheet_name in wb.sheet_names:
        if wb.mine(sheet_name):
            sheet = wb.sheet(sheet_name)
            cells += len(sheet.rows) * max((len(r) for r in sheet.rows[:1]), default=0)
            if cells > limits.cells:  # what the checks before reading could not see (cells placed without a reference)
                raise ReadError(f"{name}: sheet {sheet_name} reaches further than it seemed to, to {cells:,} cells in "
                                f"all, far more than a return can have ({limits.cells:,} at most), so it was not "
                                f"opened. {_STRAY_CELLS}")
    return wb


@dataclass(frozen=True)
class _Share:
    """Which of the workbook's sheets one worker reads, when `parts` workers read it at once."""

    part: int = 0
    parts: int = 1

    def of(self, sizes: dict[str, int]) -> list[set[str]]:
        """Every share of the sheets (name -> size): the biggest first, each to the share with least so far."""
        loads, shares = [0] * self.parts, [set() for _ in range(self.parts)]
        for sheet, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
            k = loads.index(min(loads))
            loads[k] += size + 1
            shares[k].add(sheet)
        return shares


def _check_size(data: bytes, name: str, limits: Limits) -> None:
    if len(data) > limits.file_bytes:
        raise ReadError(
            f"{name} is {len(data) / 1048576:.1f} MB; the largest return accepted is {limits.file_bytes // 1048576} MB. "
            "Remove other sheets, pictures and formatting, or split the return, and upload it again."
        )
    if not data:
        raise ReadError(f"{name} is empty (0 bytes). Upload the saved workbook again.")


def _open(data: bytes, name: str, limits: Limits, share: _Share = _Share()) -> RawWorkbook:
    head = data[:8]
    if head.startswith(ZIP_MAGIC):
        return _read_zip(data, name, limits, share)
    if share.part:  # only workbooks of several sheet parts are shared out: the first worker reads this one
        return RawWorkbook(name, "other", [], share=set())
    if head == OLE_MAGIC:
        return _read_ole(data, name)
    refuse_from_first_bytes(data, name)
    return _read_csv(data, name, limits, spreadsheet_name=_extension(name) in SPREADSHEET_EXTENSIONS)


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


# --- zip formats: xlsx, xlsm, ods ----------------------------------------------------------------

def _read_zip(data: bytes, name: str, limits: Limits, share: _Share) -> RawWorkbook:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ReadError(f"{name} is damaged: it could not be opened as a workbook ({exc}). {_SAVE_AS}") from None
    if len(infos) > limits.zip_members:
        raise ReadError(f"{name} holds {len(infos):,} internal parts, far more than any workbook; it was not opened.")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > limits.uncompressed_bytes or total / packed > limits.compression_ratio and total > 50 * 1024 * 1024:
        raise _too_big(name, total, limits)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        kind = "xlsb" if "xl/workbook.bin" in names else ("xlsm" if "xl/vbaProject.bin" in names else "xlsx")
    elif "content.xml" in names and b"opendocument.spreadsheet" in _member_head(zf, "mimetype", 200):
        kind = "ods"
    elif "word/document.xml" in names:
        raise ReadError(f"{name} is a Word document, not a spreadsheet. Upload the return as an Excel workbook (.xlsx).")
    elif "ppt/presentation.xml" in names:
        raise ReadError(f"{name} is a PowerPoint file, not a spreadsheet. Upload the return as an Excel workbook (.xlsx).")
    else:
        raise ReadError(f"{name} is a zip archive but not a workbook. Upload the return itself as an Excel workbook (.xlsx).")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            try:
                _refuse_dtd(zf, info, name)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise ReadError(f"{name} is damaged: part {info.filename} cannot be read ({exc}). {_SAVE_AS}") from None
    _defused_parse(zf, "xl/workbook.xml" if kind != "ods" else "content.xml", name, names)
    sheets = _sheet_parts(zf, names) if kind in ("xlsx", "xlsm") else {}
    shares = share.of({part: zf.getinfo(part).file_size for part in sheets})
    if share.part and not shares[share.part]:  # nothing for this worker: the first one reads the whole file
        return RawWorkbook(name, kind, [], share=set())
    _check_parts(zf, infos, name, limits, {p: n for p, n in sheets.items() if p in shares[share.part]})
    has_macros = "xl/vbaProject.bin" in names or any(n.startswith("xl/macrosheets/") for n in names)
    wb = _open_with_calamine(data, name, kind, has_macros)
    if share.part:
        wb.share = {sheets[p] for p in shares[share.part]}
    else:  # the first worker also reads any sheet the workbook's own list did not name
        wb.others = {sheets[p] for k in range(1, share.parts) for p in shares[k]}
    return wb


def _too_big(name: str, total: int, limits: Limits) -> ReadError:
    return ReadError(
        f"{name} would expand to {total / 1048576:,.0f} MB when opened (a 'zip bomb' or a badly bloated file; a "
        f"return may expand to {limits.uncompressed_bytes // 1048576:,} MB at most), so it was not opened. Save the "
        "return again with only the return's sheets and upload that copy."
    )


_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    return {m.group(1).split(b":")[-1]: m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTRIBUTE.finditer(tag)}


def _sheet_parts(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Every worksheet part -> the sheet's name (the part's own name when the workbook does not say)."""
    from xml.sax.saxutils import unescape

    parts = {n: n.rsplit("/", 1)[-1] for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    if "xl/_rels/workbook.xml.rels" not in names:
        return parts
    targets = {}
    for tag in _RELATIONSHIP.findall(zf.read("xl/_rels/workbook.xml.rels")):
        a = _attributes(tag)
        target = a.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get(b"Id", b"")] = os.path.normpath(target).replace(os.sep, "/")
    for tag in _SHEET_ENTRY.findall(zf.read("xl/workbook.xml")):
        a = _attributes(tag)
        if targets.get(a.get(b"id")) in names:  # wherever the workbook keeps it
            parts[targets[a[b"id"]]] = unescape(a.get(b"name", b"").decode("utf-8", "replace"),
                                                {"&quot;": '"', "&apos;": "'"})
    return parts


# A cell or row reference as every common writer puts it (<c r="B7" ...>, <row r="7" ...>), and in any form
# the format allows (a namespace prefix, other attributes first, either quote), used when a part has the latter.
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,4})')
_CELL_REF = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\br\s*=\s*["']\$?([A-Za-z]{1,4})\$?(\d{1,9})["']""")
_ROW_REF = re.compile(rb"""<(?:\w+:)?row\s[^>]*?\br\s*=\s*["'](\d{1,9})["']""")
_PLAIN_ROW_REF = re.compile(rb'<row r="(\d{1,9})"')
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,9})")
_CHUNK = 1 << 22


def _check_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits,
                 sheets: dict[str, str]) -> None:
    """Decompress every part once, counting its real size (a zip's own size fields can lie), and find how far
    each worksheet reaches: its declared dimension, the furthest row, and the furthest column any cell names.
    (A cell whose own row number is beyond its row's is left to the worker's memory budget.)"""
    total, cells = 0, 0
    for info in infos:
        extent = _Extent() if info.filename in sheets else None
        try:
            with zf.open(info) as f:
                tail = b""
                while chunk := f.read(_CHUNK):
                    total += len(chunk)
                    if total > limits.uncompressed_bytes:
                        raise _too_big(name, total, limits)
                    if extent is not None:
                        buf = tail + chunk
                        cut = buf.rfind(b">") + 1
                        extent.scan(buf[:cut])
                        tail = buf[cut:][-4096:]  # the start of a tag that goes on in the next chunk
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise ReadError(f"{name} is damaged: part {info.filename} cannot be read ({exc}). {_SAVE_AS}") from None
        if extent is not None:
            cells += extent.check(name, sheets[info.filename], limits.cells - cells, limits.cells)


class _Extent:
    """How far a worksheet's XML reaches, gathered chunk by chunk."""

    def __init__(self):
        self.rows, self.columns, self.declared, self.in_data, self.prefixed = 0, 0, None, False, False
        self.cells = 0  # every cell element, with or without a reference

    def scan(self, xml: bytes) -> None:
        if not self.in_data:  # the dimension and the namespace prefix show before the first cell
            self.in_data = b"sheetData" in xml
            self.prefixed = self.prefixed or b":sheetData" in xml
            if self.declared is None and (m := _DIMENSION.search(xml)):
                self.declared = m.group(1).decode("ascii", "replace")
        columns = [] if self.prefixed else _CELL_COLUMN.findall(xml)
        rows = [] if self.prefixed else _PLAIN_ROW_REF.findall(xml)
        if self.prefixed or len(columns) != xml.count(b"<c") or len(rows) != xml.count(b"<row"):
            # other elements that start '<c' (column widths), or cells and rows written some other way: in full
            self.cells += len(_ANY_CELL.findall(xml))
            refs = _CELL_REF.findall(xml)
            columns = [c for c, _ in refs]
            rows = _ROW_REF.findall(xml) + [r for _, r in refs]
        else:
            self.cells += len(columns)
        if columns:
            self.columns = max(self.columns, max(map(_column_number, set(columns))))
        if rows:
            self.rows = max(self.rows, max(map(int, set(rows))))

    def check(self, name: str, sheet: str, cells_left: int, budget: int) -> int:
        """The sheet's cells (its rectangle); ReadError if it goes beyond Excel's grid or the cells left."""
        if self.cells > cells_left:
            raise ReadError(f"{name}: sheet {sheet} holds {self.cells:,} cells, far more than a return can have "
                            f"({budget:,} at most), so it was not opened. {_STRAY_CELLS}")
        declared = [(_column_number(c), int(r)) for c, r in _REF.findall(self.declared or "")]
        far = max(declared, key=lambda cr: cr[0] * cr[1], default=(0, 0))
        for where, columns, rows in [("declares that it reaches", *far), ("has a cell at", self.columns, self.rows)]:
            if not columns or not rows:
                continue
            ref = f"{_column_letters(columns)}{rows}"
            if columns > MAX_COLUMNS or rows > MAX_ROWS:
                raise ReadError(f"{name}: sheet {sheet} {where} {ref}, beyond the edge of any Excel sheet, so the file "
                                f"is damaged or made to attack the server; it was not opened. {_SAVE_AS}")
            if columns * rows > cells_left:
                raise ReadError(
                    f"{name}: sheet {sheet} {where} {ref} ({columns:,} columns by {rows:,} rows), far more cells than "
                    f"a return can have ({budget:,} at most), so it was not opened. {_STRAY_CELLS}")
        return max(self.columns * self.rows, self.cells)


def _column_number(letters: bytes | str) -> int:
    n = 0
    for ch in (letters.decode("ascii") if isinstance(letters, bytes) else letters).upper():
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _member_head(zf: zipfile.ZipFile, member: str, size: int) -> bytes:
    try:
        with zf.open(member) as f:
            return f.read(size)
    except KeyError:
        return b""


def _refuse_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """A DTD can only sit before the root element, so reading the prolog is enough to refuse entity tricks."""
    with zf.open(info) as f:
        head = f.read(65536)
    m = _ELEMENT_START.search(head)
    prolog = head[: m.start()] if m else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper() or (m is None and len(head) == 65536):
        raise ReadError(
            f"{name} contains XML entity declarations (part {info.filename}), which real workbooks never do and "
            "which can be used to attack the server; it was not opened. " + _SAVE_AS
        )


def _defused_parse(zf: zipfile.ZipFile, member: str, name: str, names: set[str]) -> None:
    """Parse the small workbook part with defusedxml as a second guard against entity expansion."""
    if member not in names:
        return
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        fromstring(zf.read(member))
    except DefusedXmlException:
        raise ReadError(f"{name} contains XML entity declarations and was not opened. {_SAVE_AS}") from None
    except Exception as exc:  # noqa: BLE001 - any XML error means a damaged workbook
        raise ReadError(f"{name} is damaged: its workbook part is not valid XML ({type(exc).__name__}). {_SAVE_AS}") from None


# --- OLE: legacy .xls, or an encrypted (password-protected) workbook -------------------------------

def _read_ole(data: bytes, name: str) -> RawWorkbook:
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadError(
            f"{name} is password-protected (encrypted), so it cannot be read. Open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password, clear the box), save, and upload it again."
        )
    has_macros = "_VBA_PROJECT".encode("utf-16-le") in data
    return _open_with_calamine(data, name, "xls", has_macros)


# --- calamine, with openpyxl as the fallback for .xlsx -------------------------------------------

def _open_with_calamine(data: bytes, name: str, kind: str, has_macros: bool) -> RawWorkbook:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = wb.sheets_metadata
    except pc.PasswordError:
        raise ReadError(
            f"{name} is password-protected, so it cannot be read. Remove the password in Excel, save, and upload it again."
        ) from None
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types for damaged files
        if kind in ("xlsx", "xlsm"):
            return _open_with_openpyxl(data, name, kind, has_macros, exc)
        raise ReadError(f"{name} could not be read as a workbook: it may be damaged ({_short(exc)}). {_SAVE_AS}") from None

    worksheets = [m for m in metas if m.typ == pc.SheetTypeEnum.WorkSheet]
    hidden = {m.name for m in worksheets if m.visible != pc.SheetVisibleEnum.Visible}

    def load(sheet_name: str) -> RawSheet:
        try:
            sheet = wb.get_sheet_by_name(sheet_name)
            rows = sheet.to_python()
            start = sheet.start or (0, 0)
        except Exception as exc:  # noqa: BLE001
            raise ReadError(f"{name}: sheet {sheet_name} could not be read; it may be damaged ({_short(exc)}). {_SAVE_AS}") from None
        return RawSheet(sheet_name, rows, start[0], start[1], sheet_name in hidden)

    return RawWorkbook(name, kind, [m.name for m in worksheets], has_macros, hidden, load)


def _open_with_openpyxl(data: bytes, name: str, kind: str, has_macros: bool, first_error: Exception) -> RawWorkbook:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_vba=False)
    except Exception:  # noqa: BLE001
        raise ReadError(
            f"{name} could not be read as a workbook: it may be damaged ({_short(first_error)}). {_SAVE_AS}"
        ) from None
    hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}

    def load(sheet_name: str) -> RawSheet:
        try:
            rows = [["" if v is None else v for v in row] for row in wb[sheet_name].iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001
            raise ReadError(f"{name}: sheet {sheet_name} could not be read ({_short(exc)}). {_SAVE_AS}") from None
        width = max((len(r) for r in rows), default=0)
        return RawSheet(sheet_name, [r + [""] * (width - len(r)) for r in rows], 0, 0, sheet_name in hidden)

    return RawWorkbook(name, kind, [ws.title for ws in wb.worksheets], has_macros, hidden, load)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


# --- CSV -----------------------------------------------------------------------------------------

def _decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM (Excel's 'Unicode Text'), or Windows-1252.
    Text holding a NUL character anywhere is binary data, not a return."""
    text = None
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ReadError(f"{name} says it is Unicode text but is damaged. Save it as 'CSV UTF-8' and upload "
                                "it again.") from None
            break
    if text is None and b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise ReadError(f"{name} is not a spreadsheet or CSV file (it holds binary data). Upload the return as .xlsx "
                        "or .csv.")
    return text


def _read_csv(data: bytes, name: str, limits: Limits, spreadsheet_name: bool = False) -> RawWorkbook:
    text = _decode_text(data, name)
    if text.lstrip().startswith(("<?xml", "<html", "<!DOCTYPE", "<HTML")):
        raise ReadError(f"{name} is an XML or web page file, not a workbook. Save the return as .xlsx and upload that.")
    if spreadsheet_name:
        what = "a spreadsheet workbook" if _extension(name) == "ods" else "an Excel workbook"
        raise ReadError(f"{name} is plain text, not {what} (it was probably renamed, or exported as text with a "
                        f".{_extension(name)} name): save it as .xlsx or .csv and upload again.")
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows, width = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            width = max(width, len(row))
            if width > MAX_COLUMNS:
                raise ReadError(f"{name}: row {len(rows):,} has {len(row):,} columns, more than any worksheet holds "
                                f"({MAX_COLUMNS:,}), so the file was not read. Check that it is the return, saved as "
                                "CSV, and upload it again.")
            if len(rows) > MAX_ROWS:
                raise ReadError(f"{name} has more than {MAX_ROWS:,} rows, more than any worksheet holds, so it was "
                                "not read. Check that it is the return, or split it, and upload it again.")
    except csv.Error as exc:
        raise ReadError(f"{name}: row {len(rows) + 1:,} cannot be read as CSV ({exc}). Save the return from Excel "
                        "as 'CSV UTF-8' and upload it again.") from None
    if width * len(rows) > limits.cells:
        raise ReadError(f"{name} has {len(rows):,} rows and up to {width:,} columns: {width * len(rows):,} cells, far "
                        f"more than a return can have ({limits.cells:,} at most), so it was not read. Check that it "
                        "is the return, remove stray separators at the ends of rows, and upload it again.")
    if not any(any(c.strip() for c in r) for r in rows):
        raise ReadError(f"{name} holds no data. Upload the completed return.")
    rows = [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]
    stem = os.path.splitext(name)[0]
    sheet = RawSheet(stem, rows)
    return RawWorkbook(name, "csv", [stem], False, set(), lambda _n: sheet)
