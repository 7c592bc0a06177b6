"""The ``sohoa`` command line.

Each subcommand lives in :mod:`sohoa.commands` as a module with ``register(subparsers)``;
modules are imported only when listed here, and heavy imports stay inside ``run`` so
``sohoa --help`` is instant. Typed errors become one line on stderr and the exit codes
of the README; a traceback is only shown with ``SOHOA_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ocr.errors import SohoaError

COMMANDS = [
    "extract",
    "samples",
    "upload",
    "run",
    "review",
    "load",
    "dossiers",
    "report",
    "lookup",
    "export",
    "serve",
    "users",
    "cluster",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sohoa",
        description="Digitize scanned Vietnamese civil-status records.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"sohoa.commands.{name}").register(sub)
    return parser


def _debug() -> bool:
    """``SOHOA_DEBUG``; off when the settings themselves are what failed to parse."""
    from sohoa.settings import get_settings

    try:
        return get_settings().debug
    except SohoaError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except SohoaError as exc:
        if _debug():
            raise
        print(f"sohoa: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sohoa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
