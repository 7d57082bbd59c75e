"""The web server: app.py under Streamlit's ASGI app, with the sign-in cookie. Start it with
`streamlit run serve.py` (as `make run` does), or `uvicorn serve:app`.

Every page load gets a browser token in a signed HttpOnly cookie unless its token already names a live sign-in
(assurance.access.sessions); signing in binds the token the page was loaded with, so a refresh or a new tab stays
signed in until sign-out, idle time or the end of the day.
"""

from __future__ import annotations

import os
from http.cookies import CookieError, SimpleCookie

from anyio import to_thread
from starlette.middleware import Middleware
from streamlit.starlette import App

from assurance import config
from assurance.access import sessions
from assurance.access.settings import auth_settings
from assurance.db.engine import get_engine


def _cookies(scope) -> dict[str, str]:
    raw = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie").decode("latin-1")
    try:
        jar = SimpleCookie(raw)
    except CookieError:
        return {}
    return {k: m.value for k, m in jar.items()}


def _https(scope) -> bool:
    return scope.get("scheme") == "https" or os.environ.get("ASSURANCE_HTTPS") == "1"


def _keeps_its_sign_in(value: str | None, address: str) -> bool:
    """Whether a browser's cookie names a live sign-in (then it is kept; anything else is replaced)."""
    token = sessions.verify(value)
    if token is None:
        return False
    try:
        found = sessions.judge(get_engine(config.database_url()), token, auth_settings().idle_minutes, address)
    except Exception:  # noqa: BLE001 - no database yet: a fresh token, and the page says what is wrong
        return False
    return found.state == "live"


_REVALIDATION = {b"cache-control", b"etag", b"last-modified"}  # the page is never cached


class SessionCookie:
    """Gives each page load (an HTML response) a browser token unless its cookie names a live sign-in."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        https = _https(scope)
        current = _cookies(scope).get(sessions.cookie_name(https))
        address = (scope.get("client") or ("local",))[0]

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/html"):
                    # never cached, so every page load comes here (a 304 would keep whatever token the browser has)
                    kept = [(k, v) for k, v in message.get("headers", []) if k not in _REVALIDATION]
                    kept.append((b"cache-control", b"no-store"))
                    if not await to_thread.run_sync(_keeps_its_sign_in, current, address):
                        value = sessions.sign(sessions.new_token())
                        kept.append((b"set-cookie", sessions.set_cookie_header(value, https).encode()))
                    message = {**message, "headers": kept}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


app = App("app.py", middleware=[Middleware(SessionCookie)])
