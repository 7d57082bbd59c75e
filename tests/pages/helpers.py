"""Helpers for AppTest: run app.py signed in as a user, then a page, under the shared sidebar filters."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ROOT = Path(APP).parent

# A user per role for tests: the demo accounts' names, so the demo Board's own accounts are used when present.
TEST_USERS = {
    "analyst": ("analyst.police", "POL"),
    "qa": ("qa", None),
    "chair": ("chair", None),
    "partner_lead": ("lead.ambulance", "AMB"),
    "admin": ("admin", None),
}


def user_for_role(role: str = "chair", partner: str | None = None, username: str | None = None):
    """The user for `role` in the app's database (ASSURANCE_DATABASE_URL), created when missing."""
    from assurance import config
    from assurance.access.accounts import UserInfo, create_user, find_user
    from assurance.db.engine import get_engine

    default_name, default_partner = TEST_USERS[role]
    partner = partner or default_partner
    username = username or (default_name if partner == default_partner else f"{role}.{partner.lower()}")
    engine = get_engine(config.database_url())
    user = find_user(engine, username)
    if user is None:
        maker = UserInfo(None, "test", "test", "admin")
        user = create_user(engine, maker, username, username, role, partner, source="cli")
    assert user.role == role and user.partner_code == partner, (user, role, partner)
    return user


def sign_in(at: AppTest, user) -> AppTest:
    """Sign in the way the sign-in form does: the user's id in the server-side session."""
    from ui.auth import SESSION_KEY, SESSION_NAME

    at.session_state[SESSION_KEY] = user.id
    at.session_state[SESSION_NAME] = user.username
    return at


def open_page(page: str, period: str | None = None, partner: str | None = None, timeout: float = 60,
              role: str | None = "chair", user=None) -> AppTest:
    """Open `page` signed in as `user`, or as the test user for `role` (default: the chair; role=None: nobody)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if user is None and role is not None:
        user = user_for_role(role)
    if user is not None:
        sign_in(at, user)
    at.run()
    at.switch_page(page)
    at.run()
    if period is not None:
        at.sidebar.selectbox(key="period").set_value(period)
    if partner is not None:
        at.sidebar.selectbox(key="partner").set_value(partner)
    if period is not None or partner is not None:
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def app_pages() -> dict[str, list[tuple]]:
    """app.py's table of pages (section -> (script, title, icon, permission, fed_by)), read without running it."""
    from ui.navigation import declared

    return declared()


def open_script(page: str, user=None, timeout: float = 60) -> AppTest:
    """Run a page script on its own (not through the navigation), signed in as `user`: proves the page checks."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=timeout)
    if user is not None:
        sign_in(at, user)
    at.run()
    return at


def texts(at: AppTest) -> str:
    """All the text the page shows (markdown, captions, titles, alerts, metrics), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    parts.extend(f"{m.label}: {m.value}" for m in at.metric)
    return read("\n".join(parts))


def read(markdown: str) -> str:
    """Markdown as a person reads it: backslash escapes and invisible word joiners (see ui.plain) taken out."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")
