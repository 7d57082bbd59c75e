"""Users: local accounts (argon2id password hashes, lockout) and OpenID Connect users matched by e-mail."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from assurance import config
from assurance.access import audit
from assurance.access.roles import ROLES, require, role, role_label
from assurance.access.sessions import end_for_user
from assurance.access.settings import AuthSettings, auth_settings
from assurance.db.engine import session_scope, short_write
from assurance.db.models import Partner, User
from assurance.errors import AssuranceError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # NCSC: allow long passwords; the cap only keeps hashing cheap
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GENERIC_FAILURE = "The username or password is not right."

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_DUMMY_HASH = _hasher.hash("not a real password: keeps unknown usernames as slow as known ones")


class AccountError(AssuranceError, ValueError):
    """A user could not be created or changed; the message says why."""


@dataclass(frozen=True)
class UserInfo:
    """A signed-in user (or the CLI operator) as the permission checks see them."""

    id: int | None
    username: str
    name: str
    role: str
    partner_id: int | None = None
    partner_code: str | None = None
    partner_name: str | None = None
    email: str | None = None
    active: bool = True
    locked_until: datetime | None = None  # locked after failed sign-ins until then

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now())

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def actor(self) -> str:
        """How the user appears in records (challenge log, audit trail)."""
        return self.username


def cli_operator() -> UserInfo:
    """Whoever runs `python -m assurance`: they hold the database credentials, so they act as an administrator."""
    name = audit.cli_actor()
    return UserInfo(None, name, name, "admin")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


ADVICE = "Use three or more random words, for example things you can picture together, with spaces if you like."
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "qazwsxedcrfvtgbyhnujmikolp",
         "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")
_PRODUCT_WORDS = ("safeguarding", "assurance")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The deny list (data/common_passwords.txt): common and breached passwords, lower case."""
    lines = (config.DATA_DIR / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _squash(text: str) -> str:
    """Lower case, letters and digits only: 'Jo.Smith 1!' -> 'josmith1'."""
    return "".join(c for c in text.lower() if c.isalnum())


def _core(text: str) -> str:
    """Without the digits and symbols added at either end: 'Password!!!!' -> 'password'."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)


def _is_run(text: str) -> bool:
    """A sequence or keyboard run, forwards or backwards, wrapping round ('123456789012', 'qwertyuiopas')."""
    return bool(text) and any(text in run * 3 or text in run[::-1] * 3 for run in _RUNS)


def check_password_rules(password: str, username: str = "") -> None:
    """NCSC guidance: long enough, no composition rules, and not on a deny list. Raises AccountError saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long. {ADVICE}")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password can be at most {MAX_PASSWORD_LENGTH} characters long.")
    lower, squashed = password.lower(), _squash(password)
    if re.fullmatch(r"(.+?)\1+", lower) or re.fullmatch(r"(.+?)\1+", squashed or " "):
        raise AccountError(f"The password repeats one character or a short pattern. {ADVICE}")
    if _is_run(squashed) or (len(_core(squashed)) >= 6 and _is_run(_core(squashed))):
        raise AccountError(f"The password is a simple sequence or a run of keys on the keyboard. {ADVICE}")
    common = common_passwords()
    if {lower, lower.strip(), _core(lower), squashed, _core(squashed)} & common:
        raise AccountError("The password is one of the most common passwords (or one with digits or symbols added), "
                           f"which attackers try first. {ADVICE}")
    name = _squash(username)
    if name and (name in squashed if len(name) >= 4 else re.search(rf"\b{re.escape(username.lower())}\b", lower)):
        raise AccountError(f"The password must not contain the username. {ADVICE}")
    board = config.board()
    if any(word in squashed for word in (_squash(board.name), _squash(board.area), *_PRODUCT_WORDS) if word):
        raise AccountError(f"The password must not contain the Board's name, its area or the product's name. {ADVICE}")


def _info(u: User, p: Partner | None) -> UserInfo:
    return UserInfo(u.id, u.username, u.display_name, u.role, u.partner_id, p.code if p else None,
                    p.name if p else None, u.email, u.active, u.locked_until)


def _query():
    return select(User, Partner).outerjoin(Partner, Partner.id == User.partner_id)


def _one(engine: Engine, where) -> UserInfo | None:
    with session_scope(engine) as s:
        row = s.execute(_query().where(where)).first()
        return _info(*row) if row is not None else None


def get_user(engine: Engine, user_id: int) -> UserInfo | None:
    return _one(engine, User.id == user_id)


def find_user(engine: Engine, username: str) -> UserInfo | None:
    """By username, in any case."""
    return _one(engine, func.lower(User.username) == username.strip().lower())


def find_by_email(engine: Engine, email: str) -> UserInfo | None:
    return _one(engine, User.email == email.strip().lower())


def list_users(engine: Engine) -> list[dict]:
    """Every user; "locked until" only while a lockout after failed sign-ins lasts."""
    now = datetime.now()
    with session_scope(engine) as s:
        rows = s.execute(_query().order_by(User.username)).all()
        return [
            {"username": u.username, "name": u.display_name, "role": u.role, "role_label": role_label(u.role),
             "partner": p.code if p else None, "email": u.email, "active": u.active,
             "local password": u.password_hash is not None,
             "locked until": u.locked_until if u.locked_until and u.locked_until > now else None,
             "last sign-in": u.last_sign_in}
            for u, p in rows
        ]


def _partner(s, code: str | None) -> Partner | None:
    if code is None or not str(code).strip():
        return None
    p = s.scalar(select(Partner).where(Partner.code == str(code).strip().upper()))
    if p is None:
        raise AccountError(f"There is no partner with code {code!r}.")
    return p


def _check_binding(role_key: str, partner: Partner | None) -> None:
    r = role(role_key)
    if r.partner_bound and partner is None:
        raise AccountError(f"{_a(r.label)} must be linked to one partner: give the partner code.")
    if not r.partner_bound and partner is not None:
        raise AccountError(f"{_a(r.label)} sees every partner: do not give a partner code.")


def _a(label: str) -> str:
    return ("An " if label[0].lower() in "aeiou" else "A ") + label.lower()


def _clean_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address.")
    return email


def create_user(engine: Engine, by: UserInfo, username: str, name: str, role_key: str, partner_code: str | None = None,
                email: str | None = None, password: str | None = None, source: str = "app",
                address: str | None = None, now: datetime | None = None) -> UserInfo:
    """Add a user (administrators only). Without a password the user can sign in only through OpenID Connect."""
    require(by, "manage_users")
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError("A username is 2 to 80 characters: lower-case letters, digits, dot, dash, @ or underscore.")
    if not name.strip():
        raise AccountError("Give the person's name.")
    if role_key not in ROLES:
        raise AccountError(f"Unknown role {role_key!r}; use one of: {', '.join(ROLES)}.")
    if password is not None:
        check_password_rules(password, username)
    now = now or datetime.now().replace(microsecond=0)
    try:
        with session_scope(engine) as s:
            partner = _partner(s, partner_code)
            _check_binding(role_key, partner)
            user = User(username=username, display_name=name.strip(), email=_clean_email(email), role=role_key,
                        partner_id=partner.id if partner else None,
                        password_hash=hash_password(password) if password is not None else None,
                        active=True, failed_sign_ins=0, created_at=now, created_by=by.actor)
            s.add(user)
            s.flush()
            audit.record(engine, by.actor, audit.USER_CREATED, username,
                         {"role": role_key, "partner": partner.code if partner else None, "email": user.email,
                          "local password": password is not None}, source, address, conn=s.connection())
            return _info(user, partner)
    except IntegrityError:
        raise AccountError(f"A user called {username!r} or with that e-mail address already exists.") from None


_UNSET = object()


def update_user(engine: Engine, by: UserInfo, username: str, *, role_key: str | None = None, partner_code=_UNSET,
                name: str | None = None, email=_UNSET, active: bool | None = None, password: str | None = None,
                unlock: bool = False, source: str = "app", address: str | None = None) -> UserInfo:
    """Change a user (administrators only); records what changed. An administrator cannot demote or disable themself."""
    require(by, "manage_users")
    username = username.strip().lower()
    changes: dict[str, object] = {}
    try:
        with session_scope(engine) as s:
            user = s.scalar(select(User).where(User.username == username).with_for_update())
            if user is None:
                raise AccountError(f"There is no user called {username!r}.")
            partner = s.get(Partner, user.partner_id) if user.partner_id else None
            if role_key is not None and role_key != user.role:
                if role_key not in ROLES:
                    raise AccountError(f"Unknown role {role_key!r}; use one of: {', '.join(ROLES)}.")
                changes["role"] = [user.role, role_key]
                user.role = role_key
            if partner_code is not _UNSET:
                new = _partner(s, partner_code)
                if (new.id if new else None) != user.partner_id:
                    changes["partner"] = [partner.code if partner else None, new.code if new else None]
                    user.partner_id, partner = (new.id if new else None), new
            elif role_key is not None and not ROLES[user.role].partner_bound and partner is not None:
                changes["partner"] = [partner.code, None]  # a role that sees every partner carries no partner
                user.partner_id, partner = None, None
            _check_binding(user.role, partner)
            if name is not None and name.strip() and name.strip() != user.display_name:
                changes["name"] = [user.display_name, name.strip()]
                user.display_name = name.strip()
            if email is not _UNSET and _clean_email(email) != user.email:
                changes["email"] = [user.email, _clean_email(email)]
                user.email = _clean_email(email)
            if active is not None and active != user.active:
                changes["active"] = [user.active, active]
                user.active = active
            if password is not None:
                check_password_rules(password, username)
                user.password_hash = hash_password(password)
                changes["password"] = "reset"
            if unlock and (user.locked_until is not None or user.failed_sign_ins):
                user.locked_until, user.failed_sign_ins = None, 0
                changes["unlocked"] = True
            if by.id is not None and by.id == user.id and (user.role != "admin" or not user.active):
                raise AccountError("You cannot remove your own administrator role or disable your own account.")
            if changes:
                s.flush()
                if changes.keys() & {"role", "partner", "active", "password"}:  # signed in again under the new terms
                    changes["signed_out"] = end_for_user(s, user.id)
                audit.record(engine, by.actor, audit.USER_CHANGED, username, changes, source, address,
                             conn=s.connection())
            return _info(user, partner)
    except IntegrityError:
        raise AccountError("Another user already has that e-mail address.") from None


def count_admins(engine: Engine) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active)) or 0


BUSY_MESSAGE = "The service is busy; try again in a moment."


@dataclass(frozen=True)
class SignInResult:
    user: UserInfo | None
    message: str
    busy: bool = False  # the database stayed busy: nothing was checked or recorded, nobody signed in


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def authenticate(engine: Engine, username: str, password: str, address: str | None = None,
                 now: datetime | None = None, settings: AuthSettings | None = None) -> SignInResult:
    """Check a local password. Every attempt goes into the audit trail; too many failures lock the account.

    Unknown users, disabled users, wrong passwords and locked accounts get the same message and the same work
    (one password hash checked, one short write). Reading and the hash check need no write lock; the
    bookkeeping is one short transaction, and a database that stays busy gives BUSY_MESSAGE, not an error."""
    settings = settings or auth_settings()
    now = now or datetime.now().replace(microsecond=0)
    username = (username or "").strip().lower()[:80]
    with engine.connect() as c:
        found = c.execute(select(User.id, User.password_hash).where(User.username == username)).first() \
            if username else None
    ok = verify_password(found.password_hash if found else None, password or "")
    new_hash = hash_password(password) if ok and _hasher.check_needs_rehash(found.password_hash) else None
    try:
        with short_write(engine), session_scope(engine) as s, _short_wait(s.connection()):
            return _sign_in_bookkeeping(engine, s, found, username, ok, new_hash, address, now, settings)
    except OperationalError as exc:
        if _is_busy(exc):
            return SignInResult(None, BUSY_MESSAGE, busy=True)
        raise


SIGN_IN_WAIT_MS = 20_000  # how long a sign-in waits for SQLite's write lock (a load writing) before saying busy


@contextmanager
def _short_wait(conn):
    """On SQLite, wait at most SIGN_IN_WAIT_MS for the write lock (the engine's own wait is for loads)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {min(before, SIGN_IN_WAIT_MS)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {before}")


def _sign_in_bookkeeping(engine: Engine, s, found, username: str, ok: bool, new_hash: str | None,
                         address: str | None, now: datetime, settings: AuthSettings) -> SignInResult:
    """The writes of one sign-in attempt, in the caller's transaction, with the user's row locked."""
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock first, so what is read below cannot change
    user = s.scalar(select(User).where(User.id == found.id).with_for_update()) if found else None
    if user is not None and user.password_hash != found.password_hash:
        ok, new_hash = False, None  # the password was changed while we checked it
    if user is None or not user.active or user.password_hash is None:
        reason = "unknown user" if user is None else "disabled or no local password"
        audit.record(engine, user.username if user else "anonymous", audit.SIGN_IN_FAILED, username or None,
                     {"reason": reason}, "app", address, conn=conn)
        return SignInResult(None, GENERIC_FAILURE)
    if user.locked_until is not None and user.locked_until > now:
        audit.record(engine, user.username, audit.SIGN_IN_FAILED, user.username,
                     {"reason": "account locked", "locked until": user.locked_until}, "app", address, conn=conn)
        return SignInResult(None, GENERIC_FAILURE)  # never say so: it would confirm the username exists
    if not ok:
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
        audit.record(engine, user.username, audit.SIGN_IN_FAILED, user.username,
                     {"reason": "wrong password", "failures": user.failed_sign_ins}, "app", address, conn=conn)
        if user.failed_sign_ins >= settings.max_failed_sign_ins:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            user.failed_sign_ins = 0
            audit.record(engine, user.username, audit.LOCKED_OUT, user.username,
                         {"minutes": settings.lockout_minutes, "after failures": settings.max_failed_sign_ins,
                          "locked until": user.locked_until}, "app", address, conn=conn)
        return SignInResult(None, GENERIC_FAILURE)
    if new_hash is not None:
        user.password_hash = new_hash
    user.failed_sign_ins, user.locked_until, user.last_sign_in = 0, None, now
    audit.record(engine, user.username, audit.SIGN_IN, user.username, {"method": "local password"}, "app", address,
                 conn=conn)
    partner = s.get(Partner, user.partner_id) if user.partner_id else None
    return SignInResult(_info(user, partner), "Signed in.")


def oidc_sign_in(engine: Engine, email: str | None, address: str | None = None, now: datetime | None = None) -> UserInfo | None:
    """Match an OpenID Connect identity to an active user by e-mail; records the sign-in (or the refusal)."""
    now = now or datetime.now().replace(microsecond=0)
    user = find_by_email(engine, email) if email else None
    if user is None or not user.active:
        audit.record(engine, "anonymous", audit.SIGN_IN_FAILED, email,
                     {"reason": "no active user with this e-mail", "method": "openid connect"}, "app", address)
        return None
    with session_scope(engine) as s:
        s.get(User, user.id).last_sign_in = now
        audit.record(engine, user.actor, audit.SIGN_IN, user.username, {"method": "openid connect", "email": email},
                     "app", address, conn=s.connection())
    return user
