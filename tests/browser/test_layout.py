"""The pages at a 1366x768 laptop's size in Chromium: what the Board must see first is in view without scrolling
inside a table."""

from __future__ import annotations

from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import open_from_menu, sign_in

LAPTOP = {"width": 1366, "height": 768}

# Each grid on the page: its size, how far its scroller reaches, and the column headers and cells Streamlit renders
# for it (only those in view are rendered: the grid is virtualised).
GRIDS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(e => {
    const s = e.querySelector('.dvn-scroller');
    const r = e.getBoundingClientRect();
    return {right: r.right, scrollHeight: s.scrollHeight, clientHeight: s.clientHeight,
            scrollWidth: s.scrollWidth, clientWidth: s.clientWidth,
            headers: [...e.querySelectorAll('[role=columnheader]')].map(h => h.textContent.trim()),
            cells: [...e.querySelectorAll('[role=gridcell]')].map(c => c.textContent.trim())};
})"""


def _grids(page, expected: int):
    page.wait_for_function("""n => { const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
        return grids.length >= n && grids.every(g => g.querySelector('.dvn-scroller')
                                                   && g.querySelectorAll('[role=columnheader]').length > 0); }""",
                           arg=expected)
    page.wait_for_timeout(1000)  # the grids size their columns after the first paint
    return page.evaluate(GRIDS)


def test_overview_scorecard_fits_a_laptop_screen(app_server, browser_page):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    page.get_by_text("Quality strand", exact=True).wait_for()
    grids = _grids(page, 3)
    assert len(grids) == 3  # the Data, Quality and Lived experience strands
    for g in grids:
        assert g["scrollHeight"] <= g["clientHeight"] + 1, g  # every row in view: no scrolling inside the table
        assert g["scrollWidth"] <= g["clientWidth"] + 1, g  # every column in view: no sideways scrolling
        assert g["right"] <= LAPTOP["width"]
        assert "QA commentary" in g["headers"] and "Last 8 quarters" in g["headers"], g["headers"]
    quality = grids[1]
    assert any(c.startswith("SAR actions completed by their due date") for c in quality["cells"])
    rags = [c for c in quality["cells"] if c in ("Red", "Amber", "Green")]
    order = {"Red": 0, "Amber": 1, "Green": 2}
    assert rags == sorted(rags, key=order.get)  # red first


def test_review_pages_have_no_sideways_scrolling_on_a_laptop(app_server, browser_page):
    """Demographics and Audits: every column of every table in view; the grade tables show all their rows (the
    case-by-case findings, a long list, scroll inside their table with the weakest grades first)."""
    page = browser_page
    page.set_viewport_size(LAPTOP)
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    for title, tables, scrolling in (("Demographics", 5, 0), ("Audits", 4, 1)):
        open_from_menu(page, title, "Review")
        grids = _grids(page, tables)
        assert len(grids) == tables, title
        for g in grids:
            assert g["scrollWidth"] <= g["clientWidth"] + 1 and g["right"] <= LAPTOP["width"], (title, g)
        whole = [g for g in grids if g["scrollHeight"] <= g["clientHeight"] + 1]
        assert len(whole) == tables - scrolling, (title, grids)
