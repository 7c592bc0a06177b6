"""Accounts: argon2-hashed passwords, one role each, and the units they cover.

``sohoa users add`` (the first admin) and the admin pages both come through here, so the
rules below hold whichever way an account is made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from sohoa.coded_errors import CodedError
from sohoa.db.tables import WEB_ROLES, app_user, app_user_unit, web_session
from sohoa.web.access import ALL_UNITS

MIN_PASSWORD = 10
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
_UNIT = re.compile(r"[0-9A-Za-z.]{1,32}")
_hasher = PasswordHasher()
# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(CodedError):
    """An account cannot be made or changed as asked; the message says why.

    Raised as ``AccountError(code, **params)``: ``sohoa users`` prints the English
    message below, the admin pages translate the code (see :mod:`sohoa.coded_errors`)."""

    exit_code = 2
    MESSAGES: ClassVar[Mapping[str, str]] = {
        "password_short": "a password needs at least {min_length} characters",
        "password_spaces": "a password cannot start or end with a space",
        "unit_code": "not a unit code: {unit!r}",
        "admin_units": "an admin manages accounts and has no units",
        "staff_one_unit": "archive staff belong to exactly one unit (--unit CODE)",
        "staff_all_units": "archive staff belong to one unit, not all of them",
        "units_required": "a {role} needs at least one unit (a commune or province code)",
        "username_format": (
            "a username is 3-64 characters: lower-case letters, digits, '.', '_' or '-'"
        ),
        "role_unknown": "role must be one of {roles}, got {role!r}",
        "username_taken": "the username {username!r} is taken",
        "no_account": "no account {account}",
    }


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str | None
    role: str
    active: bool
    units: tuple[str, ...]


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_short", min_length=MIN_PASSWORD)
    if password.strip() != password:
        raise AccountError("password_spaces")


def check_units(role: str, units: list[str]) -> tuple[str, ...]:
    """The unit rules of each role (see :mod:`sohoa.web.access`)."""
    clean = tuple(dict.fromkeys(u.strip() for u in units if u.strip()))
    for code in clean:
        if code != ALL_UNITS and not _UNIT.fullmatch(code):
            raise AccountError("unit_code", unit=code)
    if role == "admin" and clean:
        raise AccountError("admin_units")
    if role == "archive_staff" and len(clean) != 1:
        raise AccountError("staff_one_unit")
    if role == "archive_staff" and clean == (ALL_UNITS,):
        raise AccountError("staff_all_units")
    if role in ("reviewer", "manager") and not clean:
        raise AccountError("units_required", role=role)
    return clean


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    units: list[str] | tuple[str, ...] = (),
    *,
    display_name: str | None = None,
    created_by: str | None = None,
) -> int:
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise AccountError("username_format")
    if role not in WEB_ROLES:
        raise AccountError("role_unknown", roles=tuple(WEB_ROLES), role=role)
    check_password_strength(password)
    clean_units = check_units(role, list(units))
    with engine.begin() as conn:
        if conn.execute(select(app_user.c.id).where(app_user.c.username == username)).first():
            raise AccountError("username_taken", username=username)
        user_id = conn.execute(
            insert(app_user)
            .values(
                username=username,
                display_name=(display_name or "").strip() or None,
                password_hash=_hasher.hash(password),
                role=role,
                active=True,
                created_at=datetime.now(UTC),
                created_by=created_by,
            )
            .returning(app_user.c.id)
        ).scalar_one()
        if clean_units:
            conn.execute(
                insert(app_user_unit), [{"user_id": user_id, "unit_code": u} for u in clean_units]
            )
    return int(user_id)


def authenticate(engine: Engine, username: str, password: str) -> int | None:
    """The account id when the password is right and the account active, else None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(app_user.c.id, app_user.c.password_hash, app_user.c.active).where(
                app_user.c.username == username.strip().lower()
            )
        ).first()
    stored = row.password_hash if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.active:
        return None
    if _hasher.check_needs_rehash(stored):
        with engine.begin() as conn:
            conn.execute(
                update(app_user)
                .where(app_user.c.id == row.id)
                .values(password_hash=_hasher.hash(password))
            )
    return int(row.id)


def set_password(engine: Engine, user_id: int, password: str) -> None:
    check_password_strength(password)
    with engine.begin() as conn:
        conn.execute(
            update(app_user)
            .where(app_user.c.id == user_id)
            .values(password_hash=_hasher.hash(password))
        )
        conn.execute(delete(web_session).where(web_session.c.user_id == user_id))


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    """Disable or re-enable an account; disabling ends its open sessions at once."""
    with engine.begin() as conn:
        conn.execute(update(app_user).where(app_user.c.id == user_id).values(active=active))
        if not active:
            conn.execute(delete(web_session).where(web_session.c.user_id == user_id))


def set_units(engine: Engine, user_id: int, units: list[str]) -> None:
    account = get_account(engine, user_id)
    clean = check_units(account.role, units)
    with engine.begin() as conn:
        conn.execute(delete(app_user_unit).where(app_user_unit.c.user_id == user_id))
        if clean:
            conn.execute(
                insert(app_user_unit), [{"user_id": user_id, "unit_code": u} for u in clean]
            )


def get_account(engine: Engine, user_id: int) -> Account:
    accounts = [a for a in list_accounts(engine) if a.id == user_id]
    if not accounts:
        raise AccountError("no_account", account=user_id)
    return accounts[0]


def list_accounts(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        units: dict[int, list[str]] = {}
        for uid, code in conn.execute(
            select(app_user_unit.c.user_id, app_user_unit.c.unit_code).order_by(
                app_user_unit.c.unit_code
            )
        ):
            units.setdefault(uid, []).append(code)
        rows = conn.execute(select(app_user).order_by(app_user.c.username)).all()
    return [
        Account(
            r.id, r.username, r.display_name, r.role, bool(r.active), tuple(units.get(r.id, []))
        )
        for r in rows
    ]


def count_admins(engine: Engine) -> int:
    return sum(1 for a in list_accounts(engine) if a.role == "admin" and a.active)
