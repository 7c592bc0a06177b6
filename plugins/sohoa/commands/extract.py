"""``sohoa extract PATH…``: scans to JSON Lines (SPEC section 3).

Files are read in parallel, one worker process per core, each keeping its own Tesseract
engine loaded. A file that cannot be read gets one line on stderr and a ``rejected``
record on stdout, the rest of the call carries on, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

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
    book.add_argument("--book-type", choices=("birth", "death", "marriage", "dossier_result"))
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


def _extract_one(path: Path, book: Any = None) -> tuple[list[dict], str | None]:
    """Worker: all records of one file, and the error line if the file was bad.

    ``book``: the :class:`ocr.book.Book` the file's pages belong to, when known."""
    from ocr.errors import InputFileError
    from ocr.pipeline import extract_file, rejected_file

    records: list[dict] = []
    try:
        if not path.exists():
            raise InputFileError(f"{path}: no such file; check the path")
        for record in extract_file(path, book=book):
            records.append(record.to_json())
    except InputFileError as exc:
        records.append(rejected_file(path, exc, page=len(records) + 1).to_json())
        return records, str(exc)
    return records, None


def _init_worker() -> None:
    # One Tesseract thread per process: the processes already use every core.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def extract_all(
    paths: list[Path], jobs: int, book: Any = None
) -> Iterator[tuple[list[dict], str | None]]:
    one = partial(_extract_one, book=book)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(one, paths)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        yield from pool.map(one, paths)


def run(args: argparse.Namespace) -> int:
    from ocr.book import Book
    from ocr.engine import tessdata_dir

    tessdata_dir()  # a missing language pack stops the run before any work (exit 3)
    book = Book(args.unit, args.book_type, args.year).check_unit()
    paths = expand(args.paths)
    if not paths:
        print("sohoa: error: no scan files found in the given paths", file=sys.stderr)
        return 2
    statuses: Counter[str] = Counter()
    types: Counter[str] = Counter()
    bad_files = 0
    for records, error in extract_all(paths, args.jobs, book if book != Book() else None):
        if error:
            bad_files += 1
            print(f"sohoa: error: {error}", file=sys.stderr)
        for rec in records:
            statuses[rec["status"]] += 1
            types[rec["doc_type"]] += 1
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        sys.stdout.flush()
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
