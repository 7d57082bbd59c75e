"""Ready demo accounts, one per role, all with the documented demo password (demo Boards only)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from assurance.access.accounts import UserInfo, create_user, find_user
from assurance.access.settings import auth_settings
from assurance.db.models import Partner

DEMO_PASSWORD = "demo-board-2026"

# (username, name, role, partner code)
DEMO_ACCOUNTS = (
    ("analyst.police", "Pat Analyst (Police)", "analyst", "POL"),
    ("analyst.council", "Sam Analyst (Council)", "analyst", "LA"),
    ("qa", "Quinn QA", "qa", None),
    ("chair", "Chris Chair", "chair", None),
    ("lead.ambulance", "Alex Lead (Ambulance)", "partner_lead", "AMB"),
    ("admin", "Ada Administrator", "admin", None),
)

_DEMO = UserInfo(None, "demo", "demo generator", "admin")


def demo_accounts_enabled() -> bool:
    return auth_settings().demo_accounts


def ensure_demo_accounts(engine: Engine, force: bool = False) -> list[str]:
    """Create the demo accounts that are missing (only when the Board is in demo mode). Returns the new usernames."""
    if not (force or demo_accounts_enabled()):
        return []
    with engine.connect() as c:
        partners = set(c.scalars(select(Partner.code)))
    made = []
    for username, name, role_key, code in DEMO_ACCOUNTS:
        if (code is not None and code not in partners) or find_user(engine, username) is not None:
            continue
        create_user(engine, _DEMO, username, name, role_key, code, email=f"{username}@demo.invalid",
                    password=DEMO_PASSWORD, source="cli", address="cli")
        made.append(username)
    return made
