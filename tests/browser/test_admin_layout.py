"""The Admin pages on a 1366x768 laptop (a browser area of 1366x668) in Chromium: no table scrolls sideways, and no
key column's text is cut short, read from the grid's own drawing."""

from __future__ import annotations

import pytest

from assurance.access import audit
from assurance.access.demo_accounts import DEMO_PASSWORD
from assurance.db.engine import get_engine
from assurance.measures.framework import framework
from tests.browser.conftest import open_from_menu, sign_in

# Streamlit's table is drawn on a canvas: its border lines split it into cells, and text that does not fit is clipped
# at a cell's right border (or, when rows are tall enough to wrap, its bottom) with no ellipsis. So a cell whose
# text reaches the last pixels before its right or bottom border was cut short. Rows are those in view.
CUT_CELLS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(grid => {
    const BORDER = "232,233,234";
    const canvas = grid.querySelector('canvas[data-testid="data-grid-canvas"]');
    const w = canvas.width, h = canvas.height;
    const d = canvas.getContext("2d").getImageData(0, 0, w, h).data;
    const px = (x, y) => { const i = (y * w + x) * 4; return `${d[i]},${d[i + 1]},${d[i + 2]}`; };
    const share = (n, f) => { let k = 0; for (let i = 0; i < n; i++) k += f(i) ? 1 : 0; return k / n; };
    const lines = (n, f) => {  // the first pixel of each border line
        const a = [];
        for (let i = 0; i < n; i++) if (share(f.n, j => f.at(i, j) === BORDER) > 0.8) a.push(i);
        return a.filter((v, i) => i === 0 || v !== a[i - 1] + 1);
    };
    const starts = a => a.filter((v, i) => i === 0 || v - a[i - 1] > 4);
    const cols = starts([0, ...lines(w, {n: h, at: (x, y) => px(x, y)})]);
    const rows = starts([0, ...lines(h, {n: w, at: (y, x) => px(x, y)}), h]);
    const cut = cols.map(() => 0);
    cols.forEach((x0, c) => {
        const x1 = c + 1 < cols.length ? cols[c + 1] : w;
        for (let r = 0; r + 1 < rows.length; r++) {
            const y0 = rows[r], y1 = rows[r + 1];
            if (y1 - y0 < 20 || x1 - x0 < 8) continue;
            const bg = px(x0 + 2, y0 + 3);
            let touched = false;
            for (let x = x1 - 3; x < x1 && !touched; x++)
                for (let y = y0 + 4; y < y1 - 3 && !touched; y++) touched = px(x, y) !== bg;
            if (y1 - y0 > 40)  // rows that wrap: text cut at the bottom
                for (let y = y1 - 3; y < y1 && !touched; y++)
                    for (let x = x0 + 4; x < x1 - 3 && !touched; x++) touched = px(x, y) !== bg;
            if (touched) cut[c] += 1;
        }
    });
    const headers = [...grid.querySelectorAll("[role=columnheader]")].map(e => e.textContent.trim());
    const s = grid.querySelector(".dvn-scroller");
    const offset = cols.length - headers.length;  // a picking column's checkboxes come first
    return {headers, cut: Object.fromEntries(headers.map((name, i) => [name, cut[i + offset]])),
            scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, right: grid.getBoundingClientRect().right};
})"""

# page title -> (tables, the columns that must show whole: None for every column)
PAGES = {
    "Partners": (1, None),
    "Periods and due dates": (1, None),
    "Framework targets": (2, None),
    "Population baseline": (3, None),
    "Users": (1, None),
    "Audit trail": (1, ["When", "Who", "Action", "Target"]),
}


@pytest.fixture
def demo_url(demo_copy_url):
    """The browser's server runs on a copy of the demo: this test writes to its audit trail."""
    return demo_copy_url


def _grids(page, expected: int):
    page.wait_for_function("""n => { const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
        return grids.length >= n && grids.every(g => g.querySelector('canvas[data-testid="data-grid-canvas"]')
                                                   && g.querySelectorAll('[role=columnheader]').length > 0); }""",
                           arg=expected)
    page.wait_for_timeout(1500)  # the grids size their columns after the first paint
    return page.evaluate(CUT_CELLS)


def test_admin_tables_fit_a_laptop_with_key_columns_whole(demo_url, app_server, laptop_page):
    engine = get_engine(demo_url)
    longest = max(framework().measures, key=lambda m: len(m.name))
    audit.record(engine, "Fire safeguarding lead (demo)", "commentary confirmed", f"{longest.id} 2026-27 Q2",
                 {"partner": "LA"})
    audit.record(engine, "admin", "spc recalculation recorded", f"{longest.id} from 2025-26 Q3", {"partner_id": None})
    audit.record(engine, "admin", "admin change", "partner: LA", {"name": ["Demo Council", "Demo Borough Council"]})
    page = laptop_page
    sign_in(page, app_server, "admin", DEMO_PASSWORD)
    for title, (tables, key_columns) in PAGES.items():
        open_from_menu(page, title, "Admin")
        grids = _grids(page, tables)
        assert len(grids) == tables, title
        for g in grids:
            assert g["scrollWidth"] <= g["clientWidth"] + 1 and g["right"] <= 1366, (title, g)  # no sideways scroll
            whole = key_columns or g["headers"]
            assert not {c: n for c, n in g["cut"].items() if c in whole and n}, (title, g)
