"""``sohoa users``: accounts of the web app from a terminal (the first admin, above all)."""

from __future__ import annotations

import argparse
import getpass
import sys

from ocr.errors import ConfigurationError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="web app accounts: add, list, disable, set a password")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument(
        "--role", required=True, choices=["archive_staff", "reviewer", "manager", "admin"]
    )
    add.add_argument(
        "--unit",
        action="append",
        default=[],
        help="unit code the account covers (repeat; a province code covers its communes)",
    )
    add.add_argument("--name", help="display name")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    verbs.add_parser("list", help="list accounts")
    for verb, text in (("disable", "disable an account"), ("enable", "enable an account")):
        v = verbs.add_parser(verb, help=text)
        v.add_argument("username")
    pw = verbs.add_parser("passwd", help="set an account's password")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=run)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise ConfigurationError("no terminal to ask for a password: use --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ConfigurationError("the two passwords differ")
    return first


def _account_id(engine, username: str) -> int:
    from sohoa.web.accounts import list_accounts

    for account in list_accounts(engine):
        if account.username == username.strip().lower():
            return account.id
    raise ConfigurationError(f"no account named {username!r}")


def run(args: argparse.Namespace) -> int:
    from sohoa.db.migrate import upgrade
    from sohoa.web import accounts

    engine = upgrade()
    if args.verb == "add":
        accounts.create_user(
            engine,
            args.username,
            _password(args.password_stdin),
            args.role,
            args.unit,
            display_name=args.name,
            created_by=getpass.getuser() if hasattr(getpass, "getuser") else None,
        )
        print(f"account {args.username.strip().lower()} created ({args.role})")
    elif args.verb == "list":
        for a in accounts.list_accounts(engine):
            state = "" if a.active else "  (disabled)"
            print(f"{a.username:<24} {a.role:<14} {','.join(a.units) or '-'}{state}")
    elif args.verb in ("disable", "enable"):
        accounts.set_active(engine, _account_id(engine, args.username), args.verb == "enable")
        print(f"account {args.username} {args.verb}d")
    elif args.verb == "passwd":
        accounts.set_password(
            engine, _account_id(engine, args.username), _password(args.password_stdin)
        )
        print(f"password of {args.username} changed; its sessions are closed")
    return 0
