"""``sohoa extract PATH…``: scans to JSON Lines (docs/record.md).

Files are read in parallel, one worker process per core, each keeping its own Tesseract
engine loaded. A file that cannot be read gets one line on stderr and a ``rejected``
record on stdout, the rest of the call carries on, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocr import doctypes

if TYPE_CHECKING:
    from ocr.files import FileReading

SCAN_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="read scans and print one JSON record per page")
    p.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="image or PDF files, or folders of them"
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: one per core)",
    )
    p.add_argument(
        "--summary", action="store_true", help="print a readable summary to stderr at the end"
    )
    book = p.add_argument_group("the register book the pages belong to (optional)")
    book.add_argument("--unit", help="code of the unit that keeps the book, e.g. 25920")
    book.add_argument("--book-type", choices=doctypes.names())
    book.add_argument("--year", type=int, help="the book's year")
    p.set_defaults(func=run)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly are taken whatever their extension (content decides);
    folders contribute the scan files they hold."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES
            )
        else:
            out.append(path)
    return out


def extract_all(paths: list[Path], jobs: int, book: Any = None) -> Iterator[FileReading]:
    """Each file's records, in order, read by ``jobs`` worker processes; ``book``: the
    :class:`ocr.book.Book` the files' pages belong to, when known."""
    from ocr.files import init_worker, load_shared, read_file

    one = partial(read_file, book=book)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(one, paths)
        return
    load_shared()  # before the workers fork: built once, not once per worker
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=init_worker, initargs=(os.getpid(),)
    ) as pool:
        yield from pool.map(one, paths)


def run(args: argparse.Namespace) -> int:
    from ocr.book import Book
    from ocr.engines import check
    from ocr.jsontext import json_text
    from sohoa.progress_bar import progress_bar, say

    check()  # an unknown recognizer (exit 2) or a missing model (exit 3) stops it first
    book = Book(args.unit, args.book_type, args.year).check(known_unit=True, new=True)
    paths = expand(args.paths)
    if not paths:
        print("sohoa: error: no scan files found in the given paths", file=sys.stderr)
        return 2
    statuses: Counter[str] = Counter()
    types: Counter[str] = Counter()
    bad_files = 0
    with progress_bar(len(paths), "file", "reading") as bar:
        for records, error in extract_all(paths, args.jobs, book if book != Book() else None):
            if error:
                bad_files += 1
                say(f"sohoa: error: {error}")
            for rec in records:
                statuses[rec["status"]] += 1
                types[rec["doc_type"]] += 1
                sys.stdout.write(json_text(rec) + "\n")
            sys.stdout.flush()
            bar.update(1)
    if args.summary:
        _print_summary(len(paths), bad_files, statuses, types)
    return 2 if bad_files else 0


def _print_summary(files: int, bad: int, statuses: Counter[str], types: Counter[str]) -> None:
    pages = sum(statuses.values())
    lines = [
        f"\n{files} file(s), {pages} page record(s); {bad} file(s) could not be read",
        "  by status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
        "  by type:   " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())),
    ]
    print("\n".join(lines), file=sys.stderr)
