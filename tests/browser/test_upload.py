"""A workbook uploaded through Debian's Chromium gets its validation report."""

import pytest

from assurance.access.accounts import UserInfo, create_user
from assurance.db.engine import get_engine
from tests.browser.conftest import open_from_menu, sign_in, wait_until_idle
from tests.returns.builders import activity_sheets, xlsx

PASSWORD = "council analyst password"


@pytest.fixture
def demo_url(db_url):
    """Serve a fresh database, not the shared read-only demo: a rejected upload is recorded. The council's analyst
    signs in."""
    create_user(get_engine(db_url), UserInfo(None, "setup", "setup", "admin"), "sam", "Sam Analyst", "analyst", "LA",
                password=PASSWORD)
    return db_url


def test_upload_shows_the_validation_report(app_server, browser_page, tmp_path):
    sheets = activity_sheets(8)
    sheets["Concerns"][2][6] = "Femail"
    path = tmp_path / "LA 2025-26 Q2.xlsx"
    path.write_bytes(xlsx(sheets))
    page = browser_page
    sign_in(page, app_server, "sam", PASSWORD)
    open_from_menu(page, "Upload a return", "Returns")
    page.get_by_text("Submitting as Sam Analyst").wait_for()
    page.set_input_files('[data-testid="stFileUploader"] input[type="file"]', str(path))
    page.get_by_text("Validation report").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.get_by_text("This return cannot be loaded: it has 1 error.", exact=False).wait_for(timeout=60_000)
    page.get_by_text("Problems by rule").wait_for()
    assert page.get_by_text("Safeguarding activity return LA 2025-26 Q2 from LA 2025-26 Q2.xlsx", exact=False).count() == 1
    assert page.get_by_role("button", name="Download the workbook with problem cells highlighted").count() == 1


# Every cell of the static problem table: how wide its text is against the room it has, and the table against
# the main area.
PROBLEM_CELLS = """() => {
    const table = document.querySelector('[data-testid="stTable"] table');
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    return {table: table.getBoundingClientRect().right, main: main.getBoundingClientRect().right,
            scroll: table.parentElement.scrollWidth, room: table.parentElement.clientWidth,
            cut: [...table.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1)
                 .map(c => c.textContent.trim()),
            text: [...table.querySelectorAll('td')].map(c => c.textContent.trim())};
}"""


def test_every_problem_reads_in_full_on_a_laptop(app_server, laptop_page, tmp_path):
    sheets = activity_sheets(8)
    sheets["Concerns"][2][5] = 15  # under 18: the longest fix
    sheets["Enquiries"][1][6] = "Financal Abuse"
    path = tmp_path / "LA 2025-26 Q2.xlsx"
    path.write_bytes(xlsx(sheets))
    page = laptop_page
    sign_in(page, app_server, "sam", PASSWORD)
    open_from_menu(page, "Upload a return", "Returns")
    page.set_input_files('[data-testid="stFileUploader"] input[type="file"]', str(path))
    page.get_by_text("Every problem").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.locator('[data-testid="stTable"]').wait_for()
    shown = page.evaluate(PROBLEM_CELLS)
    assert shown["cut"] == [] and shown["scroll"] <= shown["room"] + 1, shown  # nothing cut short, no sideways scroll
    assert shown["table"] <= shown["main"] + 1 and shown["main"] <= 1366
    fix = "Check the age; a child's concern belongs to children's safeguarding, so remove the row if it is right."
    assert fix in shown["text"] and "Concerns F3" in shown["text"]
