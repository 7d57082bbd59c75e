from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import menu_titles, open_from_menu, wait_until_idle


def test_banner_and_navigation_in_chromium(app_server, browser_page):
    page = browser_page
    page.goto(app_server)
    wait_until_idle(page)
    page.get_by_text("Synthetic demo data.").wait_for()
    page.get_by_role("heading", name="Sign in").wait_for()  # nothing is shown before sign-in
    assert page.get_by_text("Concerns received", exact=True).count() == 0
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_until_idle(page)
    page.get_by_text("Ada Administrator").wait_for()
    nav = page.locator('[data-testid="stTopNav"]')
    for group in ("Review", "Board", "Returns", "Admin"):
        assert nav.get_by_text(group, exact=True).count() == 1, group
    assert {"Overview", "Population baseline", "Users"} <= menu_titles(page)
    page.get_by_text("Data strand", exact=True).wait_for()
    open_from_menu(page, "Population baseline", "Admin")
    page.get_by_text("In use: Luton").wait_for()
    assert page.get_by_text("Synthetic demo data.").is_visible()  # the banner stays on every page
