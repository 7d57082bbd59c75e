"""A real Streamlit server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_server(demo_url, tmp_path):
    """Serve the app as `make run` does (serve.py: app.py with the sign-in cookie) on loopback against the demo
    database, with a signing secret of its own; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "ASSURANCE_DATABASE_URL": demo_url, "ASSURANCE_INSTANCE_DIR": str(tmp_path / "instance")}
    env.pop("ASSURANCE_SESSION_SECRET", None)  # the secret is made in the instance folder, as on a new install
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("Streamlit did not start: " + proc.stdout.read1(10000).decode(errors="replace"))
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def browser():
    require(Path(CHROMIUM).exists() or shutil.which("chromium") is not None, "Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(browser):
    """One browser profile (its tabs share cookies)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context):
    return browser_context.new_page()


@pytest.fixture
def laptop_page(browser):
    """A tab the size of a 1366x768 laptop screen (the browser's own bars take about 100 pixels)."""
    context = browser.new_context(viewport={"width": 1366, "height": 668})
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def wait_until_idle(page) -> None:
    """Streamlit has finished running the script (content is drawn)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def sign_in(page, base: str, username: str, password: str, path: str = "") -> None:
    """Open the app and sign in through the form (the session then lives as long as the tab)."""
    page.goto(f"{base}/{path}")
    wait_until_idle(page)
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    wait_until_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").wait_for()


def open_from_menu(page, title: str, section: str | None = None) -> None:
    """Open a page from the navigation (the menu along the top, or the sidebar's list) and wait for its title."""
    top = page.locator('[data-testid="stTopNav"]')
    if top.count():
        top.get_by_text(section, exact=True).click()
        page.locator('[data-testid="stTopNavPopoverBody"]').get_by_text(title, exact=True).click()
    else:
        page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_until_idle(page)
    page.get_by_role("heading", name=title).wait_for()


def menu_titles(page) -> set[str]:
    """Every page title the navigation offers (opening each section of the top menu in turn)."""
    top = page.locator('[data-testid="stTopNav"]')
    if not top.count():
        return set(page.locator('[data-testid="stSidebarNav"] a').all_inner_texts())
    titles = set()
    for section in top.locator('[data-testid="stTopNavSection"]').all():
        section.click()
        titles |= {t.strip().splitlines()[-1] for t in  # the icon's name comes first
                   page.locator('[data-testid="stTopNavDropdownLink"]').all_inner_texts()}
        page.keyboard.press("Escape")
    return titles


def choose(page, label: str, option: str) -> None:
    """Choose an option in one of the sidebar's select boxes."""
    page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]').click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)


def chosen(page, label: str) -> str:
    return page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]').input_value()
