"""Render a board pack (assurance.board.pack.Pack) as PDF, PowerPoint or Excel, byte-for-byte repeatable."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from datetime import datetime, time

import pandas as pd

from assurance.board.pack import Chart, Pack, Section, Table

NHS_BLUE = "#005EB8"
Progress = Callable[[float, str], None]


# --- charts ---------------------------------------------------------------------------------------


class ChartImages:
    """PNG images of the pack's Plotly charts, rendered once by kaleido with Debian's Chromium."""

    def __init__(self, pack: Pack, progress: Progress | None = None):
        self._png: dict[int, bytes] = {}
        self.unavailable: str | None = None
        charts = [c for s in pack.sections for c in s.charts]
        if not charts:
            return
        import kaleido

        try:
            kaleido.start_sync_server(silence_warnings=True)
        except Exception:  # noqa: BLE001 - no browser: the pack still goes out, with the charts described in words
            self.unavailable = "Charts were not drawn because Chromium is not installed (apt-get install chromium)."
            return
        try:
            for i, chart in enumerate(charts):
                if progress:
                    progress(0.3 + 0.5 * i / len(charts), f"Drawing chart {i + 1} of {len(charts)}: {chart.title}")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # plotly notes it ignores options when a server runs
                    self._png[id(chart)] = chart.figure.to_image(format="png", width=chart.width, height=chart.height, scale=2)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)

    def png(self, chart: Chart) -> bytes | None:
        return self._png.get(id(chart))


# --- PDF ------------------------------------------------------------------------------------------


def render_pdf(pack: Pack, images: ChartImages | None = None, progress: Progress | None = None) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
    )
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    rl_config.invariant = 1  # no timestamps or random ids: the same data gives the same file
    images = images or ChartImages(pack, progress)
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=10, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], textColor=colors.HexColor(NHS_BLUE))
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12)
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=26, leading=32, textColor=colors.HexColor(NHS_BLUE))
    page_w, page_h = landscape(A4)
    frame_w = page_w - 30 * mm

    def esc(text: object) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def table_flow(t: Table):
        frame = t.frame
        if frame.empty:
            return [Paragraph(esc(t.title), h2), Paragraph("None this quarter.", body)]
        data = [[Paragraph(f"<b>{esc(c)}</b>", cell) for c in frame.columns]]
        for rec in frame.itertuples(index=False):
            data.append([Paragraph(esc(_fmt(v)), cell) for v in rec])
        widths = _col_widths(frame, frame_w)
        rl = RLTable(data, colWidths=widths, repeatRows=1)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#AEB7BD")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if t.rag_column and t.rag_column in frame.columns:
            col = list(frame.columns).index(t.rag_column)
            for r, v in enumerate(frame[t.rag_column], start=1):
                fill = RAG_COLOURS.get(str(v).lower())
                if fill:
                    style.append(("BACKGROUND", (col, r), (col, r), colors.HexColor(fill)))
        rl.setStyle(TableStyle(style))
        parts = [Paragraph(esc(t.title), h2), rl]
        if t.note:
            parts.append(Paragraph(esc(t.note), small))
        return parts

    story = []
    for i, section in enumerate(pack.sections):
        if progress:
            progress(0.8 + 0.15 * i / max(len(pack.sections), 1), f"Laying out {section.title}")
        if section.kind == "cover":
            story += [Spacer(1, 40 * mm), Paragraph(esc(pack.board_name), title), Spacer(1, 6 * mm),
                      Paragraph(esc(f"Quarterly assurance board pack: {pack.period_label}"), h1), Spacer(1, 10 * mm)]
            story += [Paragraph(esc(p), body) for p in section.paragraphs]
            story.append(PageBreak())
            continue
        story.append(Paragraph(esc(section.title), h1))
        story += [Paragraph(esc(p), body) for p in section.paragraphs]
        story += [Paragraph("• " + esc(b), body) for b in section.bullets]
        cells = []
        if section.charts and images.unavailable:
            story.append(Paragraph(esc(images.unavailable), small))
        for chart in section.charts:
            w = frame_w / 2 - 6 * mm
            h = w * chart.height / chart.width
            png = images.png(chart)
            picture = Image(io.BytesIO(png), width=w, height=h) if png else Paragraph(f"<b>{esc(chart.title)}</b>", body)
            cells.append([picture, Paragraph(esc(chart.summary), small)])
        for k in range(0, len(cells), 2):
            pair = cells[k:k + 2] + ([[Spacer(1, 1)]] if len(cells[k:k + 2]) == 1 else [])
            grid = RLTable([pair], colWidths=[frame_w / 2] * 2)
            grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(grid)
        for t in section.tables:
            story += table_flow(t)
            story.append(Spacer(1, 4 * mm))
        story.append(PageBreak())

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#4C6272"))
        canvas.drawString(15 * mm, 8 * mm, pack.footer)
        canvas.drawRightString(page_w - 15 * mm, 8 * mm, f"Page {doc.page}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm, bottomMargin=15 * mm,
        title=f"{pack.board_name}: board pack {pack.period_label}", author=pack.board_name, subject="Quarterly assurance board pack",
        creator="SAB assurance dashboard",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


RAG_COLOURS = {"red": "#F4B6B6", "amber": "#FFE08A", "green": "#B7E1B0", "overdue": "#F4B6B6", "missing": "#F4B6B6", "late": "#FFE08A"}


def _fmt(v) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    if hasattr(v, "strftime"):
        return v.strftime("%d/%m/%Y")
    return str(v)


def _col_widths(frame: pd.DataFrame, total: float) -> list[float]:
    lengths = []
    for c in frame.columns:
        longest = max([max(len(w) for w in str(c).split())] + [len(_fmt(v)) for v in frame[c].head(50)])
        lengths.append(min(max(longest, 9), 60))
    scale = total / sum(lengths)
    return [n * scale for n in lengths]


# --- PowerPoint -----------------------------------------------------------------------------------


def render_pptx(pack: Pack, images: ChartImages | None = None, progress: Progress | None = None) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    images = images or ChartImages(pack, progress)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank, title_only, title_slide = prs.slide_layouts[6], prs.slide_layouts[5], prs.slide_layouts[0]
    blue = RGBColor(0x00, 0x5E, 0xB8)

    def add_text(slide, text: str, left, top, width, height, size=14, bold=False):
        box = slide.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = line
            p.font.size, p.font.bold = Pt(size), bold
        return box

    def add_table(slide, t: Table, top):
        frame = t.frame.head(16)
        rows, cols = len(frame) + 1, len(frame.columns)
        shape = slide.shapes.add_table(rows, cols, Inches(0.4), top, prs.slide_width - Inches(0.8), Inches(0.3) * rows)
        table = shape.table
        for j, c in enumerate(frame.columns):
            table.cell(0, j).text = str(c)
        for i, rec in enumerate(frame.itertuples(index=False), start=1):
            for j, v in enumerate(rec):
                table.cell(i, j).text = _fmt(v)
        for r in range(rows):
            for j in range(cols):
                for p in table.cell(r, j).text_frame.paragraphs:
                    p.font.size = Pt(9)
        if len(t.frame) > len(frame):
            add_text(slide, f"{len(t.frame) - len(frame)} more rows in the Excel tables.", Inches(0.4),
                     prs.slide_height - Inches(0.5), Inches(8), Inches(0.3), size=9)

    for section in pack.sections:
        if section.kind == "cover":
            slide = prs.slides.add_slide(title_slide)
            slide.shapes.title.text = pack.board_name
            slide.placeholders[1].text = f"Quarterly assurance board pack: {pack.period_label}\n" + "\n".join(section.paragraphs)
            continue
        slide = prs.slides.add_slide(title_only)
        slide.shapes.title.text = section.title
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        slide.shapes.title.text_frame.paragraphs[0].font.color.rgb = blue
        top = Inches(1.4)
        text = "\n".join(section.paragraphs + [f"• {b}" for b in section.bullets])
        if text:
            add_text(slide, text, Inches(0.5), top, prs.slide_width - Inches(1), Inches(1.2), size=13)
            top += Inches(1.3)
        if section.charts:
            n = len(section.charts[:4])
            width = (prs.slide_width - Inches(1)) / min(n, 2)
            for k, chart in enumerate(section.charts[:4]):
                left = Inches(0.5) + width * (k % 2)
                y = top + Inches(2.7) * (k // 2)
                png = images.png(chart)
                if png:
                    slide.shapes.add_picture(io.BytesIO(png), left, y, width=Emu(int(width - Inches(0.2))))
                else:
                    add_text(slide, f"{chart.title}: {chart.summary}", left, y, Emu(int(width - Inches(0.2))), Inches(1), size=12)
        elif section.tables:
            add_table(slide, section.tables[0], top)
        add_text(slide, pack.footer, Inches(0.4), prs.slide_height - Inches(0.35), Inches(12), Inches(0.3), size=8)

    stamp = datetime.combine(pack.generated_on, time(0, 0))
    prs.core_properties.created = prs.core_properties.modified = stamp
    prs.core_properties.last_printed = stamp
    prs.core_properties.title = f"{pack.board_name}: board pack {pack.period_label}"
    prs.core_properties.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return stable_zip(buf.getvalue(), stamp)


# --- Excel ----------------------------------------------------------------------------------------


def render_xlsx(pack: Pack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in pack.sections:
        for t in section.tables:
            name = _sheet_name(t.title, used)
            ws = wb.create_sheet(name)
            ws.append([t.title])
            ws["A1"].font = Font(bold=True, size=12)
            if t.note:
                ws.append([t.note])
            ws.append([])
            ws.append(list(t.frame.columns))
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
            for rec in t.frame.itertuples(index=False):
                ws.append([None if (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v))) else v
                           for v in rec])
                for c in ws[ws.max_row]:
                    if isinstance(c.value, str):
                        c.data_type = "s"  # text stays text, never a formula
            for i, col in enumerate(t.frame.columns, start=1):
                ws.column_dimensions[ws.cell(ws.max_row, i).column_letter].width = max(10, min(len(str(col)) + 6, 45))
    key = wb.create_sheet("Key")
    for line in pack.key:
        key.append(list(line))
    stamp = datetime.combine(pack.generated_on, time(0, 0))
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue(), stamp)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Table"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def stable_zip(content: bytes, stamp: datetime) -> bytes:
    """Rewrite an Office file's zip with fixed entry times, so the same pack gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render(pack: Pack, fmt: str, progress: Progress | None = None) -> bytes:
    """The pack in `fmt` (pdf, pptx or xlsx)."""
    if fmt == "xlsx":
        return render_xlsx(pack)
    images = ChartImages(pack, progress)
    return render_pdf(pack, images, progress) if fmt == "pdf" else render_pptx(pack, images, progress)


__all__ = ["Chart", "Pack", "Section", "Table", "render", "render_pdf", "render_pptx", "render_xlsx"]
