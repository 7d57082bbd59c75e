from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import menu_titles, wait_until_idle


def test_an_analyst_sees_only_their_pages_and_partner(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/admin_users")  # a deep link before sign-in shows the sign-in form, not the page
    wait_until_idle(page)
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Username").fill("analyst.police")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_until_idle(page)
    page.get_by_text("Pat Analyst (Police)").wait_for()
    page.get_by_role("heading", name="Overview").wait_for()  # the deep link is not theirs: the default page
    assert page.get_by_role("heading", name="Users").count() == 0
    nav = page.locator('[data-testid="stTopNav"]')
    assert nav.get_by_text("Admin", exact=True).count() == 0
    titles = menu_titles(page)
    assert "Overview" in titles and "Submissions" in titles
    for hidden in ("Partners", "Users", "Audit trail", "Board pack", "Concerns and enquiries", "Demographics",
                   "MSP and risk outcomes"):  # the police make no activity return
        assert hidden not in titles, hidden
    partner = page.locator('[data-testid="stSidebar"] input[aria-label="Partner"]')
    assert partner.input_value() == "Demo Shire Police (POL)" and partner.is_disabled()
    # Typing the URL of an admin page does not reach it.
    page.goto(f"{app_server}/admin_audit")
    wait_until_idle(page)
    page.wait_for_timeout(1000)
    assert page.get_by_role("heading", name="Audit trail").count() == 0
