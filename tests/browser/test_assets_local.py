"""Nothing leaves the machine: every request the browser makes, on every page, goes to the app's own host."""

from urllib.parse import urlsplit

from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import menu_titles, open_from_menu, sign_in, wait_until_idle

SECTIONS = {"Review": ["Overview", "Concerns and enquiries", "Demographics", "MSP and risk outcomes", "Audits",
                       "Downloads"],
            "Board": ["Partner view", "Challenge log", "SAR and audit actions", "Board pack"],
            "Returns": ["Upload a return", "Submissions"],
            "Admin": ["Partners", "Periods and due dates", "Framework targets", "Population baseline", "Users",
                      "Audit trail"]}


def _walk(page, app_server, username) -> set[str]:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    sign_in(page, app_server, username, DEMO_PASSWORD)
    offered = menu_titles(page)
    walked = []
    for section, titles in SECTIONS.items():
        for title in titles:
            if title in offered:
                open_from_menu(page, title, section)
                page.wait_for_timeout(300)  # late requests (images, fonts) of the page
                walked.append(title)
    page.reload()
    wait_until_idle(page)
    page.wait_for_timeout(500)
    assert len(walked) >= 6, walked
    return {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in requested}


def test_every_request_goes_to_the_app_itself(app_server, browser_page, browser):
    assert _walk(browser_page, app_server, "chair") == {app_server}
    analyst = browser.new_context(viewport={"width": 1366, "height": 668}).new_page()
    assert _walk(analyst, app_server, "analyst.police") == {app_server}
    page_icon = browser_page.locator('link[rel="shortcut icon"], link[rel="icon"]').first.get_attribute("href")
    assert page_icon and not page_icon.startswith("http") or page_icon.startswith(app_server), page_icon
