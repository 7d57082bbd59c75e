"""Render a board pack (assurance.board.pack.Pack) as PDF, PowerPoint or Excel, byte-for-byte repeatable."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from datetime import datetime, time

import pandas as pd

from assurance.board.pack import Chart, Pack, Section, Table
from assurance.exports import sheet_title

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
    from reportlab.lib.enums import TA_RIGHT
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
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], textColor=colors.HexColor(NHS_BLUE))
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12)
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=26, leading=32, textColor=colors.HexColor(NHS_BLUE))
    page_w, page_h = landscape(A4)
    frame_w = page_w - 30 * mm

    def esc(text: object) -> str:
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    cell_styles: dict[tuple[float, bool], ParagraphStyle] = {}

    def cell_style(size: float, right: bool) -> ParagraphStyle:
        key = (size, right)
        if key not in cell_styles:
            cell_styles[key] = ParagraphStyle(f"cell{size}{'r' if right else ''}", parent=body, fontSize=size,
                                              leading=size * 1.22, alignment=TA_RIGHT if right else 0,
                                              splitLongWords=0)  # wrap at spaces only, never inside a word or number
        return cell_styles[key]

    def table_flow(t: Table):
        frame = t.frame
        if frame.empty:
            return [Paragraph(esc(t.title), h2), Paragraph("None this quarter.", body)]
        header = [str(c) for c in frame.columns]
        rows = [[_fmt(v) for v in rec] for rec in frame.itertuples(index=False)]
        widths, size = _col_widths(header, rows, frame_w, padding=CELL_PADDING)
        numeric = [_is_numeric_column(frame[c]) for c in frame.columns]
        data = [[Paragraph(f"<b>{esc(c)}</b>", cell_style(size, num)) for c, num in zip(header, numeric)]]
        for rec in rows:
            data.append([_with_spc_icon(c, v, Paragraph(esc(v), cell_style(size, num)), size)
                         for c, v, num in zip(header, rec, numeric)])
        rl = RLTable(data, colWidths=widths, repeatRows=1)
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#AEB7BD")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
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


def _with_spc_icon(column: str, text: str, cell, size: float):
    """A scorecard's Variation or Assurance cell: Making Data Count's icon (a ringed letter) above the words."""
    from assurance.analysis.spc import label_icon

    found = label_icon(text) if column in ("Variation", "Assurance") else None
    if not found:
        return cell
    from reportlab.graphics.shapes import Circle, Drawing, PolyLine, String
    from reportlab.lib import colors

    colour, letter = found
    d = 2.2 * size
    icon = Drawing(d, d)
    icon.add(Circle(d / 2, d / 2, d / 2 - 0.5, strokeColor=None, fillColor=colors.HexColor(colour)))
    if letter:
        icon.add(String(d / 2, d / 2 - 0.36 * size, letter, fontName="Helvetica-Bold", fontSize=size,
                        fillColor=colors.white, textAnchor="middle"))
    else:  # common cause: a line going up and down
        u = d / 24
        icon.add(PolyLine([5.5 * u, 11 * u, 9 * u, 14 * u, 12 * u, 10 * u, 15 * u, 14 * u, 18.5 * u, 12 * u],
                          strokeColor=colors.white, strokeWidth=1.2))
    return [icon, cell]


RAG_COLOURS = {"red": "#F4B6B6", "amber": "#FFE08A", "green": "#B7E1B0", "overdue": "#F4B6B6", "missing": "#F4B6B6", "late": "#FFE08A"}


def _fmt(v) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return ""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)) and not hasattr(v, "strftime"):  # numpy numbers
        v = v.item()
        if isinstance(v, float) and pd.isna(v):
            return ""
    if isinstance(v, float):
        from assurance.numbers import fmt

        return fmt(v)  # halves rounded up
    if isinstance(v, int):
        return f"{v:,}"
    if hasattr(v, "strftime"):
        return v.strftime("%d/%m/%Y")
    return str(v)


CELL_PADDING = 4  # points either side of the text in a PDF table cell
TABLE_FONT_SIZES = (7.5, 7.0, 6.5, 6.0)  # a wide table is set a little smaller before any word would be split


def _col_widths(header: list[str], rows: list[list[str]], total: float, padding: float = CELL_PADDING,
                sizes: tuple[float, ...] = TABLE_FONT_SIZES) -> tuple[list[float], float]:
    """Column widths (points) and font size for a PDF table that never splits a word, number or date.

    Each column is at least as wide as its longest unbreakable token (a header word in bold, or a value's word),
    so text wraps only at spaces; the rest of the width goes to the columns whose text would otherwise wrap. If the
    tokens do not fit at the normal size, the table is set smaller.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    slack = 2 * padding + 1.5
    for size in sizes:
        least, want = _least_and_wanted(header, rows, lambda t: stringWidth(t, "Helvetica-Bold", size),
                                        lambda t: stringWidth(t, "Helvetica", size), slack)
        if sum(least) <= total:
            break
    else:  # even the smallest size cannot fit every token: share the width out (a very wide table)
        return [w * total / sum(least) for w in least], sizes[-1]
    if sum(want) <= total:  # everything fits on one line: share the spare width out evenly
        spare = (total - sum(want)) / len(want)
        return [w + spare for w in want], size
    extra = total - sum(least)
    short = [w - m for w, m in zip(want, least)]
    return [m + extra * s / sum(short) for m, s in zip(least, short)], size


def _least_and_wanted(header: list[str], rows: list[list[str]], heading_width: Callable[[str], float],
                      cell_width: Callable[[str], float], padding: float,
                      narrowest: float = 0.0) -> tuple[list[float], list[float]]:
    """Each column's least width (its longest unbreakable token, heading words in bold) and the width it wants
    (its longest heading or value on one line), both with padding: the PDF and the slides share out the rest."""
    least, want = [], []
    for j, name in enumerate(header):
        values = [r[j] for r in rows]
        token = max([heading_width(w) for w in name.split()] + [cell_width(w) for v in values for w in _tokens(v)]
                    + [narrowest])
        whole = max([heading_width(name)] + [cell_width(v) for v in values])
        least.append(token + padding)
        want.append(max(whole, token) + padding)
    return least, want


SHORT_VALUE = 12  # a value this short ('+34.4 pts', '425 of 700') is kept on one line


def _tokens(value: str) -> list[str]:
    """The parts of a cell that must not be broken: the whole value when it is short, otherwise its words."""
    return [value] if len(value) <= SHORT_VALUE else value.split()


def _is_numeric_column(values: pd.Series) -> bool:
    """True when every non-empty value is a number (or numeric text such as '1,234' or '90%')."""
    seen = False
    for v in values:
        if _number(v) is not None:
            seen = True
        elif _fmt(v) != "":
            return False
    return seen


def _number(v) -> tuple[float | int, str] | None:
    """(number, Excel number format) for a number or numeric text ('1,234', '60.8%', '90'); None for anything else."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v, "#,##0"
    if isinstance(v, float):
        return (None if pd.isna(v) else (v, "#,##0.0"))
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        try:
            return _number(v.item())
        except (TypeError, ValueError):
            return None
    if not isinstance(v, str):
        return None
    text = v.strip()
    percent = text.endswith("%")
    digits = text[:-1] if percent else text
    if not digits or not all(ch.isdigit() or ch in ",.-+" for ch in digits) or not any(ch.isdigit() for ch in digits):
        return None
    try:
        number = float(digits.replace(",", ""))
    except ValueError:
        return None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + ('"%"' if percent else "")
    return (int(number) if decimals == 0 and number.is_integer() else number), fmt


# --- PowerPoint -----------------------------------------------------------------------------------


SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CONTENT_TOP_IN = 1.25  # below the slide title
CONTENT_BOTTOM_IN = 6.95  # above the footer line
TABLE_PT = 10
TEXT_PT = 13
SUMMARY_PT = 11
CHAR_EM, BOLD_EM = 0.6, 0.66  # widest likely character width in ems, so a word fits its column in any font
WRAP_EM, WRAP_BOLD_EM = 0.53, 0.58  # average character width in ems, for how many lines wrapped text takes
CELL_MARGIN_IN = 0.08  # left and right, each side of a slide table cell


def _text_height_in(text: str, width_in: float, size_pt: float) -> float:
    """A generous estimate of the height wrapped text takes on a slide."""
    per_line = max(10, int(width_in * 72 / (size_pt * CHAR_EM)))
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    return lines * size_pt * 1.2 / 72 + 0.1


def _pptx_col_widths(header: list[str], rows: list[list[str]], total_in: float, size_pt: float = TABLE_PT) -> list[float]:
    """Slide table column widths (inches): at least the longest unbreakable token, more for columns with long text."""
    char_in, bold_in = size_pt * CHAR_EM / 72, size_pt * BOLD_EM / 72
    least, want = _least_and_wanted(header, rows, lambda t: len(t) * bold_in, lambda t: min(len(t), 70) * char_in,
                                    2 * CELL_MARGIN_IN + 0.05, narrowest=char_in)
    if sum(least) >= total_in:
        return [w * total_in / sum(least) for w in least]
    if sum(want) <= total_in:
        return [w * total_in / sum(want) for w in want]
    extra, short = total_in - sum(least), [w - m for w, m in zip(want, least)]
    return [m + extra * d / sum(short) for m, d in zip(least, short)]


def _pptx_row_height_in(cells: list[str], widths_in: list[float], size_pt: float = TABLE_PT, bold: bool = False) -> float:
    """The height a slide table row takes, wrapping each cell at spaces as PowerPoint does."""
    lines = 1
    for text, w in zip(cells, widths_in):
        per_line = max(4, int((w - 2 * CELL_MARGIN_IN) * 72 / (size_pt * (WRAP_BOLD_EM if bold else WRAP_EM))))
        n, used = 1, 0
        for word in text.split():
            need = len(word) + (1 if used else 0)
            if used and used + need > per_line:
                n, used = n + 1, len(word)
            else:
                used += need
        lines = max(lines, n)
    return lines * size_pt * 1.2 / 72 + 0.1


def render_pptx(pack: Pack, images: ChartImages | None = None, progress: Progress | None = None) -> bytes:
    """One slide per section, with continuation slides where a table or a strand's charts need more room; every
    shape is laid out above the footer."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    images = images or ChartImages(pack, progress)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    title_only, title_slide = prs.slide_layouts[5], prs.slide_layouts[0]
    blue = RGBColor(0x00, 0x5E, 0xB8)
    left_in, width_in = 0.5, SLIDE_W_IN - 1.0
    fills = {k: RGBColor.from_string(v.lstrip("#")) for k, v in RAG_COLOURS.items()}

    def add_text(slide, text: str, left, top, width, height, size=TEXT_PT, bold=False, colour=None):
        box = slide.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = line
            p.font.size, p.font.bold = Pt(size), bold
            if colour is not None:
                p.font.color.rgb = colour
        return box

    def place(shape, left, top, width, height):  # the template's placeholders are laid out for a 4:3 slide
        shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)

    def new_slide(title: str):
        slide = prs.slides.add_slide(title_only)
        slide.shapes.title.text = title
        place(slide.shapes.title, left_in, 0.3, width_in, 0.85)
        para = slide.shapes.title.text_frame.paragraphs[0]
        para.font.size, para.font.color.rgb = Pt(28), blue
        add_text(slide, pack.footer, Inches(0.4), Inches(SLIDE_H_IN - 0.4), Inches(12.5), Inches(0.3), size=9,
                 colour=RGBColor(0x4C, 0x62, 0x72))
        return slide

    def add_table_rows(slide, t: Table, header, rows, widths, heights, top_in):
        head_h = _pptx_row_height_in(header, widths, bold=True)
        height = head_h + sum(heights)
        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left_in), Inches(top_in), Inches(width_in),
                                       Inches(height))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Emu(int(Inches(w)))
        table.rows[0].height = Emu(int(Inches(head_h)))
        for i, h in enumerate(heights, start=1):
            table.rows[i].height = Emu(int(Inches(h)))
        rag = header.index(t.rag_column) if t.rag_column in header else None
        for r, rec in enumerate([header, *rows]):
            for j, v in enumerate(rec):
                cell = table.cell(r, j)
                cell.text = v
                cell.margin_left = cell.margin_right = Inches(CELL_MARGIN_IN)
                cell.margin_top = cell.margin_bottom = Inches(0.04)
                for p in cell.text_frame.paragraphs:
                    p.font.size, p.font.bold = Pt(TABLE_PT), r == 0
                if r and j == rag and v.lower() in fills:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = fills[v.lower()]
        return height

    def add_charts(slide, charts: list[Chart], top: float, first_title: str) -> None:
        """Charts two to a row, each with its summary in words underneath; continuation slides as needed."""
        col_w = width_in / 2
        while charts:
            room = CONTENT_BOTTOM_IN - top
            summary_h = max(_text_height_in(c.summary, col_w - 0.3, SUMMARY_PT) for c in charts[:4])
            rows = 2 if room / 2 - summary_h >= 2.2 and len(charts) > 2 else 1
            cell_h = room / rows
            for i, chart in enumerate(charts[:rows * 2]):
                img_h = cell_h - summary_h - 0.1
                img_w = min(col_w - 0.3, img_h * chart.width / chart.height)
                img_h = img_w * chart.height / chart.width
                x = left_in + col_w * (i % 2) + (col_w - img_w) / 2
                y = top + cell_h * (i // 2)
                png = images.png(chart)
                if png:
                    slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y), Inches(img_w), Inches(img_h))
                    add_text(slide, chart.summary, Inches(x), Inches(y + img_h), Inches(img_w), Inches(summary_h),
                             size=SUMMARY_PT)
                else:
                    add_text(slide, f"{chart.title}: {chart.summary}", Inches(x), Inches(y), Inches(img_w),
                             Inches(min(img_h, 1.5)), size=12)
            charts = charts[rows * 2:]
            if charts:
                slide, top = new_slide(f"{first_title} (continued)"), CONTENT_TOP_IN

    for section in pack.sections:
        if section.kind == "cover":
            slide = prs.slides.add_slide(title_slide)
            slide.shapes.title.text = pack.board_name
            place(slide.shapes.title, 0.8, 1.2, SLIDE_W_IN - 1.6, 1.6)
            body = slide.placeholders[1]
            place(body, 0.8, 3.0, SLIDE_W_IN - 1.6, 3.6)
            body.text = f"Quarterly assurance board pack: {pack.period_label}\n" + "\n".join(section.paragraphs)
            for i, p in enumerate(body.text_frame.paragraphs):
                p.font.size = Pt(22 if i == 0 else 15)
            add_text(slide, pack.footer, Inches(0.4), Inches(SLIDE_H_IN - 0.4), Inches(12.5), Inches(0.3), size=9)
            continue
        slide = new_slide(section.title)
        top = CONTENT_TOP_IN
        text = "\n".join(section.paragraphs + [f"• {b}" for b in section.bullets])
        if text:
            size = 12 if section.charts else TEXT_PT if section.tables else 15
            h = _text_height_in(text, width_in, size)
            add_text(slide, text, Inches(left_in), Inches(top), Inches(width_in), Inches(h), size=size)
            top += h + 0.1
        if section.charts:
            add_charts(slide, list(section.charts), top, section.title)

        # Tables: every row, split across continuation slides; the header row repeats.
        for t in section.tables:
            header = [str(c) for c in t.frame.columns]
            rows = [[_fmt(v) for v in rec] for rec in t.frame.itertuples(index=False)]
            widths = _pptx_col_widths(header, rows, width_in)
            heights = [_pptx_row_height_in(r, widths) for r in rows]
            head_h = _pptx_row_height_in(header, widths, bold=True)
            start, first = 0, True
            while True:
                # start a new slide unless the title, the header and the first few rows fit on this one
                if CONTENT_BOTTOM_IN - top < 0.4 + head_h + sum(heights[start:start + 3]):
                    slide, top = new_slide(f"{section.title} (continued)"), CONTENT_TOP_IN
                label = t.title if first else f"{t.title} (continued)"
                if not rows:
                    add_text(slide, f"{label}: none this quarter.", Inches(left_in), Inches(top), Inches(width_in),
                             Inches(0.35), size=14, bold=True)
                    top += 0.45
                    break
                add_text(slide, label, Inches(left_in), Inches(top), Inches(width_in), Inches(0.35), size=14, bold=True)
                top += 0.4
                room, end = CONTENT_BOTTOM_IN - top - head_h, start
                while end < len(rows) and (room >= heights[end] or end == start):
                    room -= heights[end]
                    end += 1
                left_over = len(rows) - end
                if 0 < left_over < 3 and end - start > 6:  # no continuation slide for a row or two on its own
                    end -= 3 - left_over
                top += add_table_rows(slide, t, header, rows[start:end], widths, heights[start:end], top) + 0.1
                if t.note and end >= len(rows):
                    add_text(slide, t.note, Inches(left_in), Inches(top), Inches(width_in), Inches(0.3), size=10)
                    top += 0.35
                top += 0.15
                start, first = end, False
                if start >= len(rows):
                    break

    stamp = datetime.combine(pack.generated_on, time(0, 0))
    prs.core_properties.created = prs.core_properties.modified = stamp
    prs.core_properties.last_printed = stamp
    prs.core_properties.title = f"{pack.board_name}: board pack {pack.period_label}"
    prs.core_properties.author = prs.core_properties.last_modified_by = pack.board_name
    prs.core_properties.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return stable_zip(buf.getvalue(), stamp)


# --- Excel ----------------------------------------------------------------------------------------


def render_xlsx(pack: Pack) -> bytes:
    """The pack's tables, one sheet each, after a sheet that says what the workbook is (publication mode, demo data).

    Numbers are stored as numbers where a column holds nothing else; text stays text (never a formula). The file
    is the same, byte for byte, for the same pack, whenever it is made.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    about = wb.active
    about.title = "About"
    used: set[str] = {"About"}
    bold, italic = Font(bold=True), Font(italic=True, color="4C6272")
    sheets: list[tuple[str, str]] = []
    for section in pack.sections:
        for t in section.tables:
            name = sheet_title(t.title, used)
            sheets.append((name, t.title))
            ws = wb.create_sheet(name)
            ws.append([t.title])
            ws["A1"].font = Font(bold=True, size=12)
            ws.append([pack.footer])
            ws["A2"].font = italic
            if t.note:
                ws.append([t.note])
            ws.append([])
            header_row = ws.max_row + 1
            ws.append(list(map(str, t.frame.columns)))
            for c in ws[header_row]:
                c.font = bold
            numeric = {c: _is_numeric_column(t.frame[c]) for c in t.frame.columns}
            for rec in t.frame.itertuples(index=False):
                ws.append([_xlsx_value(v, numeric[c]) for v, c in zip(rec, t.frame.columns)])
                for c, v, col in zip(ws[ws.max_row], rec, t.frame.columns):
                    if numeric[col] and (n := _number(v)) is not None:
                        c.number_format = n[1]
                    elif hasattr(c.value, "strftime"):
                        c.number_format = "DD/MM/YYYY"
                    elif isinstance(c.value, str):
                        c.data_type = "s"  # text stays text, never a formula
            for i, col in enumerate(t.frame.columns, start=1):
                longest = max([len(str(col))] + [len(_fmt(v)) for v in t.frame[col]])
                ws.column_dimensions[ws.cell(header_row, i).column_letter].width = max(10, min(longest + 2, 60))
                if longest > 60:
                    for row in ws.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                        row[0].alignment = Alignment(wrap_text=True, vertical="top")
            ws.freeze_panes = ws.cell(header_row + 1, 1)

    cover = next((s for s in pack.sections if s.kind == "cover"), None)
    about.append([pack.board_name])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Quarterly assurance board pack: {pack.period_label} (the tables)"])
    about["A2"].font = Font(bold=True, size=12)
    about.append([])
    lines = [("Period", cover.paragraphs[0] if cover and cover.paragraphs else pack.period_label),
             ("Produced on", f"{pack.generated_on:%d %B %Y}"),
             ("Publication mode", "On: small numbers suppressed. Counts of 1 to 4 are shown as [c], other counts are "
                                  "rounded to the nearest 5, and percentages of fewer than 10 cases are withheld."
              if pack.publication_mode else
              "OFF: unrounded figures. This workbook must stay within the QA subgroup."),
             ("Data", "SYNTHETIC DEMO DATA: every person, case and figure in this workbook is made up."
              if pack.demo else "The partners' returns accepted by the date above.")]
    for label, text in lines:
        about.append([label, text])
        about.cell(about.max_row, 1).font = bold
        about.cell(about.max_row, 2).data_type = "s"
    about.append([])
    about.append(["Sheet", "Table"])
    for c in about[about.max_row]:
        c.font = bold
    for name, title in sheets:
        about.append([name, title])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 110
    if "Key" not in used:  # the pack's own key table normally gives the Key sheet
        key = wb.create_sheet(sheet_title("Key", used))
        for line in pack.key:
            key.append(list(line))

    stamp = datetime.combine(pack.generated_on, time(0, 0))
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = pack.board_name
    wb.properties.title = f"{pack.board_name}: board pack {pack.period_label}"
    buf = io.BytesIO()
    # openpyxl's Workbook.save stamps the wall-clock time as 'modified'; its writer, used directly, keeps ours.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return stable_zip(buf.getvalue(), stamp)


def _xlsx_value(v, numeric: bool):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) or v == "":
        return None
    if numeric and (n := _number(v)) is not None:
        return n[0]
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v


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
