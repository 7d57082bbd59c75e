"""Workbook or CSV bytes -> raw sheets. Sniffs the type by content, refuses hostile files with one clear error.

python-calamine reads values fast (it never runs macros); openpyxl is the fallback for an .xlsx calamine
cannot read. Cells come back as str, float, int, bool, date or datetime; empty cells as ''.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

MAX_FILE_BYTES = int(float(os.environ.get("ASSURANCE_MAX_UPLOAD_MB", "50")) * 1024 * 1024)
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # 1 GB of XML is far beyond any real return
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 10_000
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


class ReadError(Exception):
    """The file cannot be read as a return; the message says why and what to do."""


@dataclass
class RawSheet:
    name: str
    rows: list[list]
    row_offset: int = 0  # rows[0] is Excel row row_offset + 1
    col_offset: int = 0  # rows[i][0] is Excel column col_offset + 1
    hidden: bool = False


@dataclass
class RawWorkbook:
    file_name: str
    kind: str  # xlsx / xlsm / xls / ods / csv
    sheet_names: list[str]
    has_macros: bool = False
    hidden: set[str] = field(default_factory=set)
    _loader: object = None
    _cache: dict[str, RawSheet] = field(default_factory=dict)

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
    """Open a return. Raises ReadError (one plain message) for anything that is not a safe, readable workbook."""
    name = os.path.basename(file_name) or "the file"
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(
            f"{name} is {len(data) / 1048576:.1f} MB; the largest return accepted is {MAX_FILE_BYTES // 1048576} MB. "
            "Remove other sheets, pictures and formatting, or split the return, and upload it again."
        )
    if not data:
        raise ReadError(f"{name} is empty (0 bytes). Upload the saved workbook again.")
    head = data[:8]
    if head.startswith(ZIP_MAGIC):
        return _read_zip(data, name)
    if head == OLE_MAGIC:
        return _read_ole(data, name)
    for magic, what in _OTHER_FORMATS.items():
        if data.startswith(magic):
            raise ReadError(f"{name} is {what}, not a spreadsheet. Upload the return as an Excel workbook (.xlsx) or CSV.")
    if head.startswith(b"PK"):
        raise ReadError(f"{name} is a damaged or incomplete zip file, not a readable workbook. {_SAVE_AS}")
    return _read_csv(data, name, spreadsheet_name=_extension(name) in SPREADSHEET_EXTENSIONS)


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


# --- zip formats: xlsx, xlsm, ods ----------------------------------------------------------------

def _read_zip(data: bytes, name: str) -> RawWorkbook:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ReadError(f"{name} is damaged: it could not be opened as a workbook ({exc}). {_SAVE_AS}") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError(f"{name} holds {len(infos):,} internal parts, far more than any workbook; it was not opened.")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO and total > 50 * 1024 * 1024:
        raise ReadError(
            f"{name} would expand to {total / 1048576:,.0f} MB when opened (a 'zip bomb' or a badly bloated file); "
            "it was not opened. Save the return again with only the return's sheets and upload that copy."
        )
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
    has_macros = "xl/vbaProject.bin" in names or any(n.startswith("xl/macrosheets/") for n in names)
    return _open_with_calamine(data, name, kind, has_macros)


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

def _read_csv(data: bytes, name: str, spreadsheet_name: bool = False) -> RawWorkbook:
    sample = data[:65536]
    if b"\x00" in sample:
        raise ReadError(f"{name} is not a spreadsheet or CSV file (it holds binary data). Upload the return as .xlsx or .csv.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ReadError(f"{name} is not readable text. Save it as 'CSV UTF-8' and upload it again.")
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
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not any(any(c.strip() for c in r) for r in rows):
        raise ReadError(f"{name} holds no data. Upload the completed return.")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    stem = os.path.splitext(name)[0]
    sheet = RawSheet(stem, rows)
    return RawWorkbook(name, "csv", [stem], False, set(), lambda _n: sheet)
