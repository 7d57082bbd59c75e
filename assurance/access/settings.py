"""How people sign in: the [auth] section of the Board configuration (data/board.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from assurance import config
from assurance.config import ConfigError

MODES = ("local", "oidc")


@dataclass(frozen=True)
class AuthSettings:
    mode: str = "local"  # local accounts, or OpenID Connect through st.login
    provider: str | None = None  # st.login provider name ([auth.NAME] in .streamlit/secrets.toml); None = [auth]
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 30  # a local sign-in ends after this long without use
    demo_accounts: bool = False  # ready demo accounts: only when the Board is in demo mode


def auth_settings() -> AuthSettings:
    path = config.board_config_path()
    board = config.board()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {})
    except (OSError, tomllib.TOMLDecodeError):
        raw = {}
    mode = str(raw.get("mode", "local")).strip().lower()
    if mode not in MODES:
        raise ConfigError(f"[auth] mode in {path.name} is {mode!r}; use \"local\" or \"oidc\".")
    return AuthSettings(
        mode=mode,
        provider=raw.get("provider") or None,
        max_failed_sign_ins=int(raw.get("max_failed_sign_ins", 5)),
        lockout_minutes=int(raw.get("lockout_minutes", 15)),
        idle_minutes=int(raw.get("idle_minutes", 30)),
        demo_accounts=board.demo and bool(raw.get("demo_accounts", True)),
    )
