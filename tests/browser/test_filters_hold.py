"""The sidebar's period and partner hold across page changes and a refresh, and are in view on a laptop screen."""

from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import choose, chosen, open_from_menu, sign_in, wait_until_idle

COUNCIL = "Demo Borough Council (Adult Social Care) (LA)"
WALK = [("Concerns and enquiries", "Review"), ("Demographics", "Review"), ("MSP and risk outcomes", "Review"),
        ("Audits", "Review"), ("Overview", "Review")]


def test_the_period_and_partner_hold_across_pages_and_a_refresh(app_server, laptop_page):
    page = laptop_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    partner = page.locator('[data-testid="stSidebar"] input[aria-label="Partner"]')
    box = partner.bounding_box()
    assert box and box["y"] + box["height"] <= page.viewport_size["height"], box  # in view without scrolling

    choose(page, "Reporting period", "2025-26 Q4")
    choose(page, "Partner", COUNCIL)
    for title, section in WALK:
        open_from_menu(page, title, section)
        assert (chosen(page, "Reporting period"), chosen(page, "Partner")) == ("2025-26 Q4", COUNCIL), title
    page.reload()
    wait_until_idle(page)
    page.get_by_role("heading", name="Overview").wait_for()
    assert (chosen(page, "Reporting period"), chosen(page, "Partner")) == ("2025-26 Q4", COUNCIL)
    open_from_menu(page, "Demographics", "Review")
    assert (chosen(page, "Reporting period"), chosen(page, "Partner")) == ("2025-26 Q4", COUNCIL)
