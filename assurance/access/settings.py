"""How people sign in: the [auth] section of the Board configuration (board.toml in the instance folder), read with it."""

from __future__ import annotations

from assurance import config
from assurance.config import AuthSettings

__all__ = ["AuthSettings", "auth_settings"]


def auth_settings() -> AuthSettings:
    """The sign-in settings in force (re-read when the Board configuration changes)."""
    return config.board().auth
