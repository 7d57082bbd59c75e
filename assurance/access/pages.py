"""Who sees which page: each page's rule (declared beside its st.Page in app.py) judged for a user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assurance.access.roles import PERMISSIONS, can_use, partner_bound


@dataclass(frozen=True)
class PageRule:
    """A page needs `permission`; `fed_by` names the returns its figures come from, so a partner's own staff see it
    only when their partner makes one of them (None: every partner has something there)."""

    script: str
    permission: str
    fed_by: tuple[str, ...] | None = None

    def __post_init__(self):
        if self.permission not in PERMISSIONS:
            raise ValueError(f"Unknown permission {self.permission!r} for {self.script}.")


def may_see(rule: PageRule, user, partner_returns: Iterable[str] = ()) -> bool:
    """Whether the user may open the page (partner_returns: the returns the user's own partner makes)."""
    if not can_use(user, rule.permission):
        return False
    if rule.fed_by is None or not partner_bound(user):
        return True
    return bool(set(rule.fed_by) & set(partner_returns))
