"""``sohoa export book --unit U --book-type T --year Y --volume V --out FILE.zip``.

See docs/export.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ocr.book import BOOK_TYPES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export for the national civil-status system")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    book = what.add_parser("book", help="a register book: a PDF and a spreadsheet row per record")
    book.add_argument("--unit", required=True, help="administrative unit code, e.g. 25920")
    book.add_argument("--book-type", required=True, choices=BOOK_TYPES)
    book.add_argument("--year", required=True, type=int)
    book.add_argument("--volume", required=True)
    book.add_argument("--out", required=True, type=Path, help="the zip file to write")
    book.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from sohoa.db.migrate import upgrade
    from sohoa.progress_bar import progress_bar
    from sohoa.reports.export_book import export_book

    with progress_bar(None, "record", "exporting") as bar:

        def tick(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        summary = export_book(
            upgrade(),
            unit_code=args.unit,
            book_type=args.book_type,
            year=args.year,
            volume=args.volume,
            out=args.out,
            on_record=tick,
        )
    print(
        f"wrote {summary.path}: {summary.records} record(s), {summary.scans_embedded} scan(s), "
        f"{summary.value_sheets} value page(s) for scans that could not be read",
        file=sys.stderr,
    )
    return 0
