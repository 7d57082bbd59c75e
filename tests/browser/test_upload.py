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
