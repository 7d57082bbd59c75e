"""Access control: roles and permissions, accounts and sign-in, and the audit trail.

Pages and commands call: can(user, permission, partner_id) / require(...) (raises AccessDenied),
must_suppress(user), partner_scope(user), and audit.record(engine, actor, action, target, details, source).
"""

from assurance.access.accounts import AccountError, UserInfo, authenticate, cli_operator, oidc_sign_in
from assurance.access.audit import record
from assurance.access.roles import (
    PERMISSIONS,
    ROLES,
    AccessDenied,
    can,
    can_use,
    must_suppress,
    partner_bound,
    partner_scope,
    require,
)

__all__ = [
    "AccessDenied", "AccountError", "PERMISSIONS", "ROLES", "UserInfo", "authenticate", "can",
    "can_use", "cli_operator", "must_suppress", "oidc_sign_in", "partner_bound", "partner_scope", "record", "require",
]
