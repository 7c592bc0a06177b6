"""``sohoa upload PATH… --unit CODE --book-type birth --year 1987 --volume 01``.

Puts scans into the landing zone (``SOHOA_LANDING``) with a sidecar per file; files the
zone already holds (same sha256) are skipped, so uploading a folder again is harmless.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ocr import doctypes


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("upload", help="put scans and their book metadata into the landing zone")
    p.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="image or PDF files, or folders of them"
    )
    p.add_argument("--unit", required=True, help="administrative unit code, e.g. 25920")
    p.add_argument("--book-type", required=True, choices=doctypes.names())
    p.add_argument("--year", required=True, type=int, help="the register book's year")
    p.add_argument("--volume", required=True, help="the register book's volume, e.g. 01")
    p.add_argument(
        "--declared-entries",
        type=int,
        default=None,
        help="entries the book declares (for the progress KPI)",
    )
    p.add_argument(
        "--uploader", default=None, help="who uploads (default: SOHOA_UPLOADER or the login name)"
    )
    p.add_argument(
        "--dossier",
        default=None,
        metavar="CODE",
        help="for dossier results: the dossier code (Mã hồ sơ) the scans belong to",
    )
    p.add_argument(
        "--landing", default=None, help="landing zone (default: SOHOA_LANDING or ./.sohoa/landing)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ocr.book import IDENTITY, Book
    from ocr.errors import InputFileError
    from ocr.jsontext import printable
    from sohoa.commands.extract import expand
    from sohoa.landing.store import open_landing
    from sohoa.landing.upload import upload_file
    from sohoa.progress_bar import progress_bar, say

    book = Book(
        unit=args.unit,
        book_type=args.book_type,
        year=args.year,
        volume=args.volume,
        declared_entries=args.declared_entries,
        uploader=args.uploader,
        dossier_code=args.dossier,
    ).check(required=IDENTITY, new=True)
    paths = expand(args.paths)
    if not paths:
        raise InputFileError("no scan files found in the given paths")
    landing = open_landing(args.landing)
    counts: Counter[str] = Counter()
    pages = 0
    with progress_bar(len(paths), "file", "uploading") as bar:
        for path in paths:
            try:
                outcome = upload_file(landing, path, book)
            except InputFileError as exc:  # this file only: the files after it still go up
                counts["refused"] += 1
                say(f"{'refused':18} {printable(str(exc))}")
            else:
                counts[outcome.status] += 1
                if outcome.status == "uploaded":
                    pages += outcome.pages
                say(f"{outcome.status:18} {printable(str(path))}")
            bar.update(1)
    refused = f"; {counts['refused']} could not be read" if counts["refused"] else ""
    print(
        f"{counts['uploaded']} file(s) ({pages} page(s)) uploaded to {landing.uri('')}; "
        f"{counts['skipped_uploaded']} already uploaded, "
        f"{counts['skipped_processed']} already processed{refused}",
        file=sys.stderr,
    )
    return 2 if counts["refused"] else 0
