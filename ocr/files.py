"""One scan file to its page records: the worker of ``sohoa extract`` and of the
pipeline's OCR pool alike.

Every file named gets at least one record: a file that cannot be read (missing, empty,
damaged, encrypted...) gets a ``rejected`` record saying why, and never stops the files
after it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple


class FileReading(NamedTuple):
    """The records of one file (JSON-ready dicts), and the one-line error if it was bad."""

    records: list[dict[str, Any]]
    error: str | None


def read_file(path: Path) -> FileReading:
    """All records of one file; an unreadable file (or its unreadable rest) becomes a
    ``rejected`` record whose message is also returned as ``error``."""
    from ocr.errors import InputFileError
    from ocr.jsontext import printable
    from ocr.pipeline import extract_file, rejected_file

    records: list[dict[str, Any]] = []
    try:
        for record in extract_file(path):
            records.append(record.to_json())
    except InputFileError as exc:
        records.append(rejected_file(path, exc, page=len(records) + 1).to_json())
        return FileReading(records, printable(str(exc)))
    return FileReading(records, None)


def init_worker() -> None:
    """Set up a worker process: one Tesseract thread each (the processes already use
    every core)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
