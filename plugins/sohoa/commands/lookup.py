"""``sohoa lookup --personal-id N [--dossier CODE --component NAME]``: the reuse lookup.

Prints the person's digitized records as JSON, logs a ``reuse_event`` and, for a dossier's
component, marks it reused (docs/kpis.md). Exit 1 when nothing was found (the lookup is logged).
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lookup", help="find a person's digitized records for a dossier (reuse)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--personal-id", help="the 12-digit personal ID")
    who.add_argument("--registration-number", help="a registration number")
    p.add_argument("--dossier", default=None, help="the dossier code this lookup serves")
    p.add_argument("--component", default=None, help="the dossier component (name or position)")
    p.add_argument("--actor", default=None, help="who looks up (default: SOHOA_ACTOR or login)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import getpass
    import json

    from sohoa.db.migrate import upgrade
    from sohoa.dossiers.reuse import lookup
    from sohoa.settings import get_settings

    actor = args.actor or get_settings().actor or getpass.getuser()
    result = lookup(
        upgrade(),
        personal_id=args.personal_id,
        registration_number=args.registration_number,
        dossier_code=args.dossier,
        component=args.component,
        actor=actor,
    )
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    return 0 if result.found else 1
