"""Roles and their permissions, as data, and the one permission check every page and command uses.

A permission marked partner-scoped is granted to a partner-bound role (analyst, partner lead) only for
their own partner; other roles hold it for every partner.
"""

from __future__ import annotations

from dataclasses import dataclass

from assurance.errors import AssuranceError


class AccessDenied(AssuranceError, PermissionError):
    """The signed-in user may not do this; the message says so in plain words."""


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    partner_bound: bool
    permissions: frozenset[str]
    description: str


PERMISSIONS: dict[str, str] = {
    "view_figures": "see dashboards and figures",
    "view_unsuppressed": "see figures without small-number suppression (QA subgroup)",
    "view_returns": "see submitted returns and their issues",
    "upload_returns": "upload returns",
    "view_challenges": "see the challenge log",
    "raise_challenges": "raise challenges to partners",
    "write_commentary": "add QA commentary to the scorecard",
    "respond_challenges": "record a partner's response to a challenge",
    "close_challenges": "close and reopen challenges",
    "board_packs": "produce board packs",
    "issue_packs": "issue the board pack to the Board (kept as issued)",
    "view_actions": "see SAR and audit actions",
    "edit_actions": "update and import SAR and audit actions",
    "manage_partners": "set up partners",
    "manage_users": "manage users and roles",
    "manage_periods": "set reporting periods and due dates",
    "manage_targets": "set framework targets",
    "manage_baseline": "set the population baseline",
    "view_audit": "search the audit trail",
}

# Granted only for the user's own partner when the role is partner-bound.
PARTNER_SCOPED = frozenset(
    {"view_figures", "view_returns", "upload_returns", "view_challenges", "respond_challenges", "view_actions"}
)

_QA = frozenset(
    {"view_figures", "view_unsuppressed", "view_returns", "upload_returns", "view_challenges", "raise_challenges",
     "write_commentary", "respond_challenges", "view_actions", "edit_actions"}
)
_ADMIN = frozenset(
    {"view_figures", "view_returns", "upload_returns", "view_actions", "edit_actions", "manage_partners",
     "manage_users", "manage_periods", "manage_targets", "manage_baseline", "view_audit"}
)

ROLES: dict[str, Role] = {
    r.key: r
    for r in (
        Role("analyst", "Analyst", True,
             frozenset({"view_figures", "view_returns", "upload_returns", "view_challenges", "view_actions"}),
             "Uploads their partner's returns and sees that partner's submissions, issues and figures only."),
        Role("qa", "QA member", False, _QA,
             "Sees every partner's figures and returns and raises challenges."),
        Role("chair", "Chair", False, _QA | {"close_challenges", "board_packs", "issue_packs"},
             "As a QA member, plus closing challenges, and producing and issuing board packs."),
        Role("partner_lead", "Partner lead", True,
             frozenset({"view_figures", "view_challenges", "respond_challenges", "view_actions"}),
             "Responds to challenges put to their partner."),
        Role("admin", "Administrator", False, _ADMIN,
             "Partners, users, periods and due dates, framework targets and the population baseline; "
             "sees figures in publication mode."),
    )
}


def role(key: str) -> Role:
    try:
        return ROLES[key]
    except KeyError:
        raise ValueError(f"Unknown role {key!r}; use one of: {', '.join(ROLES)}.") from None


def can(user, permission: str, partner_id: int | None = None) -> bool:
    """Whether `user` (anything with .role, .partner_id and .active; None = nobody) may do `permission`.

    For a partner-scoped permission, partner_id names the partner concerned; None means "the whole Board",
    which a partner-bound role never holds.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}.")
    if user is None or not getattr(user, "active", True) or user.role not in ROLES:
        return False
    r = ROLES[user.role]
    if permission not in r.permissions:
        return False
    if r.partner_bound and permission in PARTNER_SCOPED:
        return user.partner_id is not None and partner_id == user.partner_id
    return True


def can_use(user, permission: str) -> bool:
    """Whether the user holds `permission` for at least one partner (pages and navigation)."""
    if user is None or user.role not in ROLES or not getattr(user, "active", True):
        return False
    r = ROLES[user.role]
    if r.partner_bound and permission in PARTNER_SCOPED:
        return permission in r.permissions and user.partner_id is not None
    return permission in r.permissions


def require(user, permission: str, partner_id: int | None = None, *, any_partner: bool = False) -> None:
    """Raise AccessDenied unless the user may do `permission` (for that partner)."""
    allowed = can_use(user, permission) if any_partner else can(user, permission, partner_id)
    if not allowed:
        who = "Nobody is signed in" if user is None else f"Your role ({role_label(user.role)})"
        raise AccessDenied(f"{who} does not allow you to {PERMISSIONS[permission]}" +
                           ("" if any_partner or partner_id is None or user is None else " for this partner") + ".")


def role_label(key: str) -> str:
    return ROLES[key].label if key in ROLES else key


def must_suppress(user) -> bool:
    """Publication mode (small-number suppression) is forced for everyone outside the QA subgroup."""
    return not can_use(user, "view_unsuppressed")


def partner_bound(user) -> bool:
    """Whether the user's role is bound to one partner (analyst, partner lead)."""
    return user is not None and user.role in ROLES and ROLES[user.role].partner_bound


def partner_scope(user) -> int | None:
    """The only partner a partner-bound user may see; None when the user may see every partner."""
    if user is not None and user.role in ROLES and ROLES[user.role].partner_bound:
        return user.partner_id
    return None
