"""Sign-in, the signed-in user and permission checks for pages (local accounts or OpenID Connect via st.login).

The signed-in user's id lives in the server-side session (st.session_state); the user is re-read from the
database on every run, so a disabled account or a changed role takes effect at once.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import streamlit as st

from assurance import config
from assurance.access import audit
from assurance.access.accounts import UserInfo, authenticate, get_user, oidc_sign_in
from assurance.access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from assurance.access.roles import (
    DEFAULT_PAGE_PERMISSION,
    PAGE_PERMISSIONS,
    PERMISSIONS,
    can,
    can_use,
    role_label,
)
from assurance.access.settings import auth_settings
from ui.text import plain

SESSION_KEY = "auth_user_id"
SESSION_NAME = "auth_username"  # checked with the id, so a rebuilt database never hands a session to someone else
LAST_SEEN = "auth_last_seen"
_OIDC_KEY = "auth_oidc_user_id"
_THIS_RUN = "auth_user_this_run"


def _engine():
    from ui import engine

    return engine()


def client_address() -> str:
    """The client's IP address as the server sees it, or "local" (loopback, tests)."""
    try:
        ip = st.context.ip_address
    except Exception:  # no browser connection
        return "local"
    return ip if isinstance(ip, str) and ip else "local"


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False


def resolve_user(database_ready: bool = True) -> UserInfo | None:
    """Who is signed in, read from the database at the start of each run (app.py, for the navigation, and
    ui.page, for the page) and reused for the rest of the run through current_user: a disabled account or a
    changed role takes effect at the next run."""
    user = _read_user() if database_ready else None
    st.session_state[_THIS_RUN] = user
    return user


def current_user() -> UserInfo | None:
    """The signed-in user for this run; None when nobody is signed in."""
    if _THIS_RUN in st.session_state:
        return st.session_state[_THIS_RUN]
    return resolve_user()


def _read_user() -> UserInfo | None:
    settings = auth_settings()
    if settings.mode == "oidc":
        if not _oidc_logged_in():
            st.session_state.pop(_OIDC_KEY, None)
            return None
        user_id = st.session_state.get(_OIDC_KEY)
        if user_id is None:  # first run of this session: match the identity and record the sign-in once
            user = oidc_sign_in(_engine(), st.user.get("email"), client_address())
            st.session_state[_OIDC_KEY] = user.id if user else -1
            return user
        user = get_user(_engine(), user_id) if user_id > 0 else None
    else:
        user_id = st.session_state.get(SESSION_KEY)
        if user_id is None:
            return None
        user = get_user(_engine(), int(user_id))
        if user is not None and user.username != st.session_state.get(SESSION_NAME):
            user = None
        now = time.time()
        if user is not None and now - st.session_state.get(LAST_SEEN, now) > 60 * settings.idle_minutes:
            audit.record(_engine(), user.actor, audit.SIGNED_OUT_IDLE, user.username,
                         {"minutes": settings.idle_minutes}, "app", client_address())
            user = None
        st.session_state[LAST_SEEN] = now
    if user is None or not user.active:
        for key in (SESSION_KEY, SESSION_NAME, LAST_SEEN):
            st.session_state.pop(key, None)
        return None
    return user


def record(action: str, target: str | None = None, details=None) -> None:
    """Write an event to the audit trail as the signed-in user, from the client's address."""
    user = current_user()
    audit.record(_engine(), user.actor if user else "anonymous", action, target, details, "app", client_address())


def project_path(path) -> str:
    """A script's path relative to the project ("pages/x.py")."""
    path = Path(path).resolve()
    try:
        return path.relative_to(config.PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def caller_page(depth: int = 2) -> str:
    """The page script that called, to look up the permission it needs."""
    return project_path(sys._getframe(depth).f_code.co_filename)


def page_permission(page_path: str) -> str:
    return PAGE_PERMISSIONS.get(page_path, DEFAULT_PAGE_PERMISSION)


def require_page(user: UserInfo, needs: str, page_path: str) -> None:
    """Stop the page with a plain refusal (recorded) unless the user holds `needs`."""
    if can_use(user, needs):
        return
    audit.record(_engine(), user.actor, audit.ACCESS_REFUSED, page_path, {"needs": needs}, "app", client_address())
    st.error(f"Your role ({role_label(user.role)}) does not allow you to {PERMISSIONS[needs]}, so this page is not "
             "available to you. Ask an administrator if you need it.", icon=":material/block:")
    st.stop()


def allowed(permission: str, partner_id: int | None = None) -> bool:
    """Server-side check for an action on a page: may the signed-in user do this (for this partner)?"""
    return can(current_user(), permission, partner_id)


def sign_in_form() -> None:
    """The sign-in screen drawn instead of any page while nobody is signed in."""
    settings = auth_settings()
    board = config.board()
    st.title("Sign in")
    st.caption(plain(board.name))
    if settings.mode == "oidc":
        if _oidc_logged_in():  # signed in with the identity provider, but not a user of this product
            st.error(f"Your account ({plain(st.user.get('email') or 'no e-mail given')}) is not set up in this product, or "
                     "has been disabled. Ask an administrator to add you with this e-mail address.")
            if st.button("Sign out"):
                st.logout()
            return
        if st.button("Sign in with your organisation account", type="primary", icon=":material/login:"):
            try:
                st.login(settings.provider) if settings.provider else st.login()
            except Exception:  # noqa: BLE001 - not configured
                st.error("Sign-in is not configured yet: the administrator must fill in the [auth] section of "
                         ".streamlit/secrets.toml (see docs/security.md).")
        return
    with st.form("sign-in"):
        username = st.text_input("Username", key="sign-in-username", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign-in-password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        result = authenticate(_engine(), username, password, client_address(), settings=settings)
        if result.user is not None:
            st.session_state[SESSION_KEY] = result.user.id
            st.session_state[SESSION_NAME] = result.user.username
            st.session_state.pop(_THIS_RUN, None)
            st.rerun()
        st.error(result.message)
    if settings.demo_accounts:
        st.info(f"**Demo accounts** (synthetic demo only). The password for each is `{DEMO_PASSWORD}`.\n\n" +
                "\n".join(f"- `{u}`: {role_label(r)}" + (f" ({p})" if p else "") for u, _n, r, p in DEMO_ACCOUNTS),
                icon=":material/key:")


def sign_out() -> None:
    user = current_user()
    if user is not None:
        audit.record(_engine(), user.actor, audit.SIGN_OUT, user.username, None, "app", client_address())
    for key in (SESSION_KEY, SESSION_NAME, _OIDC_KEY, LAST_SEEN, _THIS_RUN):
        st.session_state.pop(key, None)
    if auth_settings().mode == "oidc" and _oidc_logged_in():
        st.logout()


def sidebar_identity(user: UserInfo) -> None:
    with st.sidebar:
        where = f" · {plain(user.partner_code)}" if user.partner_code else ""
        st.markdown(f"**{plain(user.name)}**  \n{user.role_label}{where}")
        st.button("Sign out", key="sign-out", on_click=sign_out, icon=":material/logout:")


def pages_for(pages: dict[str, list], user: UserInfo | None) -> dict[str, list]:
    """The navigation a user gets: only the pages their role may use (everything, hidden, before sign-in)."""
    def path(p) -> str:
        target = getattr(p, "_page", None)
        return project_path(target) if isinstance(target, (str, Path)) else ""

    if user is None:
        return pages
    out = {}
    for group, items in pages.items():
        keep = [p for p in items if can_use(user, page_permission(path(p)))]
        if keep:
            out[group] = keep
    if not out:  # no page allowed: keep the default so the refusal can be shown
        out = {g: [p for p in items if getattr(p, "_default", False)] for g, items in pages.items()}
        out = {g: v for g, v in out.items() if v}
    return out
