"""Accounts: argon2 hashes in the database (never the password), sign-in refusals, and the
unit rules of each role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sohoa.db.tables import app_user, app_user_unit
from sohoa.web.accounts import (
    AccountError,
    authenticate,
    count_admins,
    create_user,
    get_account,
    list_accounts,
    set_active,
    set_password,
    set_units,
)

PASSWORD = "một mật khẩu dài"


def test_the_database_keeps_an_argon2_hash_not_the_password(sqlite_engine):
    user_id = create_user(sqlite_engine, "Clerk.One", PASSWORD, "archive_staff", ["25920"])
    with sqlite_engine.connect() as conn:
        row = conn.execute(select(app_user).where(app_user.c.id == user_id)).one()
    assert row.username == "clerk.one"  # names are folded to lower case
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert authenticate(sqlite_engine, "CLERK.ONE", PASSWORD) == user_id


def test_two_accounts_with_one_password_get_different_hashes(sqlite_engine):
    a = create_user(sqlite_engine, "clerk1", PASSWORD, "archive_staff", ["25920"])
    b = create_user(sqlite_engine, "clerk2", PASSWORD, "archive_staff", ["25920"])
    with sqlite_engine.connect() as conn:
        hashes = dict(conn.execute(select(app_user.c.id, app_user.c.password_hash)).all())
    assert hashes[a] != hashes[b]  # salted


def test_wrong_password_and_unknown_user_are_refused(sqlite_engine):
    create_user(sqlite_engine, "clerk1", PASSWORD, "archive_staff", ["25920"])
    assert authenticate(sqlite_engine, "clerk1", PASSWORD + "x") is None
    assert authenticate(sqlite_engine, "clerk1", "") is None
    assert authenticate(sqlite_engine, "nobody", PASSWORD) is None


def test_a_disabled_account_cannot_sign_in_until_enabled(sqlite_engine):
    user_id = create_user(sqlite_engine, "clerk1", PASSWORD, "archive_staff", ["25920"])
    set_active(sqlite_engine, user_id, False)
    assert authenticate(sqlite_engine, "clerk1", PASSWORD) is None
    assert get_account(sqlite_engine, user_id).active is False
    set_active(sqlite_engine, user_id, True)
    assert authenticate(sqlite_engine, "clerk1", PASSWORD) == user_id


def test_a_new_password_replaces_the_old_one(sqlite_engine):
    user_id = create_user(sqlite_engine, "clerk1", PASSWORD, "archive_staff", ["25920"])
    set_password(sqlite_engine, user_id, "another long one")
    assert authenticate(sqlite_engine, "clerk1", PASSWORD) is None
    assert authenticate(sqlite_engine, "clerk1", "another long one") == user_id
    with pytest.raises(AccountError, match="at least"):
        set_password(sqlite_engine, user_id, "short")


@pytest.mark.parametrize(
    "password", ["short", "123456789", " leading space ok?", "trailing space x "]
)
def test_weak_passwords_are_refused(sqlite_engine, password):
    with pytest.raises(AccountError):
        create_user(sqlite_engine, "clerk1", password, "archive_staff", ["25920"])
    assert list_accounts(sqlite_engine) == []


@pytest.mark.parametrize("username", ["ab", "has space", "ÿ-accent", "../etc", "x" * 65])
def test_bad_usernames_are_refused(sqlite_engine, username):
    with pytest.raises(AccountError, match="username"):
        create_user(sqlite_engine, username, PASSWORD, "admin")


def test_a_username_is_taken_once(sqlite_engine):
    create_user(sqlite_engine, "boss", PASSWORD, "admin")
    with pytest.raises(AccountError, match="taken"):
        create_user(sqlite_engine, "BOSS", PASSWORD, "admin")


def test_unknown_role_is_refused(sqlite_engine):
    with pytest.raises(AccountError, match="role"):
        create_user(sqlite_engine, "root1", PASSWORD, "superuser")


@pytest.mark.parametrize(
    ("role", "units", "ok"),
    [
        ("archive_staff", ["25920"], True),
        ("archive_staff", [], False),
        ("archive_staff", ["25920", "26734"], False),
        ("archive_staff", ["*"], False),
        ("reviewer", ["25920", "26734"], True),
        ("reviewer", ["79"], True),
        ("reviewer", [], False),
        ("manager", ["*"], True),
        ("manager", ["79"], True),
        ("manager", [], False),
        ("admin", [], True),
        ("admin", ["25920"], False),
        ("reviewer", ["25920; DROP"], False),
    ],
)
def test_unit_rules_of_each_role(sqlite_engine, role, units, ok):
    if ok:
        user_id = create_user(sqlite_engine, "someone", PASSWORD, role, units)
        assert get_account(sqlite_engine, user_id).units == tuple(sorted(units))
    else:
        with pytest.raises(AccountError):
            create_user(sqlite_engine, "someone", PASSWORD, role, units)
        with sqlite_engine.connect() as conn:
            assert conn.execute(select(app_user_unit)).all() == []
            assert conn.execute(select(app_user)).all() == []


def test_set_units_keeps_the_rules_of_the_role(sqlite_engine):
    user_id = create_user(sqlite_engine, "rev1", PASSWORD, "reviewer", ["25920"])
    set_units(sqlite_engine, user_id, ["26734", "25920", "26734"])
    assert get_account(sqlite_engine, user_id).units == ("25920", "26734")
    with pytest.raises(AccountError):
        set_units(sqlite_engine, user_id, [])
    assert get_account(sqlite_engine, user_id).units == ("25920", "26734")


def test_count_admins_counts_active_admins_only(sqlite_engine):
    assert count_admins(sqlite_engine) == 0
    a = create_user(sqlite_engine, "admin1", PASSWORD, "admin")
    create_user(sqlite_engine, "admin2", PASSWORD, "admin")
    create_user(sqlite_engine, "boss1", PASSWORD, "manager", ["*"])
    assert count_admins(sqlite_engine) == 2
    set_active(sqlite_engine, a, False)
    assert count_admins(sqlite_engine) == 1
