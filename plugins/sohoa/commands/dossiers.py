"""``sohoa dossiers import FILE`` and ``sohoa dossiers link``.

``import`` loads a one-stop-system export (docs/kpis.md): good rows are upserted by dossier code,
each bad row is listed on stderr with its line number and reason (exit 2 then, after the
good rows are in). ``link`` attaches scanned dossier results to their dossiers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossiers", help="import dossier exports; link scanned results")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="load a dossier export (JSON Lines or CSV)")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.set_defaults(func=run)
    link = actions.add_parser("link", help="link scanned dossier results to their dossiers")
    link.add_argument("--json", action="store_true", help="print the summary as JSON")
    link.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sohoa.db.migrate import upgrade

    engine = upgrade()
    if args.action == "link":
        from sohoa.dossiers.link import link_results

        result = link_results(engine)
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            print(result.describe(), file=sys.stderr)
        return 0
    from sohoa.dossiers.importer import import_file
    from sohoa.progress_bar import on_terminal, progress_bar

    rows = _count_rows(args.file) if on_terminal() else None
    with progress_bar(rows, "row", "reading") as bar:
        summary = import_file(engine, args.file, on_row=lambda: bar.update(1))
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False))
    for bad in summary.bad:
        print(f"{args.file}:{bad.line}: {bad.reason}", file=sys.stderr)
    print(
        f"{summary.rows} row(s): {summary.inserted} inserted, {summary.updated} updated, "
        f"{summary.unchanged} unchanged, {len(summary.bad)} bad",
        file=sys.stderr,
    )
    return 2 if summary.bad else 0


def _count_rows(path: Path) -> int | None:
    """Data rows of an export, for the bar's total: its lines, less a CSV's header (a CSV
    value with a line break in it makes this a little high; the bar then ends early)."""
    try:
        with path.open("rb") as fh:
            lines = sum(1 for line in fh if line.strip())
    except OSError:
        return None  # the importer says what is wrong with the file
    return max(0, lines - 1) if path.suffix.lower() == ".csv" else lines
