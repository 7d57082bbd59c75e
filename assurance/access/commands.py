"""CLI commands for accounts and the audit trail: `create-admin`, `users` and `audit verify`. The operator holds
the database credentials, so the commands act as an administrator (the same permission checks run), and those
that change something write to the audit trail."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from assurance.access import audit
from assurance.access.accounts import AccountError, cli_operator, count_admins, create_user, list_users, update_user
from assurance.access.roles import ROLES
from assurance.access.settings import auth_settings
from assurance.cli_support import CommandError, acting_user, check, database_engine, print_table

# Commands that change something or take figures out of the product: each run goes into the audit trail.
AUDITED_COMMANDS = {"demo", "init-db", "create-admin", "users", "load", "report", "measures", "submissions",
                    "target", "population", "tables", "refresh-figures"}


def _read_password(args, required: bool) -> str | None:
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password was given on standard input.")
        return password
    if not required:
        return None
    if not sys.stdin.isatty():
        raise CommandError("Give the password with --password-stdin (no terminal to ask on).")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise CommandError("The two passwords differ; nothing was changed.")
    return first


def _by(args):
    """Who makes the change: the --as user, or the operator."""
    return acting_user(args) or cli_operator()


def cmd_create_admin(args) -> int:
    engine = database_engine()
    check(args, "manage_users")
    oidc = auth_settings().mode == "oidc"
    if oidc and not args.email:
        raise CommandError("Sign-in is by OpenID Connect: give the administrator's --email so their identity can be matched.")
    password = _read_password(args, required=not oidc)
    try:
        user = create_user(engine, _by(args), args.username, args.name or args.username, "admin",
                           email=args.email, password=password, source="cli", address="cli")
    except AccountError as exc:
        raise CommandError(str(exc))
    admins = count_admins(engine)
    print(f"Administrator {user.username} created ({admins} active administrator{'' if admins == 1 else 's'} in all).")
    return 0


def cmd_users(args) -> int:
    engine = database_engine()
    check(args, "manage_users")
    try:
        if args.action == "list":
            rows = list_users(engine)
            if args.format == "json":
                print(json.dumps(rows, indent=2, default=str))
            elif not rows:
                print("No users yet: run `python -m assurance create-admin USERNAME`.")
            else:
                print_table(rows, ["username", "name", "role", "partner", "email", "active", "locked until"])
            return 0
        if args.action == "add":
            user = create_user(engine, _by(args), args.username, args.name or args.username, args.role,
                               args.partner, args.email, _read_password(args, required=False), source="cli",
                               address="cli")
            where = f" for {user.partner_code}" if user.partner_code else ""
            print(f"User {user.username} added as {user.role_label.lower()}{where}.")
            return 0
        partner = args.partner
        changes = {}
        if partner is not None:
            changes["partner_code"] = None if partner.lower() == "none" else partner
        if args.email is not None:
            changes["email"] = args.email or None
        user = update_user(engine, _by(args), args.username, role_key=args.role, name=args.name,
                           active=args.active, password=_read_password(args, required=False), unlock=args.unlock,
                           source="cli", address="cli", **changes)
        where = f" for {user.partner_code}" if user.partner_code else ""
        print(f"User {user.username}: {user.role_label.lower()}{where}, {'active' if user.active else 'disabled'}.")
        return 0
    except AccountError as exc:
        raise CommandError(str(exc))


def cmd_audit(args) -> int:
    """`audit verify`: walk the hash chain; exit 1 and name the first broken event when it does not hold."""
    engine = database_engine()
    check(args, "view_audit")
    result = audit.verify(engine)
    print(result.message)
    if result.intact and result.last_hash:
        print(f"Last event's hash: {result.last_hash} (keep it somewhere else to check this trail against later).")
    return 0 if result.intact else 1


def setup_audit(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("verify", help="check that no event was changed, removed or slipped in since it was written")


def setup_create_admin(p: argparse.ArgumentParser) -> None:
    p.add_argument("username", help="sign-in name, lower case (e.g. jo.smith)")
    p.add_argument("--name", help="the person's name as shown in the product")
    p.add_argument("--email", help="e-mail address (how OpenID Connect sign-ins are matched)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input (else asked)")


def setup_users(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="list users, their roles and partners")
    ls.add_argument("--format", choices=["table", "json"], default="table")
    add = sub.add_parser("add", help="add a user with a role (analysts and partner leads need --partner)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(ROLES))
    add.add_argument("--partner", help="partner code (analyst and partner lead only)")
    add.add_argument("--name")
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true", help="give a local password on standard input")
    st = sub.add_parser("set", help="change a user's role, partner, name, e-mail or password; enable, disable, unlock")
    st.add_argument("username")
    st.add_argument("--role", choices=list(ROLES))
    st.add_argument("--partner", help="partner code, or 'none'")
    st.add_argument("--name")
    st.add_argument("--email", help="e-mail address ('' to remove)")
    st.add_argument("--password-stdin", action="store_true", help="set a new local password from standard input")
    st.add_argument("--unlock", action="store_true", help="clear a lockout after failed sign-ins")
    on = st.add_mutually_exclusive_group()
    on.add_argument("--enable", dest="active", action="store_const", const=True)
    on.add_argument("--disable", dest="active", action="store_const", const=False)


def record_command(engine, args, exit_code: int) -> None:
    """Write a changing command to the audit trail (never its password); a broken database is not an error here."""
    if args.command not in AUDITED_COMMANDS:
        return
    if args.command == "users" and args.action == "list":
        return
    details = {k: v for k, v in vars(args).items()
               if k not in ("handler", "command", "password_stdin", "as_user", "acting_username") and v is not None}
    details["exit code"] = exit_code
    _record(engine, args, audit.COMMAND, args.command, details)


def record_refusal(engine, args, message: str) -> None:
    """A command the --as user's role does not allow."""
    _record(engine, args, audit.ACCESS_REFUSED, args.command, {"message": message})


def _record(engine, args, action: str, target: str, details: dict) -> None:
    """As the --as user (their stored username; the operating-system user is kept in the details), else the
    operator; an --as name that was refused is kept in the details, never taken as the actor."""
    actor = getattr(args, "acting_username", None)
    if actor:
        details = {**details, "operator": audit.cli_actor()}
    elif getattr(args, "as_user", None):
        details = {**details, "as (refused)": args.as_user[:80]}
    try:
        audit.record(engine, actor or audit.cli_actor(), action, target, details, source="cli", address="cli")
    except Exception:  # noqa: BLE001 - e.g. no schema yet
        pass
