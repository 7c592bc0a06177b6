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


def read_file(path: Path, book: Any = None) -> FileReading:
    """All records of one file; an unreadable file (or its unreadable rest) becomes a
    ``rejected`` record whose message is also returned as ``error``. ``book``: the
    :class:`ocr.book.Book` the file's pages belong to, when known."""
    from ocr.errors import InputFileError
    from ocr.jsontext import printable
    from ocr.pipeline import extract_file, rejected_file

    records: list[dict[str, Any]] = []
    try:
        for record in extract_file(path, book=book):
            records.append(record.to_json())
    except InputFileError as exc:
        records.append(rejected_file(path, exc, page=len(records) + 1).to_json())
        return FileReading(records, printable(str(exc)))
    return FileReading(records, None)


def load_shared() -> None:
    """Import the reader and build the lists every page consults (units, names,
    titles) in this process. Workers forked after it share that one copy instead of each
    paying about a second of CPU for its own."""
    import ocr.pipeline  # noqa: F401 - its imports are most of a worker's start-up
    from ocr import lexicon, units

    units.load()
    lexicon.load()


def init_worker(parent_pid: int | None = None) -> None:
    """Set up a worker process: one Tesseract thread each (the processes already use
    every core), and gone when ``parent_pid`` (the process that started it) is gone."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if parent_pid is not None:
        die_with_parent(parent_pid)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when its parent dies, however the parent dies
    (``SIGKILL`` included): a pool worker blocked on its task queue would otherwise live
    on, since it holds both ends of the queue's pipe itself and never sees end-of-file.

    The parent may have died before the request was made: then exit at once."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: nothing asks the kernel for this
        return
    if os.getppid() != parent_pid:
        os._exit(1)
