"""The board pack as PowerPoint slides (python-pptx), 16:9, every shape above the footer."""

from __future__ import annotations

import io
from datetime import datetime, time

from assurance.board.pack import Chart, Pack, Table
from assurance.board.render.images import ChartImages
from assurance.board.render.layout import RAG_COLOURS, Progress, cell_text, least_and_wanted, stable_zip

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
CONTENT_TOP_IN = 1.25  # below the slide title
CONTENT_BOTTOM_IN = 6.95  # above the footer line
TABLE_PT = 10
TEXT_PT = 13
SUMMARY_PT = 11
CHAR_EM, BOLD_EM = 0.6, 0.66  # widest likely character width in ems, so a word fits its column in any font
WRAP_EM, WRAP_BOLD_EM = 0.53, 0.58  # average character width in ems, for how many lines wrapped text takes
CELL_MARGIN_IN = 0.08  # left and right, each side of a slide table cell


def text_height_in(text: str, width_in: float, size_pt: float) -> float:
    """A generous estimate of the height wrapped text takes on a slide."""
    per_line = max(10, int(width_in * 72 / (size_pt * CHAR_EM)))
    lines = sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))
    return lines * size_pt * 1.2 / 72 + 0.1


def slide_col_widths(header: list[str], rows: list[list[str]], total_in: float, size_pt: float = TABLE_PT) -> list[float]:
    """Slide table column widths (inches): at least the longest unbreakable token, more for columns with long text."""
    char_in, bold_in = size_pt * CHAR_EM / 72, size_pt * BOLD_EM / 72
    least, want = least_and_wanted(header, rows, lambda t: len(t) * bold_in, lambda t: min(len(t), 70) * char_in,
                                    2 * CELL_MARGIN_IN + 0.05, narrowest=char_in)
    if sum(least) >= total_in:
        return [w * total_in / sum(least) for w in least]
    if sum(want) <= total_in:
        return [w * total_in / sum(want) for w in want]
    extra, short = total_in - sum(least), [w - m for w, m in zip(want, least)]
    return [m + extra * d / sum(short) for m, d in zip(least, short)]


def slide_row_height_in(cells: list[str], widths_in: list[float], size_pt: float = TABLE_PT, bold: bool = False) -> float:
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
        head_h = slide_row_height_in(header, widths, bold=True)
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
            summary_h = max(text_height_in(c.summary, col_w - 0.3, SUMMARY_PT) for c in charts[:4])
            rows = 2 if room / 2 - summary_h >= 2.2 and len(charts) > 2 else 1
            cell_h = room / rows
            for i, chart in enumerate(charts[:rows * 2]):
                img_h = cell_h - summary_h - 0.1
                img_w = min(col_w - 0.3, img_h * chart.width / chart.height)
                img_h = img_w * chart.height / chart.width
                x = left_in + col_w * (i % 2) + (col_w - img_w) / 2
                y = top + cell_h * (i // 2)
                slide.shapes.add_picture(io.BytesIO(images.png(chart)), Inches(x), Inches(y), Inches(img_w),
                                         Inches(img_h))
                add_text(slide, chart.summary, Inches(x), Inches(y + img_h), Inches(img_w), Inches(summary_h),
                         size=SUMMARY_PT)
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
        lines = section.paragraphs + [f"• {b}" for b in section.bullets]
        if lines:
            size = 12 if section.charts else TEXT_PT if section.tables else 15
            if not (section.charts or section.tables):  # text alone: as large as fits, down to the tables' size
                size = next((pt for pt in (15, 14, 13, 12) if text_height_in("\n".join(lines), width_in, pt)
                             <= CONTENT_BOTTOM_IN - top), 12)
            while lines:  # what does not fit carries on over a continuation slide
                take = len(lines)
                while take > 1 and text_height_in("\n".join(lines[:take]), width_in, size) > CONTENT_BOTTOM_IN - top:
                    take -= 1
                text, lines = "\n".join(lines[:take]), lines[take:]
                h = text_height_in(text, width_in, size)
                add_text(slide, text, Inches(left_in), Inches(top), Inches(width_in), Inches(h), size=size)
                top += h + 0.1
                if lines:
                    slide, top = new_slide(f"{section.title} (continued)"), CONTENT_TOP_IN
        if section.charts:
            add_charts(slide, list(section.charts), top, section.title)

        # Tables: every row, split across continuation slides; the header row repeats.
        for t in section.tables:
            header = [str(c) for c in t.frame.columns]
            rows = [[cell_text(v) for v in rec] for rec in t.frame.itertuples(index=False)]
            widths = slide_col_widths(header, rows, width_in)
            heights = [slide_row_height_in(r, widths) for r in rows]
            head_h = slide_row_height_in(header, widths, bold=True)
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
