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


# Every cell whose text is wider than its column as the grid draws it (the grid cuts it short with an ellipsis).
# The grid is a canvas: its columns' drawn widths and each cell's text are read from the grid component's own
# properties, and each text is measured in the grid's font.
CUT_CELLS = """() => {
  const props = (e, inner) => {
    let f = e[Object.keys(e).find(k => k.startsWith('__reactFiber'))];
    while (f && !(f.memoizedProps && Array.isArray(f.memoizedProps.columns) && f.memoizedProps.getCellContent
                  && ('canvasRef' in f.memoizedProps) === inner)) f = f.return;
    return f && f.memoizedProps;
  };
  const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('[data-testid="stDataFrame"]')].map((grid, g) => {
    const editors = [...grid.querySelectorAll('.stDataFrameGlideDataEditor')];
    const editor = editors[0];
    const outer = editors.map(e => props(e, false)).find(p => p), inner = editors.map(e => props(e, true)).find(p => p);
    const style = getComputedStyle(editor);
    const family = style.getPropertyValue('--gdg-font-family');
    const pad = parseFloat(style.getPropertyValue('--gdg-cell-horizontal-padding'));
    const drawn = Object.fromEntries(inner.columns.filter(c => c.id).map(c => [c.id, c.width]));
    const cut = [];
    outer.columns.forEach((col, i) => {
      const width = drawn[col.id];
      ctx.font = `${style.getPropertyValue('--gdg-header-font-style')} ${family}`;
      const texts = [[col.title, ctx.measureText(col.title).width + 2 * pad]];
      ctx.font = `${style.getPropertyValue('--gdg-base-font-style')} ${family}`;
      for (let r = 0; r < outer.rows; r++) {
        const cell = outer.getCellContent([i, r]);
        if (cell.kind === 'text' || cell.kind === 'number') {
          const text = String(cell.displayData ?? cell.data ?? '');
          texts.push([text, ctx.measureText(text).width + 2 * pad]);
        }
      }
      for (const [text, need] of texts)
        if (need > width + 0.5) cut.push({grid: g, column: col.title, text, need: Math.ceil(need), width});
    });
    return cut;
  }).flat();
}"""


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
        assert {"Variation", "Assurance", "Last 8 quarters"} <= set(g["headers"]), g["headers"]
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


def _first_red_row_bottom(page) -> float:
    """How far down the page, on first load, the first red row of the first grid with a red row ends (pixels)."""
    return page.evaluate("""() => { for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        for (const e of grid.querySelectorAll('.stDataFrameGlideDataEditor')) {
            let f = e[Object.keys(e).find(k => k.startsWith('__reactFiber'))];
            while (f && !(f.memoizedProps && f.memoizedProps.getCellContent && f.memoizedProps.onGridSelectionChange))
                f = f.return;
            if (!f) continue;
            const p = f.memoizedProps, rag = p.columns.findIndex(c => c.title === 'RAG');
            for (let r = 0; rag >= 0 && r < p.rows; r++)
                if (p.getCellContent([rag, r]).data === 'Red')
                    return grid.getBoundingClientRect().top + window.scrollY + p.headerHeight + p.rowHeight * (r + 1);
        }
    } return Infinity; }""")


def test_overview_shows_every_key_cell_whole_and_a_red_row_on_first_load(app_server, laptop_page):
    """At 1366x668 the first red row is on screen without scrolling, and no cell is cut short: measure names,
    values, RAG and headers in full, commentary out of the grid."""
    page = laptop_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    page.get_by_text("Quality strand", exact=True).wait_for()
    grids = _grids(page, 3)
    assert page.evaluate("window.scrollY") == 0
    assert _first_red_row_bottom(page) <= 668
    assert page.evaluate(CUT_CELLS) == []
    for g in grids:
        assert g["scrollHeight"] <= g["clientHeight"] + 1 and g["scrollWidth"] <= g["clientWidth"] + 1, g
        assert "None" not in g["cells"]


def test_overview_for_the_police_shows_not_collected_and_small_numbers_whole(app_server, laptop_page):
    page = laptop_page
    sign_in(page, app_server, "analyst.police", DEMO_PASSWORD)
    page.get_by_text("Quality strand", exact=True).wait_for()
    _grids(page, 1)
    assert page.evaluate(CUT_CELLS) == []


def test_partner_view_shows_red_first_and_whole_on_a_laptop(app_server, laptop_page):
    page = laptop_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    open_from_menu(page, "Partner view", "Board")
    page.get_by_text("Their returns", exact=True).wait_for()
    grids = _grids(page, 3)
    figures = grids[0]
    assert figures["scrollHeight"] <= figures["clientHeight"] + 1, figures  # every row in view
    rags = [c for c in figures["cells"] if c in ("Red", "Amber", "Green")]
    assert rags and rags == sorted(rags, key={"Red": 0, "Amber": 1, "Green": 2}.get)
    assert _first_red_row_bottom(page) <= 668
    assert page.evaluate(CUT_CELLS) == []


def test_audit_findings_show_whole_on_a_laptop(app_server, laptop_page):
    page = laptop_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    open_from_menu(page, "Audits", "Review")
    page.get_by_text("Findings and actions", exact=True).wait_for()
    grids = _grids(page, 4)
    assert all("None" not in g["cells"] for g in grids)
    assert page.evaluate(CUT_CELLS) == []
