"""The board pack: content from the figures, suppression in every table, one slide per section, repeatable."""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from assurance.board.pack import build_pack
from assurance.board.render import ChartImages, render_pdf, render_pptx, render_xlsx
from assurance.measures.compute import period_figures

PERIOD = "2026-27 Q2"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def built(demo_db):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_db[0])
    pack = build_pack(engine, PERIOD, TODAY)
    images = ChartImages(pack)
    return engine, pack, images, render_pdf(pack, images)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_has_the_period_the_measures_and_the_reds(built):
    engine, pack, _, pdf = built
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert f"Quarterly assurance board pack: {PERIOD}" in text
    assert "Publication mode is on" in text and "SYNTHETIC DEMO DATA" in text
    figures = period_figures(engine, PERIOD)
    for f in figures:
        assert f.name in text, f.name
    reds = [f for f in figures if f.rag == "red"]
    assert reds, "the demo has red measures for the pack to report"
    for f in reds:
        assert f"Red: {f.name} was {f.value:.1f}%" in text
    for title in ("Executive summary", "Scorecard", "Partner exceptions", "Open challenges and overdue actions",
                  "Audit themes", "Data quality of the quarter's returns", "Key to symbols"):
        assert title in text


def test_every_table_is_suppressed(built):
    _, pack, _, _ = built
    def published(v):
        return v in ("[c]", "[x]", "", 0) or (isinstance(v, int) and v % 5 == 0)

    checked = 0
    for section in pack.sections:
        for table in section.tables:
            for col in table.frame.columns:
                for v in table.frame[col]:
                    if col == "Counts" and v:
                        num, den = v.replace(",", "").split(" of ")
                        assert all(x == "[c]" or int(x) % 5 == 0 for x in (num, den)), v
                        checked += 1
                    if col in ("Outstanding", "Good", "Requires improvement", "Inadequate", "Total"):
                        assert published(v), (table.title, col, v)
                        checked += 1
    assert checked > 20
    scorecard = next(t for s in pack.sections for t in s.tables if t.title.startswith("Scorecard")).frame
    small = scorecard[scorecard["RAG"] == "small number"]
    assert (small["Value"] == "[c]").all()


def test_unsuppressed_pack_shows_the_raw_counts(built):
    engine, *_ = built
    pack = build_pack(engine, PERIOD, TODAY, publish=False)
    scorecard = next(t for s in pack.sections for t in s.tables if t.title.startswith("Scorecard")).frame
    f = next(x for x in period_figures(engine, PERIOD) if x.measure == "decision_timeliness")
    row = scorecard[scorecard["Measure"] == f.name].iloc[0]
    assert row["Counts"] == f"{f.numerator:,} of {f.denominator:,}"
    assert "Publication mode is OFF" in pack.sections[0].paragraphs[2]


def test_one_slide_per_section(built):
    from pptx import Presentation

    _, pack, images, _ = built
    prs = Presentation(io.BytesIO(render_pptx(pack, images)))
    assert len(prs.slides) == len(pack.sections)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == pack.board_name
    assert titles[1:] == [s.title for s in pack.sections[1:]]
    charts = sum(1 for s in prs.slides for sh in s.shapes if sh.shape_type == 13)  # pictures
    assert charts == sum(min(len(s.charts), 4) for s in pack.sections) > 0


def test_excel_tables_and_repeatable_output(built):
    _, pack, images, pdf = built
    content = render_xlsx(pack)
    wb = load_workbook(io.BytesIO(content))
    assert "Key" in wb.sheetnames and any(n.startswith("Scorecard") for n in wb.sheetnames)
    assert render_xlsx(pack) == content
    assert render_pdf(pack, images) == pdf
    assert render_pptx(pack, images) == render_pptx(pack, images)


def test_without_a_browser_the_pack_still_goes_out(built, monkeypatch):
    import kaleido

    _, pack, _, _ = built

    def no_browser(**_kw):
        raise RuntimeError("no Chrome")

    monkeypatch.setattr(kaleido, "start_sync_server", no_browser)
    images = ChartImages(pack)
    text = re.sub(r"\s+", " ", pdf_text(render_pdf(pack, images)))
    assert "Charts were not drawn because Chromium is not installed" in text
    chart = next(c for s in pack.sections for c in s.charts)
    assert chart.summary[:40] in text
