"""The Board pack page builds the PDF and the slides with their charts (drawn without a browser)."""

import io

from tests.pages.helpers import open_page


def built(fmt_label: str):
    at = open_page("pages/board_pack.py", period="2026-27 Q2")
    at.radio(key="pack-format").set_value(fmt_label).run()
    at.button(key="pack-build").click().run()
    assert not at.exception
    return at


def test_the_page_builds_the_pdf_with_every_chart(demo_url):
    from pypdf import PdfReader

    at = built("PDF document")
    assert at.get("download_button")[0].proto.label.startswith("Download the pack (PDF")
    label, fmt, content = at.session_state["pack"]
    charts = sum(len(s.charts) for s in at.session_state["pack-built"].sections)
    assert (label, fmt) == ("2026-27 Q2", "pdf") and charts > 12
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages) == charts
    summary = [t.value for t in at.text]
    assert any(t.startswith("• Special cause concerning:") for t in summary)  # the summary, from signals


def test_the_page_builds_the_slides_with_every_chart(demo_url):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    at = built("PowerPoint slides")
    _, fmt, content = at.session_state["pack"]
    charts = sum(len(s.charts) for s in at.session_state["pack-built"].sections)
    slides = Presentation(io.BytesIO(content)).slides
    assert fmt == "pptx" and sum(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slides for sh in s.shapes) == charts
