"""``sohoa report --period 2024-Q2 [--unit CODE] [--format …] [--out PATH] [--lang vi|en]
[--drill-down]``.

The KPI report of docs/kpis.md. Without ``--out``, JSON and CSV go to standard output and
XLSX/HTML to ``kpi-<period>.<ext>`` in the current folder. CSV, XLSX and HTML are in
Vietnamese unless ``--lang en``; JSON keeps English keys either way. ``--drill-down`` lists
the dossiers behind the numerators and denominators of ``--unit`` (a commune or province).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("json", "csv", "xlsx", "html")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the KPI report for a period (YYYY, YYYY-Qn, YYYY-MM)")
    p.add_argument("--period", required=True, help="YYYY, YYYY-Qn or YYYY-MM, e.g. 2024-Q2")
    p.add_argument("--unit", default=None, help="a unit code or a province code (default: all)")
    p.add_argument("--format", default="json", choices=FORMATS)
    p.add_argument("--out", type=Path, default=None, help="output file (default: see above)")
    p.add_argument(
        "--lang",
        default="vi",
        choices=("vi", "en"),
        help="language of the CSV, XLSX and HTML report (default: vi, Vietnamese)",
    )
    p.add_argument(
        "--drill-down",
        action="store_true",
        help="list the dossiers behind --unit's figures instead of the report",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import tempfile

    from ocr.errors import ConfigurationError
    from sohoa.kpi.periods import parse_period
    from sohoa.kpi.report import build_report, drill_down
    from sohoa.reports.render import render, render_drill

    period = parse_period(args.period)  # a bad period fails before the database is opened
    if args.drill_down and not args.unit:
        raise ConfigurationError("--drill-down needs --unit CODE")
    if args.drill_down and args.format == "html":
        raise ConfigurationError("the drill-down is written as json, csv or xlsx")
    data = _with_schema(
        lambda engine: (
            drill_down(engine, period, args.unit)
            if args.drill_down
            else build_report(engine, period, args.unit)
        )
    )
    out = args.out
    if out is None and args.format == "json":
        from sohoa.reports.render import json_bytes

        sys.stdout.buffer.write(json_bytes(data))
        return 0
    if out is None and args.format == "csv":
        with tempfile.TemporaryDirectory() as tmp:
            write = render_drill if args.drill_down else render
            first = write(data, "csv", Path(tmp) / "r.csv", lang=args.lang)
            sys.stdout.write(first[0].read_text(encoding="utf-8-sig"))
        return 0
    if out is None:
        out = Path(f"kpi-{period.label}.{args.format}")
    paths = (render_drill if args.drill_down else render)(data, args.format, out, lang=args.lang)
    for path in paths:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _with_schema(compute):
    """Run ``compute(engine)``; migrate only if the tables are missing.

    Reading the database needs no migration when it is current, and importing Alembic
    costs about a second of the report's time budget.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from sohoa.db.engine import make_engine

    engine = make_engine()
    try:
        return compute(engine)
    except (OperationalError, ProgrammingError) as exc:
        if "unit" not in str(exc) and "dossier" not in str(exc):
            raise
    from sohoa.db.migrate import upgrade

    return compute(upgrade(engine))
