"""Sign-in, the signed-in user and permission checks for pages (local accounts or OpenID Connect via st.login).

A local sign-in is bound to the browser's signed HttpOnly cookie (assurance.access.sessions, set by serve.py), so
it holds across refreshes and tabs until sign-out or idle time; the tab's server-side session (st.session_state)
keeps the user's id as well, and is all there is where no cookie comes (AppTest). The user is re-read from the
database on every run, so a disabled account or a changed role takes effect at once.
"""

from __future__ import annotations

import time

import streamlit as st

from assurance import config
from assurance.access import audit, sessions
from assurance.access.accounts import UserInfo, authenticate, get_user, oidc_sign_in
from assurance.access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from assurance.access.pages import PageRule, may_see
from assurance.access.roles import PERMISSIONS, can, can_use, role_label
from assurance.access.settings import auth_settings
from assurance.db.engine import get_engine
from ui.text import plain

SESSION_KEY = "auth_user_id"
SESSION_NAME = "auth_username"  # checked with the id, so a rebuilt database never hands a session to someone else
LAST_SEEN = "auth_last_seen"
_OIDC_KEY = "auth_oidc_user_id"
_THIS_RUN = "auth_user_this_run"


def _engine():
    return get_engine(config.database_url())


def browser_token() -> str | None:
    """The token in this browser's sign-in cookie, when the cookie is there and signed by this server."""
    try:
        cookies = st.context.cookies
    except Exception:  # noqa: BLE001 - no browser connection
        return None
    for https in (True, False):
        token = sessions.verify(cookies.get(sessions.cookie_name(https)))
        if token is not None:
            return token
    return None


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
        token = browser_token()
        user = _cookie_user(token, settings) if token else _tab_user(settings)
    if user is None or not user.active:
        for key in (SESSION_KEY, SESSION_NAME, LAST_SEEN):
            st.session_state.pop(key, None)
        return None
    return user


def _tab_user(settings) -> UserInfo | None:
    """The user signed in in this tab only (no cookie came with the connection), with its own idle clock."""
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
    return user


def _cookie_user(token: str, settings) -> UserInfo | None:
    """The user the browser's cookie names, while that sign-in is live (it ends on idle time here)."""
    found = sessions.judge(_engine(), token, settings.idle_minutes, client_address())
    if found.state != "live":
        return None
    user = get_user(_engine(), found.user_id)
    if user is None or user.username != found.username:
        return None
    sessions.touch(_engine(), token)
    st.session_state[SESSION_KEY], st.session_state[SESSION_NAME] = user.id, user.username
    return user


def record(action: str, target: str | None = None, details=None) -> None:
    """Write an event to the audit trail as the signed-in user, from the client's address."""
    user = current_user()
    audit.record(_engine(), user.actor if user else "anonymous", action, target, details, "app", client_address())


def require_page(user: UserInfo, rule: PageRule, partner_returns=()) -> None:
    """Stop the page with a plain refusal (recorded) unless the user may see it."""
    if may_see(rule, user, partner_returns):
        return
    audit.record(_engine(), user.actor, audit.ACCESS_REFUSED, rule.script, {"needs": rule.permission}, "app",
                 client_address())
    if not can_use(user, rule.permission):
        st.error(f"Your role ({role_label(user.role)}) does not allow you to {PERMISSIONS[rule.permission]}, so this "
                 "page is not available to you. Ask an administrator if you need it.", icon=":material/block:")
    else:
        st.error("This page shows figures from returns your organisation does not make.", icon=":material/block:")
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
            token = browser_token()
            if token is not None:
                sessions.bind(_engine(), token, result.user.id, result.user.username, client_address())
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
    token = browser_token()
    if token is not None:
        sessions.end(_engine(), token)
    for key in (SESSION_KEY, SESSION_NAME, _OIDC_KEY, LAST_SEEN, _THIS_RUN):
        st.session_state.pop(key, None)
    if auth_settings().mode == "oidc" and _oidc_logged_in():
        st.logout()


def sidebar_identity(user: UserInfo) -> None:
    with st.sidebar:
        where = f" · {plain(user.partner_code)}" if user.partner_code else ""
        st.markdown(f"**{plain(user.name)}**  \n{user.role_label}{where}")
        st.button("Sign out", key="sign-out", on_click=sign_out, icon=":material/logout:")
