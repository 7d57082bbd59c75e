"""A challenge raised from the partner view in Debian's Chromium appears in the challenge log."""

import re

import pytest

from assurance.access.demo_accounts import DEMO_PASSWORD
from tests.browser.conftest import open_from_menu, sign_in, wait_until_idle


@pytest.fixture
def demo_url(demo_copy_url):
    """A private copy of the demo: raising a challenge writes to the database."""
    return demo_copy_url


def test_raise_a_challenge_from_the_partner_view(app_server, browser_page):
    page = browser_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    open_from_menu(page, "Partner view", "Board")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Partner").click()
    page.keyboard.type("Integrated Care")  # the list may open below the fold: type to choose, as a user can
    page.get_by_role("option", name="Demo Integrated Care Board (ICB)").click()
    wait_until_idle(page)
    page.get_by_text("Raise a challenge to Demo Integrated Care Board").click()
    question = "Why are fewer of your staff in safeguarding supervision this quarter?"
    page.get_by_label("Question for the partner").fill(question)
    page.get_by_role("button", name="Raise challenge").click()
    page.get_by_text("raised with Demo Integrated Care Board", exact=False).wait_for(timeout=60_000)

    open_from_menu(page, "Challenge log", "Board")
    page.get_by_text("Work on a challenge").wait_for()
    page.locator('[data-testid="stText"]').filter(has_text=question).first.wait_for(timeout=30_000)
    # the partner chosen on one page is still chosen on the next
    page.get_by_text(re.compile(r"challenges? for Demo Integrated Care Board")).wait_for()
