"""What every command of `python -m assurance` shares: plain-word failures, the database, the --as user and
their permission check, the partner a command is about, and a printed table."""

from __future__ import annotations

from collections.abc import Sequence

from assurance import config
from assurance.access.accounts import find_user
from assurance.access.roles import AccessDenied, partner_scope, require
from assurance.db.engine import get_engine
from assurance.directory import list_partners
from assurance.errors import AssuranceError


class CommandError(AssuranceError):
    """A failure to report to the user in plain words (exit 1)."""


def database_engine():
    """The engine for ASSURANCE_DATABASE_URL."""
    return get_engine(config.database_url())


def acting_user(args):
    """The product user named by --as (any case), whose role then limits the command; None: the operator, who
    holds the database credentials and so has every right. Unknown, disabled and locked users get one refusal.
    The stored username is kept in args.acting_username for the audit trail."""
    name = getattr(args, "as_user", None)
    if not name:
        return None
    user = find_user(database_engine(), name)
    if user is None or not user.active or user.locked():
        raise CommandError(f"{name!r} is not an active user who may act now (unknown, disabled or locked; see "
                           "`python -m assurance users list`).")
    args.acting_username = user.username
    return user


def check(args, permission: str, partner_id: int | None = None, any_partner: bool = False):
    """Refuse the command (AccessDenied) unless the --as user may do `permission`; returns that user or None."""
    user = acting_user(args)
    if user is not None:
        require(user, permission, partner_id, any_partner=any_partner)
    return user


def partner_for(args, user, code: str | None):
    """The partner a command is about: a partner-bound --as user's own, whatever --partner says."""
    partners = {p.code: p for p in list_partners(database_engine(), include_inactive=True)}
    scope = partner_scope(user)
    if scope is not None:
        own = next(p for p in partners.values() if p.id == scope)
        if code and code.strip().upper() != own.code:
            raise AccessDenied(f"Your role ({user.role_label}) lets you see {own.code} only, not {code.upper()}.")
        return own
    if code is None:
        return None
    if code.strip().upper() not in partners:
        raise CommandError(f"There is no partner with code {code!r} (see `python -m assurance partners`).")
    return partners[code.strip().upper()]


def print_table(rows: Sequence[dict], columns: Sequence[str]) -> None:
    widths = {c: max(len(c), *(len(str(r.get(c, "") if r.get(c) is not None else "")) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(str(r.get(c) if r.get(c) is not None else "").ljust(widths[c]) for c in columns))
