"""The board pack as a PDF document (reportlab), landscape A4, byte-for-byte repeatable for the same day."""

from __future__ import annotations

import io
from datetime import date

from assurance.board.pack import Pack, Table
from assurance.board.render.images import ChartImages
from assurance.board.render.layout import (
    least_and_wanted,
    NHS_BLUE,
    RAG_COLOURS,
    Progress,
    cell_text,
    is_numeric_column,
)


CELL_PADDING = 4  # points either side of the text in a PDF table cell
TABLE_FONT_SIZES = (7.5, 7.0, 6.5, 6.0)  # a wide table is set a little smaller before any word would be split


def column_widths(header: list[str], rows: list[list[str]], total: float, padding: float = CELL_PADDING,
                sizes: tuple[float, ...] = TABLE_FONT_SIZES) -> tuple[list[float], float]:
    """Column widths (points) and font size for a PDF table that never splits a word, number or date.

    Each column is at least as wide as its longest unbreakable token (a header word in bold, or a value's word),
    so text wraps only at spaces; the rest of the width goes to the columns whose text would otherwise wrap. If the
    tokens do not fit at the normal size, the table is set smaller.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    slack = 2 * padding + 1.5
    for size in sizes:
        least, want = least_and_wanted(header, rows, lambda t: stringWidth(t, "Helvetica-Bold", size),
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


def render_pdf(pack: Pack, images: ChartImages | None = None, progress: Progress | None = None) -> bytes:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
    )
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    rl_config.invariant = 1  # no timestamps or random ids: the same data gives the same file
    rl_config.useA85 = 0  # binary streams: text-safe ASCII85 is slow in pure Python and makes the file larger
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
        rows = [[cell_text(v) for v in rec] for rec in frame.itertuples(index=False)]
        widths, size = column_widths(header, rows, frame_w, padding=CELL_PADDING)
        numeric = [is_numeric_column(frame[c]) for c in frame.columns]
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
        for chart in section.charts:
            w = frame_w / 2 - 6 * mm
            h = w * chart.height / chart.width
            cells.append([_Picture(images.image(chart), w, h), Paragraph(esc(chart.summary), small)])
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
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=_dated_canvas(pack.generated_on))
    return buf.getvalue()


def _Picture(image, width: float, height: float):
    """A flowable drawing an image held in memory (reportlab's Image wants a file), without re-encoding it as PNG."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Flowable

    class Picture(Flowable):
        def wrap(self, *_):
            return width, height

        def draw(self):
            self.canv.drawImage(ImageReader(image), 0, 0, width, height)

    return Picture()


def _dated_canvas(day: date):
    """A canvas whose creation and modification dates are the pack's own date (midnight UTC).

    reportlab's invariant mode keeps every other byte fixed, but dates the file 1 January 2000; only the date
    stamp is changed here, so the same data on the same day still give the same file.
    """
    from reportlab.pdfgen.canvas import Canvas

    stamp = f"D:{day:%Y%m%d}000000+00'00'"

    class DatedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: stamp)

    return DatedCanvas


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
