"""A local sign-in holds across a refresh and a new tab, through a signed HttpOnly cookie, until sign-out or idle."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from assurance.access import sessions
from assurance.access.demo_accounts import DEMO_PASSWORD
from assurance.db.models import AuditEvent, WebSession
from tests.browser.conftest import sign_in, wait_until_idle



@pytest.fixture
def demo_url(demo_copy_url):
    """Sign-ins write web sessions: a private copy of the demo Board."""
    return demo_copy_url


SIGNED_IN = '[data-testid="stSidebar"] button:has-text("Sign out")'


def _shows_sign_in(page) -> bool:
    """The sign-in form, and no Sign out button once the run has finished (a rerun's stale elements go at its end)."""
    page.get_by_role("heading", name="Sign in").wait_for()
    wait_until_idle(page)
    try:
        page.locator(SIGNED_IN).wait_for(state="detached", timeout=15_000)
    except Exception:  # noqa: BLE001 - Playwright's timeout: still signed in
        return False
    return True


def _reload(page):
    page.reload()
    wait_until_idle(page)


def _the_cookie(context):
    return next(c for c in context.cookies() if c["name"] == sessions.COOKIE)


def _row(engine, context):
    """This browser's web session (the database keeps the SHA-256 of its token, never the token)."""
    token = _the_cookie(context)["value"].split(".")[0]
    with engine.connect() as c:
        return c.execute(select(WebSession).where(WebSession.id == sessions.session_id(token))).one_or_none()


def test_a_sign_in_survives_a_refresh_and_a_new_tab_until_sign_out(app_server, browser_page, demo_engine):
    page = browser_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    cookie = _the_cookie(page.context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["expires"] > 0
    assert page.evaluate("document.cookie").find(sessions.COOKIE) == -1  # no script on the page can read it

    _reload(page)
    page.locator(SIGNED_IN).wait_for()
    page.get_by_role("heading", name="Overview").wait_for()
    second = page.context.new_page()
    second.goto(f"{app_server}/concerns")
    wait_until_idle(second)
    second.get_by_role("heading", name="Concerns and enquiries").wait_for()
    second.locator(SIGNED_IN).wait_for()  # still signed in
    row = _row(demo_engine, page.context)
    assert row.username == "chair" and row.ended_at is None

    second.locator(SIGNED_IN).click()
    wait_until_idle(second)
    assert _shows_sign_in(second)
    assert _row(demo_engine, page.context).ended_at is not None
    _reload(page)  # the other tab is signed out too
    assert _shows_sign_in(page)
    with demo_engine.connect() as c:
        actions = c.scalars(select(AuditEvent.action).where(AuditEvent.actor == "chair")).all()
    assert "sign-in" in actions and "sign-out" in actions


def test_a_link_from_another_site_keeps_the_sign_in_and_pages_are_never_cached(app_server, browser_page):
    """A link in an e-mail or on the intranet opens the app signed in (a Strict cookie stays behind on such a link,
    and the page load then replaced the signed-in token: signed out in every tab). The page itself is never cached,
    so no page load can skip the token check with a 304."""
    page = browser_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    signed_in = _the_cookie(page.context)["value"]
    page.route("http://intranet.example/**", lambda route: route.fulfill(
        content_type="text/html", body=f'<a id="go" href="{app_server}/concerns">Safeguarding dashboard</a>'))
    page.goto("http://intranet.example/")
    page.click("#go")
    wait_until_idle(page)
    page.get_by_role("heading", name="Concerns and enquiries").wait_for()
    page.locator(SIGNED_IN).wait_for()
    assert _the_cookie(page.context)["value"] == signed_in
    response = page.request.get(app_server)
    assert response.headers.get("cache-control") == "no-store"
    assert "etag" not in response.headers and "last-modified" not in response.headers


def test_a_forged_or_tampered_cookie_signs_nobody_in(app_server, browser_page, demo_engine):
    page = browser_page
    sign_in(page, app_server, "chair", DEMO_PASSWORD)
    cookie = _the_cookie(page.context)
    token, signature = cookie["value"].split(".")
    forged = [
        f"{token[:-1]}{'A' if token[-1] != 'A' else 'B'}.{signature}",  # another token under the chair's signature
        f"{token}.{'0' * 64}",  # the chair's token, unsigned
        sessions.sign(token, b"not the server's secret, but long enough"),
        token,
    ]
    for value in forged:
        other = page.context.browser.new_context()
        other.add_cookies([{**cookie, "value": value}])
        tab = other.new_page()
        tab.goto(app_server)
        wait_until_idle(tab)
        assert _shows_sign_in(tab), value
        assert _the_cookie(other)["value"] != value  # the server replaced it with a token of its own
        other.close()
    assert _row(demo_engine, page.context).ended_at is None  # the chair's own sign-in is untouched


def test_an_idle_or_ended_sign_in_does_not_come_back(app_server, browser_page, demo_engine):
    page = browser_page
    sign_in(page, app_server, "qa", DEMO_PASSWORD)
    sid = _row(demo_engine, page.context).id
    with demo_engine.begin() as c:  # the last activity was long ago
        c.execute(update(WebSession).where(WebSession.id == sid)
                  .values(last_seen_at=datetime.now() - timedelta(hours=3)))
    _reload(page)
    assert _shows_sign_in(page)
    with demo_engine.connect() as c:
        assert c.scalar(select(WebSession.ended_at).where(WebSession.id == sid)) is not None
        idle = c.scalars(select(AuditEvent.action).where(AuditEvent.actor == "qa")).all()
    assert idle.count("signed out (idle)") == 1

    sign_in(page, app_server, "qa", DEMO_PASSWORD)
    sid = _row(demo_engine, page.context).id
    with demo_engine.begin() as c:  # ended elsewhere (as sign-out in another tab does)
        c.execute(update(WebSession).where(WebSession.id == sid).values(ended_at=datetime.now()))
    _reload(page)
    assert _shows_sign_in(page)


def test_a_token_planted_before_sign_in_is_replaced_on_the_next_page_load(app_server, browser_page):
    page = browser_page
    page.goto(app_server)
    wait_until_idle(page)
    planted = _the_cookie(page.context)["value"]  # a token the server issued, unbound
    _reload(page)
    assert _the_cookie(page.context)["value"] != planted
