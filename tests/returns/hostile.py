"""A corpus of hostile returns, built in code: files made to crash, starve or fool the reader.

Each case is (file name, bytes, words the one plain message must contain). The corpus runs through the
command line and the upload page (tests/returns/test_hostile_corpus.py, tests/browser/test_hostile_upload.py).
"""

from __future__ import annotations

import base64
import io
import random
import re
import zipfile
from dataclasses import dataclass

from tests.returns.builders import activity_sheets, fast_xlsx, measure_sheets, xlsx


@dataclass(frozen=True)
class Hostile:
    key: str
    file_name: str
    data: bytes
    says: str  # a fragment of the plain message the user must get


def _edit_part(data: bytes, part: str, edit) -> bytes:
    """Copy a workbook, passing one part's XML through `edit`."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item)
            z.writestr(item.filename, edit(body) if item.filename == part else body)
    return out.getvalue()


def far_cell(ref: str) -> bytes:
    """A valid activity return with one extra cell far out (the 4.9 KB file that asked for 512 GiB)."""
    good = xlsx(activity_sheets(5))
    cell = f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'.encode()
    row = re.match(r"[A-Z]+(\d+)", ref).group(1).encode()

    def add(body: bytes) -> bytes:
        return body.replace(b"</sheetData>", b'<row r="' + row + b'">' + cell + b"</row></sheetData>")

    return _edit_part(good, "xl/worksheets/sheet1.xml", add)


def far_cell_in_a_near_row(ref: str) -> bytes:
    """The far cell sits inside row 2, so only the cell's own reference shows how far out it is."""
    good = xlsx(activity_sheets(5))
    cell = f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'.encode()
    return _edit_part(good, "xl/worksheets/sheet1.xml", lambda b: b.replace(b"</row>", cell + b"</row>", 1))


def lying_dimension() -> bytes:
    """A sheet that declares itself A1:XFD1048576."""
    good = xlsx(activity_sheets(5))
    return _edit_part(good, "xl/worksheets/sheet1.xml",
                      lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', b))


def bloated_sheet(target_mib: int = 600, padding_mib: int = 0) -> bytes:
    """Hundreds of MiB of plain sheet XML in a small file: the 848 MiB file (7.6 MiB) that took 4.3 GB to refuse.
    Rows and cells without references repeat exactly, so they pack down to almost nothing."""
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(fast_xlsx(activity_sheets(2))))
    block = ("<row>" + "<c><v>1</v></c>" * 40 + "</row>").encode() * 5000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for item in base.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item.filename, base.read(item))
                continue
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                if padding_mib:  # noise that does not compress, to keep the ratio below the zip-bomb check's
                    f.write(b"<!--" + base64.b64encode(random.Random(1).randbytes(padding_mib * 786432)) + b"-->")
                for _ in range(target_mib * 1048576 // len(block) + 1):
                    f.write(block)
                f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def ods_repeated_cells(rows: int = 100_000, columns: int = 1_000) -> bytes:
    """An OpenDocument sheet whose one cell is repeated across a thousand columns of a hundred thousand rows."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Concerns">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def wide_csv() -> bytes:
    """A first line of a million commas, then many short lines: padding every row to the widest would
    make a trillion cells."""
    return b"," * 1_000_000 + b"\n" + b"a\n" * 1_000_000


def deep_csv() -> bytes:
    """Over a million rows of one character: more rows than any worksheet can hold."""
    return b"Measure code,Numerator\n" + b"x,1\n" * 1_100_000


def entity_bomb() -> bytes:
    def add_dtd(body: bytes) -> bytes:
        body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
        return (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
                + body)

    return _edit_part(xlsx(measure_sheets()), "xl/worksheets/sheet1.xml", add_dtd)


def honest_zip_bomb() -> bytes:
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(xlsx(measure_sheets())))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in base.infolist():
            z.writestr(item.filename, base.read(item))
        with z.open("xl/media/padding.bin", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 24)
            for _ in range(80):  # 1.25 GiB of zeros in about 1.2 MB
                f.write(block)
    return out.getvalue()


def corpus(quick: bool = False) -> list[Hostile]:
    """Every hostile case; quick leaves out the ones that take seconds to build."""
    cases = [
        Hostile("far-cell-xfd1048576", "LA 2025-26 Q2 far.xlsx", far_cell("XFD1048576"), "sheet Concerns"),
        Hostile("far-cell-xfd5000", "LA 2025-26 Q2 wide.xlsx", far_cell("XFD5000"), "sheet Concerns"),
        Hostile("far-cell-z1048576", "LA 2025-26 Q2 deep.xlsx", far_cell("Z1048576"), "sheet Concerns"),
        Hostile("far-cell-in-row-2", "LA 2025-26 Q2 hidden far.xlsx", far_cell_in_a_near_row("XFD1048576"),
                "more memory"),
        Hostile("ods-repeated-cells", "LA 2025-26 Q2 repeated.ods", ods_repeated_cells(), "more memory"),
        Hostile("lying-dimension", "LA 2025-26 Q2 dimension.xlsx", lying_dimension(), "sheet Concerns"),
        Hostile("entity-bomb", "POL 2025-26 Q2 entities.xlsx", entity_bomb(), "entity"),
        Hostile("wide-csv", "POL 2025-26 Q2 wide.csv", wide_csv(), "columns"),
        Hostile("deep-csv", "POL 2025-26 Q2 deep.csv", deep_csv(), "rows"),
    ]
    if not quick:
        cases += [
            Hostile("bloated-sheet-xml", "LA 2025-26 Q2 bloated.xlsx", bloated_sheet(), "would expand to"),
        Hostile("cells-without-references", "LA 2025-26 Q2 implicit.xlsx", bloated_sheet(500, 3), "cells, far more"),
            Hostile("honest-zip-bomb", "POL 2025-26 Q2 bomb.xlsx", honest_zip_bomb(), "zip bomb"),
        ]
    return cases
