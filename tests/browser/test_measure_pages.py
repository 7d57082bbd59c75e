"""The Concerns and MSP pages on a 1366x768 laptop screen in Chromium: every headline figure, its full name and its
RAG are on the first screen, and no text there is cut short with an ellipsis."""

import re

import pytest

from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import open_from_menu, sign_in
from tests.pages.test_measure_pages import CONCERNS, OUTCOMES

CUT_SHORT = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getBoundingClientRect().top < window.innerHeight && e.scrollWidth > e.clientWidth + 1
                 && getComputedStyle(e).textOverflow === 'ellipsis')
    .map(e => e.textContent)"""


@pytest.mark.parametrize("nav, names", [("Concerns and enquiries", CONCERNS), ("MSP and risk outcomes", OUTCOMES)])
def test_headlines_fit_a_laptop_screen(app_server, browser_page, nav, names):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    open_from_menu(page, nav, "Review")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    assert page.evaluate(CUT_SHORT) == []
    main = page.locator('[data-testid="stMain"]')
    for name in names:
        shown = main.locator("strong").filter(has_text=re.compile(f"^{re.escape(name)}$"))
        shown.wait_for()
        box = shown.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 768, f"{name} is below the first screen"
