"""``sohoa load RECORDS.jsonl --unit CODE --book-type birth --year 1987 --volume 01``.

Checks the extracted records of one book through the Great Expectations gate and loads it in
one transaction; prints what became of every page. Rerunning the same file changes
nothing.
"""

from __future__ import annotations

import argparse
import sys

from ocr import doctypes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="check and load extracted records (JSON Lines) of one book")
    p.add_argument(
        "records", metavar="RECORDS.jsonl", help="output of `sohoa extract`; - for stdin"
    )
    p.add_argument("--unit", required=True, help="code of the unit that keeps the book")
    p.add_argument("--book-type", required=True, choices=doctypes.names())
    p.add_argument("--year", required=True, type=int, help="year of the register book")
    p.add_argument("--volume", required=True, help="volume (quyển số) of the book")
    p.add_argument("--declared-entries", type=int, help="entries the book declares")
    p.add_argument("--uploader", help="who uploaded the scans")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ocr.book import IDENTITY, Book
    from sohoa.db.migrate import upgrade
    from sohoa.load.jsonl import read_records
    from sohoa.load.transaction import load_records

    book = Book(
        args.unit, args.book_type, args.year, args.volume, args.declared_entries, args.uploader
    ).check(required=IDENTITY, new=True)
    records, digest = read_records(args.records)
    engine = upgrade()
    key = f"load:{book.unit}:{book.book_type}:{book.year}:{book.volume}:{digest}"
    summary = load_records(engine, records, book, run_key=key)
    out = sys.stdout
    print(f"records   {summary.records}", file=out)
    print(f"loaded    {summary.loaded}", file=out)
    print(f"in review {summary.in_review}", file=out)
    print(f"rejected  {summary.rejected}", file=out)
    print(f"already loaded (skipped) {summary.skipped_existing}", file=out)
    if summary.duplicate_pages:
        print(f"duplicate pages in input {summary.duplicate_pages}", file=out)
    print(
        f"persons   {summary.persons_created} new, {summary.persons_linked} linked, "
        f"{summary.duplicate_flags} possible duplicates flagged",
        file=out,
    )
    for rule, count in sorted(summary.reasons.items()):
        print(f"  review reason {rule}: {count}", file=out)
    if summary.warnings:
        print(f"warnings  {summary.warnings} (e.g. gaps in the numbering)", file=out)
    if summary.validation_report:
        print(f"data docs {summary.validation_report}", file=out)
    if summary.validation_result:
        print(f"results   {summary.validation_result}", file=out)
    print(f"time      {summary.seconds:.2f}s", file=out)
    return 0
