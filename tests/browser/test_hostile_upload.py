"""A hostile upload in one browser does not disturb another: while the reader's worker struggles with the file
and dies of its memory budget, a second user's pages keep working, and the server stays up."""

import urllib.request

import pytest

from assurance.access.accounts import UserInfo, create_user
from assurance.db.engine import get_engine
from tests.browser.conftest import open_from_menu, sign_in
from tests.returns.hostile import corpus

PASSWORD = "a long test password for both"


@pytest.fixture
def demo_url(demo_copy_url):
    """A private copy of the demo Board, with an analyst who uploads and a chair who reads."""
    engine = get_engine(demo_copy_url)
    setup = UserInfo(None, "setup", "setup", "admin")
    create_user(engine, setup, "sam", "Sam Analyst", "analyst", "LA", password=PASSWORD)
    create_user(engine, setup, "cara", "Cara Chair", "chair", password=PASSWORD)
    return demo_copy_url


def test_a_second_user_is_served_while_a_hostile_upload_is_read(app_server, browser_page, tmp_path):
    hostile = next(c for c in corpus(quick=True) if c.key == "ods-repeated-cells")
    path = tmp_path / hostile.file_name
    path.write_bytes(hostile.data)
    uploader = browser_page
    sign_in(uploader, app_server, "sam", PASSWORD)
    open_from_menu(uploader, "Upload a return", "Returns")
    other = uploader.context.browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.set_default_timeout(60_000)  # a second user: a browser context of their own, with its own session
    sign_in(other, app_server, "cara", PASSWORD)
    uploader.set_input_files('[data-testid="stFileUploader"] input[type="file"]', str(path))
    uploader.get_by_text("Reading the file").wait_for()  # the worker is at it
    for page_name in ("Concerns and enquiries", "Overview"):
        open_from_menu(other, page_name, "Review")
    uploader.get_by_text(hostile.says, exact=False).wait_for(timeout=120_000)
    assert other.locator('[data-testid="stException"]').count() == 0
    assert uploader.locator('[data-testid="stException"]').count() == 0
    assert uploader.get_by_text("Nothing has been changed.", exact=False).count() == 1
    assert urllib.request.urlopen(f"{app_server}/_stcore/health", timeout=5).read() == b"ok"
