"""``sohoa run``: the whole pipeline once, over everything new in the landing zone.

It runs the production ``sohoa_digitize`` DAG in this process (Airflow's ``dag.test()``)
on embedded defaults: SQLite for Airflow's metadata (``./.sohoa/airflow``) and for the
population database, and the local landing folder. Running it again with nothing new
changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the pipeline once over the new scans in the landing zone")
    p.add_argument(
        "--landing", default=None, help="landing zone (default: SOHOA_LANDING or ./.sohoa/landing)"
    )
    p.add_argument(
        "--airflow-home",
        type=Path,
        default=None,
        help="Airflow's home for this run (default: AIRFLOW_HOME or ./.sohoa/airflow)",
    )
    p.add_argument(
        "--batch-pages",
        type=int,
        default=None,
        help="pages per batch (default: SOHOA_BATCH_PAGES or 25)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ocr.engines import check
    from sohoa.settings import choose_for_process

    check()  # an unknown recognizer (exit 2) or a missing model stops the run (exit 3) first
    if args.landing:
        choose_for_process(landing=args.landing)
    if args.batch_pages:
        choose_for_process(batch_pages=args.batch_pages)
    from sohoa.orchestration.embedded import print_summary, run_digitize

    result = run_digitize(args.airflow_home, quiet=not getattr(args, "verbose", False))
    print_summary(result)
    return 0 if result.state == "success" and not (result.report or {}).get("missing") else 1
