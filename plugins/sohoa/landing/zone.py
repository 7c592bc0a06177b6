"""The landing zone's layout: where a scan, its sidecar, its fate and its staging live.

::

    incoming/<unit>/<book type>/<year>/<volume>/<sha256>/<file name>   the scan as uploaded
    incoming/<unit>/<book type>/<year>/<volume>/<sha256>/meta.json     its sidecar
    index/<sha256>.json           the hash was uploaded (skip a second upload of it)
    processed/<sha256>.json       the pipeline has finished with it (skip it from then on)
    quarantine/<same path as in incoming>  an unreadable file, with ``reason.txt`` beside it
    moves/<time>-<key>.json       the record of every object that was moved
    runs/<run id>/...             a pipeline run's staged batch results
    dossiers/                     one-stop dossier exports waiting to be imported

The hash sits in the key so that finding new scans is one listing, without opening any
sidecar. Processed scans stay where they are: the database and the review screen point
at them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ocr.book import Book
from ocr.errors import ConfigurationError
from sohoa.landing.store import Landing

INCOMING = "incoming"
INDEX = "index"
PROCESSED = "processed"
QUARANTINE = "quarantine"
RUNS = "runs"
DOSSIERS = "dossiers"
SIDECAR = "meta.json"
REASON = "reason.txt"
_SAFE = re.compile(r"[^0-9A-Za-z._-]+")


def safe_part(text: str) -> str:
    """A path segment from free text (unit codes such as ``000.00.20.H40`` stay as they are)."""
    part = _SAFE.sub("_", text.strip()).strip("._")
    if not part:
        raise ConfigurationError(f"cannot use {text!r} in a landing path")
    return part


@dataclass(frozen=True)
class ScanMeta:
    """The sidecar of one uploaded scan file: the book the uploader declared, and the
    file itself. On disk it is one flat object (the book's fields beside the file's)."""

    book: Book
    sha256: str
    filename: str
    pages: int = 1
    size: int = 0
    uploaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def __post_init__(self) -> None:
        self.book.complete()
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ConfigurationError(f"not a sha256: {self.sha256!r}")

    @property
    def folder(self) -> str:
        b = self.book
        return "/".join(
            [
                INCOMING,
                safe_part(str(b.unit)),
                str(b.book_type),
                str(b.year),
                safe_part(str(b.volume)),
                self.sha256,
            ]
        )

    @property
    def scan_key(self) -> str:
        return f"{self.folder}/{safe_part(self.filename)}"

    @property
    def sidecar_key(self) -> str:
        return f"{self.folder}/{SIDECAR}"

    def to_json(self) -> dict[str, Any]:
        b = self.book
        return {
            "unit": b.unit,
            "book_type": b.book_type,
            "year": b.year,
            "volume": b.volume,
            "sha256": self.sha256,
            "filename": self.filename,
            "pages": self.pages,
            "size": self.size,
            "declared_entries": b.declared_entries,
            "uploader": b.uploader,
            "dossier_code": b.dossier_code,
            "uploaded_at": self.uploaded_at,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> ScanMeta:
        files = {
            k: doc[k] for k in ("sha256", "filename", "pages", "size", "uploaded_at") if k in doc
        }
        return cls(book=Book.from_meta(doc) or Book(), **files)


def index_key(sha256: str) -> str:
    return f"{INDEX}/{sha256}.json"


def processed_key(sha256: str) -> str:
    return f"{PROCESSED}/{sha256}.json"


def sidecar_of(scan_key: str) -> str:
    return scan_key.rsplit("/", 1)[0] + "/" + SIDECAR


def sha_of(scan_key: str) -> str:
    return scan_key.rsplit("/", 2)[-2]


def quarantine_key(key: str) -> str:
    """``incoming/a/b/c`` → ``quarantine/a/b/c``."""
    return QUARANTINE + "/" + key.split("/", 1)[1]


def read_meta(landing: Landing, scan_key: str) -> ScanMeta:
    """The sidecar of a scan, wherever the scan now is (incoming or quarantine)."""
    for key in (sidecar_of(scan_key), sidecar_of(quarantine_key(scan_key))):
        if landing.exists(key):
            return ScanMeta.from_json(landing.read_json(key))
    raise KeyError(f"no sidecar for {scan_key}")


def processed_hashes(landing: Landing) -> set[str]:
    return {k.rsplit("/", 1)[-1].removesuffix(".json") for k in landing.list(PROCESSED)}


def incoming_key(key: str) -> str:
    """``quarantine/a/b/c`` → ``incoming/a/b/c`` (a scan's key as uploaded)."""
    return INCOMING + "/" + key.split("/", 1)[1]


def pending_scans(landing: Landing) -> Iterator[str]:
    """Keys (as uploaded, under ``incoming/``) of scans the pipeline has not finished
    with, in a stable order. A scan quarantined by a run that then failed is still
    pending: its ``rejected`` record has not reached the database yet."""
    done = processed_hashes(landing)
    found: set[str] = set()
    for area in (INCOMING, QUARANTINE):
        keys = sorted(landing.list(area))
        with_sidecar = {k.rsplit("/", 1)[0] for k in keys if k.endswith("/" + SIDECAR)}
        for key in keys:
            folder, _, name = key.rpartition("/")
            if name in (SIDECAR, REASON) or folder not in with_sidecar:
                continue  # a scan without its sidecar is an upload still in progress
            if folder.rsplit("/", 1)[-1] not in done:
                found.add(incoming_key(key))
    yield from sorted(found)


def mark_processed(landing: Landing, scan_key: str, run_id: str, outcome: str) -> None:
    """Remember that a scan is finished with, so it is not picked up again."""
    landing.put_json(
        processed_key(sha_of(scan_key)),
        {
            "key": scan_key,
            "uri": landing.uri(scan_key),
            "run_id": run_id,
            "outcome": outcome,
            "at": datetime.now(UTC).isoformat(),
        },
    )


def quarantine(landing: Landing, scan_key: str, reason: str) -> str:
    """Move an unreadable scan and its sidecar out of ``incoming/``, with ``reason.txt``
    beside it saying why; returns the scan's new key. Safe to repeat."""
    dest = quarantine_key(scan_key)
    folder = dest.rsplit("/", 1)[0]
    landing.put_bytes(f"{folder}/{REASON}", (reason.strip() + "\n").encode())
    if landing.exists(scan_key):
        landing.move(scan_key, dest, reason)
    side = sidecar_of(scan_key)
    if landing.exists(side):
        landing.move(side, sidecar_of(dest), reason)
    return dest


def replaced_key(scan_key: str, content_sha256: str) -> str:
    """Where a scan whose content is not what was uploaded is kept: the same place, in the
    folder of the hash it really has (key as uploaded, under ``incoming/``)."""
    folder, name = scan_key.rsplit("/", 1)
    return f"{folder.rsplit('/', 1)[0]}/{content_sha256}/{name}"


def quarantine_replaced(landing: Landing, scan_key: str, content_sha256: str, reason: str) -> str:
    """Quarantine a scan that was replaced after its upload, under the hash it really has;
    returns its key (as uploaded, under ``incoming/``, like :func:`pending_scans` gives).

    The uploaded file's hash is not marked processed, and its index entry is moved aside
    (to ``index/replaced/``), so the original can be uploaded again."""
    new_key = replaced_key(scan_key, content_sha256)
    dest = quarantine_key(new_key)
    landing.put_bytes(f"{dest.rsplit('/', 1)[0]}/{REASON}", (reason.strip() + "\n").encode())
    if landing.exists(scan_key):
        landing.move(scan_key, dest, reason)
    if landing.exists(sidecar_of(scan_key)):
        landing.move(sidecar_of(scan_key), sidecar_of(dest), reason)
    uploaded = index_key(sha_of(scan_key))
    if landing.exists(uploaded):
        landing.move(uploaded, f"{INDEX}/replaced/{sha_of(scan_key)}.json", reason)
    return new_key


def discard_staged(landing: Landing, key: str) -> None:
    """Remove a pipeline run's staged object (only under ``runs/``): derived data such as
    a batch's records, which the database holds once loaded. Scans are never removed."""
    if not key.startswith(RUNS + "/"):
        raise ConfigurationError(f"only a run's staged objects may be removed, not {key!r}")
    if landing.exists(key):
        landing._remove(key)


def quarantine_reason(landing: Landing, scan_key: str) -> str | None:
    """The reason a scan was quarantined, or ``None`` if it was not."""
    folder = quarantine_key(scan_key).rsplit("/", 1)[0]
    try:
        return landing.read_bytes(f"{folder}/{REASON}").decode().strip()
    except KeyError:
        return None
