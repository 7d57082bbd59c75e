"""Settings from the environment and the instance folder: database URL, the Board and its partners.

The product ships its default Board configuration and framework in assurance/defaults/. An installation's own
copies live in its instance folder (assurance.paths: ASSURANCE_INSTANCE_DIR, else instance/): made from the
defaults the first time they are needed (or carried over from data/, where earlier versions kept them), then
edited by the administrator (by hand or on the Admin pages). The defaults and data/ are never written.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from assurance.errors import AssuranceError
from assurance.measures.conventions import WEEKEND_RECEIPT
from assurance.paths import DATA_DIR, DEFAULTS_DIR, PROJECT_ROOT, installed_file  # noqa: F401 - used by callers
from assurance.reference.codelists import codelist
from assurance.reference.population import areas, canonical_area
from assurance.returns.catalogue import RETURN_TYPES  # noqa: F401  (type -> title, from the return spec files)

DEFAULT_DB_PATH = DATA_DIR / "assurance.db"


class ConfigError(AssuranceError):
    """The Board configuration cannot be used; the message says what to fix."""


def database_url() -> str:
    """The database in use: ASSURANCE_DATABASE_URL, or the SQLite file under data/."""
    return os.environ.get("ASSURANCE_DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


def board_config_path() -> Path:
    """ASSURANCE_BOARD_CONFIG, or the instance folder's board.toml."""
    env = os.environ.get("ASSURANCE_BOARD_CONFIG")
    return Path(env) if env else installed_file("board.toml")


@dataclass(frozen=True)
class PartnerConfig:
    code: str
    name: str
    type: str
    returns: tuple[str, ...] = ()
    active: bool = True  # an inactive partner is kept for history and hidden from new work


AUTH_MODES = ("local", "oidc")


@dataclass(frozen=True)
class AuthSettings:
    """How people sign in: the [auth] section of the Board configuration."""

    mode: str = "local"  # local accounts, or OpenID Connect through st.login
    provider: str | None = None  # st.login provider name ([auth.NAME] in .streamlit/secrets.toml); None = [auth]
    max_failed_sign_ins: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 30  # a local sign-in ends after this long without use
    demo_accounts: bool = False  # ready demo accounts: only when the Board is in demo mode


@dataclass(frozen=True)
class BoardConfig:
    name: str
    area: str
    population_area: str
    population_note: str
    first_period: str
    return_due_days: int
    publication_mode: bool
    demo: bool
    partners: tuple[PartnerConfig, ...] = field(default_factory=tuple)
    auth: AuthSettings = field(default_factory=AuthSettings)
    # Working days to a concern decision: counted after the day of receipt ("as received"), or a concern received at
    # a weekend or on a bank holiday counted from the next working day ("next working day"). [figures] in board.toml.
    weekend_receipt: str = "as received"

    def partner(self, code: str) -> PartnerConfig:
        for p in self.partners:
            if p.code == code:
                return p
        raise ConfigError(f"No partner with code {code!r} in the Board configuration.")


def read_toml(path: Path, what: str) -> dict:
    """A configuration file's contents, or a ConfigError saying plainly what is wrong with it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{what} not found at {path}.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} {path} is not valid TOML: {exc}") from exc


def load_board_config(path: Path | None = None) -> BoardConfig:
    path = path or board_config_path()
    raw = read_toml(path, "Board configuration")

    board = raw.get("board", {})
    partner_types = codelist("partner_type")
    partners = []
    seen = set()
    for i, p in enumerate(raw.get("partners", []), start=1):
        missing = [k for k in ("code", "name", "type") if not p.get(k)]
        if missing:
            raise ConfigError(f"Partner {i} in {path.name} is missing {', '.join(missing)}.")
        ptype = partner_types.match(p["type"])
        if ptype is None:
            raise ConfigError(
                f"Partner {p['code']} in {path.name} has type {p['type']!r}; "
                f"use one of: {', '.join(partner_types.values)}."
            )
        code = str(p["code"]).strip().upper()
        if code in seen:
            raise ConfigError(f"Partner code {code} appears twice in {path.name}.")
        seen.add(code)
        unknown = [r for r in p.get("returns", []) if r not in RETURN_TYPES]
        if unknown:
            raise ConfigError(
                f"Partner {code} in {path.name} lists unknown return types {unknown}; "
                f"use {', '.join(RETURN_TYPES)}."
            )
        partners.append(PartnerConfig(code, str(p["name"]).strip(), ptype, tuple(p.get("returns", [])),
                                      bool(p.get("active", True))))
    if not partners:
        raise ConfigError(f"{path.name} defines no partners.")
    return BoardConfig(
        name=board.get("name", "Safeguarding Adults Board"),
        area=board.get("area", ""),
        population_area=_population_area(board.get("population_area", "England"), path),
        population_note=board.get("population_note", ""),
        first_period=board.get("first_period", "2023-24 Q1"),
        return_due_days=int(board.get("return_due_days", 30)),
        publication_mode=bool(board.get("publication_mode", False)),
        demo=bool(board.get("demo", False)),
        partners=tuple(partners),
        auth=_auth_settings(raw.get("auth", {}), bool(board.get("demo", False)), path),
        weekend_receipt=_weekend_receipt(raw.get("figures", {}), path),
    )


def _weekend_receipt(raw: dict, path: Path) -> str:
    value = str(raw.get("weekend_receipt", WEEKEND_RECEIPT[0])).strip().lower()
    if value not in WEEKEND_RECEIPT:
        raise ConfigError(f"[figures] weekend_receipt in {path.name} is {value!r}; use "
                          + " or ".join(f'"{v}"' for v in WEEKEND_RECEIPT) + ".")
    return value


def _auth_settings(raw: dict, demo: bool, path: Path) -> AuthSettings:
    mode = str(raw.get("mode", "local")).strip().lower()
    if mode not in AUTH_MODES:
        raise ConfigError(f"[auth] mode in {path.name} is {mode!r}; use \"local\" or \"oidc\".")
    numbers = {}
    for key in ("max_failed_sign_ins", "lockout_minutes", "idle_minutes"):
        value = raw.get(key, getattr(AuthSettings, key))
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"[auth] {key} in {path.name} is {value!r}; give a whole number of 1 or more.")
        numbers[key] = value
    return AuthSettings(mode=mode, provider=raw.get("provider") or None, **numbers,
                        demo_accounts=demo and bool(raw.get("demo_accounts", True)))


def _population_area(value, path: Path) -> str:
    """The population baseline's area as data/population/ names it; a ConfigError if there is no such area."""
    found = canonical_area(str(value))
    if found is None:
        raise ConfigError(
            f"population_area {value!r} in {path.name} is not an area in the population files; "
            f"use one of: {', '.join(areas())}."
        )
    return found


@lru_cache(maxsize=4)
def _cached_board(path: str, mtime: float) -> BoardConfig:
    return load_board_config(Path(path))


def board() -> BoardConfig:
    """The Board configuration, re-read when the file changes."""
    path = board_config_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _cached_board(str(path), mtime)
