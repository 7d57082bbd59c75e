"""The board pack: content from the figures, suppression in every table, every section on slides, repeatable."""

import io
import re
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from assurance.access.accounts import UserInfo
from assurance.board import challenges as ch
from assurance.board.pack import build_pack
from assurance.board.render import ChartImages, render_pdf, render_pptx, render_xlsx
from assurance.directory import list_partners
from assurance.measures.compute import period_figures
from assurance.measures.framework import STRAND_NAMES, STRANDS, framework

PERIOD = "2026-27 Q2"
TODAY = date(2026, 11, 23)
SMALL_EVIDENCE = ch.Evidence("felt_safer", PERIOD, 37.5, 3, 8, "%", "red")  # 3 of 8 adults: must not be published


@pytest.fixture(scope="module")
def built(databases, demo_db):
    """The demo Board's pack, with one more challenge whose evidence rests on a small number (on a copy of the demo)."""
    from assurance.db.engine import get_engine

    databases.release(demo_db[0])
    engine = get_engine(databases.new(template=demo_db[0]))
    ch.raise_challenge(engine, partner_code="HSG", question="Why did so few adults feel safer after the enquiry?",
                       by=UserInfo(None, "chair", "chair", "chair"), evidence=SMALL_EVIDENCE, meeting_date=date(2026, 10, 1),
                       due_date=date(2026, 11, 1), now=datetime(2026, 10, 1, 10))
    pack = build_pack(engine, PERIOD, TODAY)
    images = ChartImages(pack)
    return engine, pack, images, render_pdf(pack, images)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def table(pack, title):
    return next(t for s in pack.sections for t in s.tables if t.title.startswith(title)).frame


def test_pdf_has_the_period_the_measures_and_the_reds(built):
    engine, pack, _, pdf = built
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert f"Quarterly assurance board pack: {PERIOD}" in text
    assert "Publication mode is on" in text and "SYNTHETIC DEMO DATA" in text
    figures = period_figures(engine, PERIOD)
    for f in figures:
        assert f.name in text, f.name
    reds = [f for f in figures if f.rag == "red"]
    summary = next(s for s in pack.sections if s.title == "Executive summary").bullets
    assert reds, "the demo has red measures for the pack to report"
    for f in reds:  # published: worked out from the rounded counts (staff figures are not about people: as they are)
        from decimal import ROUND_HALF_UP, Decimal

        def r5(n):
            return (n + 2) // 5 * 5

        exact = 100 * (r5(f.numerator) / r5(f.denominator) if f.protected else f.numerator / f.denominator)
        shown = Decimal(str(exact)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        said = next(b for b in summary if f"{f.name} was {shown}%" in b)  # its headline signal may come first
        assert f"red against a target of {f.target:g}%" in said or said.startswith(("Red: ", "Red for "))
    for title in ("Executive summary", "Scorecard", "Partner exceptions", "Open challenges and overdue actions",
                  "Audit themes", "Data quality of the quarter's returns", "Key to symbols"):
        assert title in text


def test_every_table_is_suppressed(built):
    _, pack, _, pdf = built

    def published(v):
        return v in ("[c]", "[x]", "", 0) or (isinstance(v, int) and v % 5 == 0)

    def counts_checked(text):
        pairs = re.findall(r"([\d,]+|\[c\]) of ([\d,]+|\[c\])", text)
        for pair in pairs:
            assert all(x == "[c]" or int(x.replace(",", "")) % 5 == 0 for x in pair), text
        return len(pairs)

    checked = 0
    for section in pack.sections:
        for t in section.tables:
            for col in t.frame.columns:
                for i, v in enumerate(t.frame[col]):
                    row = " ".join(map(str, t.frame.iloc[i].tolist()))
                    about_staff = any(w in row for w in ("training", "trained", "supervision", "SAR actions"))
                    if col in ("Counts", "Evidence") and v and not about_staff:
                        checked += counts_checked(v)
                    if col in ("Outstanding", "Good", "Requires improvement", "Inadequate", "Total"):
                        assert published(v), (t.title, col, v)
                        checked += 1
    assert checked > 20
    scorecard = table(pack, "Scorecard")
    small = scorecard[(scorecard["RAG"] == "small number") & ~scorecard["Measure"].str.contains("SAR actions")]
    assert (small["Value"] == "[c]").all()
    # Challenge evidence follows the pack's publication mode like every other figure: 3 of 8 shows as [c] of 10
    # and the percentage of fewer than 10 cases is withheld; 426 of 701 shows as 425 of 700.
    evidence = table(pack, "Open challenges")["Evidence"].tolist()
    assert sum(counts_checked(e) for e in evidence if "Staff trained" not in e) >= 2
    assert "Adults who felt safer after the enquiry · 2026-27 Q2 · [c] ([c] of 10) · Red" in evidence
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "37.5%" not in text and "3 of 8" not in text


def test_unsuppressed_pack_shows_the_raw_counts(built):
    engine, *_ = built
    pack = build_pack(engine, PERIOD, TODAY, publish=False)
    scorecard = table(pack, "Scorecard")
    f = next(x for x in period_figures(engine, PERIOD) if x.measure == "decision_timeliness")
    row = scorecard[scorecard["Measure"] == f.name].iloc[0]
    assert row["Counts"] == f"{f.numerator:,} of {f.denominator:,}"
    assert "Publication mode is OFF" in pack.sections[0].paragraphs[2]
    assert any(e.endswith("37.5% (3 of 8) · Red") for e in table(pack, "Open challenges")["Evidence"])


def test_challenge_tables_are_in_plain_words(built):
    engine, pack, _, pdf = built
    challenges = table(pack, "Open challenges")
    names = {p.code: p.name for p in list_partners(engine)}
    assert set(challenges["Partner"]) <= set(names.values())  # names, as in every other table, not codes
    ids = framework().ids
    for e in challenges["Evidence"]:
        assert not any(re.search(rf"\b{i}\b", e) for i in ids), e  # the measure's name, not its id
        assert not re.search(r"\b(RED|AMBER|GREEN)\b", e), e
    assert any(e.startswith("Staff trained to their safeguarding level") and e.endswith("· Red")
               for e in challenges["Evidence"])
    log = ch.challenge_log(engine, TODAY)
    responded = log[log["Status"] == "responded"].iloc[0]
    row = challenges[challenges["No."] == responded["No."]].iloc[0]
    assert row["Partner's response"] == responded["Response"]  # the partner's answer is in front of the Board
    assert row["Status"] == "Awaiting the Board's decision"
    on_screen = ch.log_table(log).set_index("No.")["Status"]  # the pack words each status as the challenge log does
    assert all(on_screen[n] == status for n, status in zip(challenges["No."], challenges["Status"]))
    assert set(challenges["No."]) == set(log[log["Status"].map(ch.is_open)]["No."])  # and means the same by open
    assert responded["Response"][:40] in re.sub(r"\s+", " ", pdf_text(pdf))
    assert challenges[challenges["Partner"] == names["HSG"]].iloc[0]["Overdue"] == "Overdue"


def test_pdf_tables_never_split_a_word_or_number(built):
    """Every word, number and date of every table appears whole in the PDF's text (it printed 'Targe' 't')."""
    from assurance.board.render.layout import cell_text

    _, pack, _, pdf = built
    words = set(pdf_text(pdf).split())
    missing = []
    for section in pack.sections:
        for t in section.tables:
            tokens = {w for c in t.frame.columns for w in str(c).split()}
            tokens |= {w for col in t.frame.columns for v in t.frame[col] for w in cell_text(v).split()}
            missing += [(t.title, w) for w in tokens if len(w) > 2 and w not in words]
    assert not missing, missing[:20]


def test_pdf_column_widths_fit_the_longest_token():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from assurance.board.render.pdf import CELL_PADDING, column_widths

    header = ["No.", "Target", "Overdue", "England", "Due", "Measure", "QA commentary"]
    rows = [["2", "60.8%", "Overdue", "30.5%", "09/12/2026", "Concern decisions within 2 working days",
             "Decisions have slowed as the front door team carried two vacancies " * 3]] * 3
    widths, size = column_widths(header, rows, 500)
    assert abs(sum(widths) - 500) < 0.01
    for j, name in enumerate(header):
        tokens = [(w, "Helvetica-Bold") for w in name.split()] + [(w, "Helvetica") for r in rows for w in r[j].split()]
        need = max(stringWidth(w, font, size) for w, font in tokens) + 2 * CELL_PADDING
        assert widths[j] >= need, (name, widths[j], need)
    wide, smaller = column_widths(header * 3, [r * 3 for r in rows], 700)  # a wide table is set smaller, not split
    assert smaller < size and abs(sum(wide) - 700) < 0.01


def test_executive_summary_grammar_and_key(built):
    _, pack, _, _ = built
    summary = next(s for s in pack.sections if s.title == "Executive summary")
    text = " ".join(summary.paragraphs + summary.bullets)
    found = re.findall(r"\b(\d+|One) (?:more )?(?:measures? |challenges? |partner figures? |SAR or audit actions? )?"
                       r"(rests?|is|are)\b", text)
    assert len(found) >= 5
    for n, verb in found:
        assert (verb in ("rests", "is")) == (n in ("1", "One")), (n, verb, text)
    assert not re.search(r"\b1 (measures|partner figures|challenges|SAR or audit actions)\b", text)
    assert "One more measure rests on fewer than 10 cases and is not rated." in text  # the demo has one
    everything = " ".join(p for s in pack.sections for p in s.paragraphs + s.bullets)
    assert not re.search(r"\bA further 1\b", everything)
    key = dict(pack.key[1:])
    for symbol in ("pts", "Overdue", "Late", "Missing", "Dashed line", "[c]"):
        assert symbol in key, symbol


def test_targets_are_shown_the_same_way_everywhere(built):
    _, pack, _, _ = built
    fw = framework()
    for _, row in table(pack, "Scorecard").iterrows():
        m = next(x for x in fw.measures if x.name == row["Measure"])
        pct = "%" if m.unit == "%" else ""
        assert row["Target"] == ("" if m.target is None else f"{m.target:g}{pct}"), row["Target"]
        assert row["England"] == ("" if m.comparator is None else f"{m.comparator:g}{pct}"), row["England"]
    exceptions = table(pack, "Partner exceptions")
    assert not exceptions.empty and all(re.fullmatch(r"\d+(\.\d+)?%", t) for t in exceptions["Target"])


def test_strand_pages_chart_every_measure_or_say_why_not(built):
    from assurance.charts import RAG_MARKERS

    _, pack, _, _ = built
    for strand in STRANDS:
        section = next(s for s in pack.sections if s.title == f"{STRAND_NAMES[strand]} strand")
        charted = {c.title for c in section.charts}
        said = " ".join(section.paragraphs)
        for m in framework().measures:
            if m.strand == strand:
                assert m.name in charted or m.name in said, (strand, m.name)
        assert all(c.summary for c in section.charts)
    assert sum(len(s.charts) for s in pack.sections) > 12  # more than the four a strand used to be cut to
    red = next(c for s in pack.sections for c in s.charts if c.title == "Concern decisions within 2 working days")
    fig = red.figure
    assert fig.layout.showlegend and not fig.layout.annotations  # a legend; no target label on the axis
    symbols = {t.name: t.marker.symbol for t in fig.data if t.mode == "markers"}
    assert symbols[RAG_MARKERS["red"][1]] != symbols[RAG_MARKERS["amber"][1]]
    assert any(t.name == "Target 80%" for t in fig.data)
    assert fig.layout.xaxis.tickfont.size >= 15  # large enough once shrunk onto the page


def test_slides_show_every_section_table_row_and_chart_within_the_slide(built):
    from pptx import Presentation
    from pptx.util import Inches

    _, pack, images, _ = built
    prs = Presentation(io.BytesIO(render_pptx(pack, images)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == pack.board_name
    # each section starts a slide, in order; a long section carries on over continuation slides
    firsts = [t for t in titles[1:] if not t.endswith(" (continued)")]
    assert firsts == [s.title for s in pack.sections[1:]]
    assert all(t.removesuffix(" (continued)") in firsts for t in titles[1:])
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == sum(len(s.charts) for s in pack.sections) > 12
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    for section in pack.sections:
        for chart in section.charts:
            assert chart.summary in text  # each chart is also described in words
    # every row of every table is on a slide (none cut off at 16 rows), the Lived experience strand included
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    body = [[c.text for c in row.cells] for t in tables for row in list(t.rows)[1:]]
    assert len(body) == sum(len(t.frame) for s in pack.sections for t in s.tables)
    assert {m.name for m in framework().measures} <= {r[1] for r in body}
    assert any(r[0] == "Lived experience" for r in body)
    # the open challenges and the overdue actions are both there
    heads = {f"{t.cell(0, 0).text}|{t.cell(0, 1).text}" for s in prs.slides for sh in s.shapes if sh.has_table
             and s.shapes.title.text.startswith("Open challenges and overdue actions") for t in [sh.table]}
    assert heads == {"No.|Partner", "Source|Reference"}
    # nothing runs into the footer or off the slide
    footer_top = prs.slide_height - Inches(0.45)
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            if sh.has_text_frame and sh.text_frame.text == pack.footer:
                continue
            assert sh.top + sh.height <= footer_top, (n, titles[n - 1], sh.name)
            assert sh.left + sh.width <= prs.slide_width, (n, titles[n - 1], sh.name)


def test_excel_tables_and_repeatable_output(built):
    _, pack, images, pdf = built
    content = render_xlsx(pack)
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames[0] == "About"
    assert "Key" in wb.sheetnames and not any(n.startswith("Key") and n != "Key" for n in wb.sheetnames)
    about = " ".join(str(c.value) for row in wb["About"].iter_rows() for c in row if c.value)
    assert "Publication mode" in about and "small numbers suppressed" in about
    assert "SYNTHETIC DEMO DATA" in about  # the demo Board says so
    sc = wb[next(n for n in wb.sheetnames if n.startswith("Scorecard"))]
    header = next(r for r in sc.iter_rows() if r[0].value == "Strand")
    cols = {c.value: c.column for c in header}
    body = range(header[0].row + 1, sc.max_row + 1)
    target = [sc.cell(r, cols["Target"]) for r in body]
    assert any(c.value is not None for c in target)
    for c in target:  # a purely numeric column is stored as numbers, with a % format for percentages
        assert c.value is None or (c.data_type == "n" and isinstance(c.value, (int, float))), c.value
    assert any(c.number_format.endswith('"%"') for c in target)
    assert "[c]" in [sc.cell(r, cols["Value"]).value for r in body]  # a column mixing numbers and [c] stays text
    assert render_xlsx(pack) == content
    assert render_pdf(pack, images) == pdf
    assert render_pptx(pack, images) == render_pptx(pack, images)


def test_office_files_are_the_same_whenever_they_are_made(built, monkeypatch):
    """openpyxl stamps the wall-clock time on save; the pack's files carry the pack's date instead."""
    import datetime as dt
    import types

    import openpyxl.packaging.core
    import openpyxl.writer.excel

    _, pack, images, _ = built
    xlsx, pptx = render_xlsx(pack), render_pptx(pack, images)
    core = zipfile.ZipFile(io.BytesIO(xlsx)).read("docProps/core.xml").decode()
    assert core.count("2026-11-23T00:00:00Z") == 2  # created and modified: the pack's date

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return dt.datetime(2031, 5, 6, 7, 8, 9)

    clock = types.SimpleNamespace(datetime=Later, timezone=dt.timezone, date=dt.date)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", clock)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", clock)
    time.sleep(1.1)  # and the real clock moves on too
    assert render_xlsx(pack) == xlsx
    assert render_pptx(pack, images) == pptx


def test_the_pack_says_how_the_figures_are_made(built):
    _, pack, _, _ = built
    section = next(s for s in pack.sections if s.title == "How the figures are made")
    text = " ".join(section.paragraphs + section.bullets)
    assert "rounded half up" in text and "unrounded value" in text
    assert "Working days exclude weekends and England bank holidays" in text
    assert "led to a Section 42 or other enquiry" in text  # conversion: the outcome of concerns received
    assert "95% CI" in text and "Byar's method" in text  # the rate per 100,000 and its interval


def test_pdf_is_dated_the_pack_day_and_the_same_for_the_same_day(built):
    """reportlab's invariant mode dated every pack 1 January 2000; the pack carries its own date instead."""
    import dataclasses

    from pypdf import PdfReader

    _, pack, images, pdf = built
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info["/CreationDate"].startswith("D:20261123") and info["/ModDate"].startswith("D:20261123")
    time.sleep(1.1)
    assert render_pdf(pack, images) == pdf  # the same data on the same day: the same bytes
    next_day = render_pdf(dataclasses.replace(pack, generated_on=date(2026, 11, 24)), images)
    assert PdfReader(io.BytesIO(next_day)).metadata["/CreationDate"].startswith("D:20261124")


def test_summary_is_written_from_signals_most_important_first(built):
    """Special cause, then sustained red, failing assurance, a single red, partners off target for several quarters
    and late returns; the demo's ambulance trust, whose training has drifted for five quarters, is named."""
    _, pack, _, _ = built
    bullets = next(s for s in pack.sections if s.title == "Executive summary").bullets
    order = ("Special cause concerning:", "Red for ", "Consistently failing:", "Red: ", "Demo ", "Returns:")
    kinds = [next(i for i, start in enumerate(order) if b.startswith(start)) for b in bullets
             if b.startswith(order)]
    assert kinds == sorted(kinds) and set(kinds) == set(range(len(order)))
    assert not any(b.startswith("Moved:") for b in bullets)  # no longer the largest movements
    engine = built[0]
    from assurance.periods import Period

    rags = []  # the ambulance trust's training, quarter by quarter back from this one, worked out on its own
    for k in range(8):
        label = Period.parse(PERIOD).shift(-k).label
        rags.append(next(f.rag for f in period_figures(engine, label, "AMB") if f.measure == "staff_trained"))
    off = next(k for k, r in enumerate(rags) if r not in ("red", "amber"))
    reds = next(k for k, r in enumerate(rags) if r != "red")
    assert off >= 3 and reds >= 2  # the demo's drift
    ambulance = next(b for b in bullets if b.startswith("Demo Ambulance Service NHS Trust: Staff trained"))
    assert f"off target for {off} quarters running" in ambulance and f"(red for the last {reds})" in ambulance
    partners = [b for b in bullets if b.startswith("Demo ")]
    assert partners[0] == ambulance  # the longest red run comes first among the partners
    concern = next(b for b in bullets if "Concern decisions within 2 working days" in b)
    assert concern.startswith("Special cause concerning:") and "below its lower process limit" in concern
    returns = next(b for b in bullets if b.startswith("Returns:"))
    assert "1 missing (Demo Housing Association)" in returns


def test_one_more_is_said_in_words():
    from assurance.board.pack import _more

    assert _more(1, "measure") == "One more measure"
    assert _more(1, "partner figure") == "One more partner figure"
    assert _more(3, "partner figure") == "3 more partner figures"
