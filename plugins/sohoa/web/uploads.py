"""Receiving scans from the upload form safely, and recording what became of each file.

A browser says whatever it likes about a file: its name may carry a path (``../../x``),
control characters or a misleading extension, and an e-mailed "scan" is sometimes an HTML
error page. So the name is cleaned before it is used anywhere, the type is judged by the
file's first bytes (PNG, JPEG, TIFF, PDF), and the size is bounded while the file is copied.
Each file is streamed to a private temporary folder while it is hashed, then handed to
:func:`sohoa.landing.upload.upload_file`; a refused file never reaches the landing zone.
Every file, refused or not, gets an ``upload_file`` row so the clerk sees its fate later.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine, insert

from ocr import doctypes
from ocr.book import FIRST_YEAR, MAX_VOLUME, Book, Problem, book_problems
from ocr.errors import ConfigurationError
from ocr.loading import format_of_head, other_kind
from sohoa.db.tables import upload_batch, upload_file
from sohoa.landing.store import Landing
from sohoa.landing.upload import upload_file as land_file
from sohoa.landing.zone import safe_part

log = logging.getLogger(__name__)

BOOK_TYPE_LABELS = {t.name: t.vi_book for t in doctypes.REGISTRY.values()}
OUTCOME_LABELS = {
    "uploaded": "Đã nhận",
    "skipped_uploaded": "Bỏ qua: tệp này đã được tải lên trước đây",
    "skipped_processed": "Bỏ qua: tệp này đã được xử lý trước đây",
    "refused": "Từ chối",
}
ACCEPTED_KINDS = ("png", "jpeg", "tiff", "pdf")
MAX_NAME_BYTES = 150  # well under a file system's 255, with room for a UTF-8 name
_CHUNK = 1 << 20
_HEAD = 1024
_FALLBACK_NAME = "tep-tai-len"


# --- names -----------------------------------------------------------------------------


def clean_filename(raw: str | None) -> str:
    """A file name fit to show and to store: the last path part only (``/`` and ``\\``
    both count), no control or invisible formatting characters, no dots or spaces at
    either end (no hidden files, nothing Windows would trim), at most
    :data:`MAX_NAME_BYTES` bytes of UTF-8 with the extension kept. Vietnamese letters
    stay (NFC), so the clerk recognises the name."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch.isspace()
    )
    name = re.sub(r" {2,}", " ", name).strip(" .")
    if not name:
        return _FALLBACK_NAME
    return _shorten(name, MAX_NAME_BYTES)


def _shorten(name: str, limit: int) -> str:
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext.encode()) > 10:
        stem, ext = name, ""
    room = limit - (len(ext.encode()) + 1 if ext else 0)
    while len(stem.encode()) > room:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or _FALLBACK_NAME
    return f"{stem}.{ext}" if ext else stem


def landing_name(name: str, kind: str) -> str:
    """The name handed to the landing zone, whose key keeps only ASCII
    (:func:`sohoa.landing.zone.safe_part`): a name with nothing ASCII left (``Ảnh.``)
    becomes ``tep-tai-len.<kind>``."""
    try:
        safe_part(name)
        return name
    except ConfigurationError:
        return f"{_FALLBACK_NAME}.{'jpg' if kind == 'jpeg' else kind}"


# --- content ---------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """``png | jpeg | tiff | pdf`` from a file's first bytes, else ``None``: the pipeline's
    own rule (:func:`ocr.loading.format_of_head`), so what is accepted here it can open."""
    return format_of_head(head[:_HEAD])


# A clerk's words for each kind :func:`ocr.loading.other_kind` tells apart.
_KIND_WORDS = {
    "gif": "ảnh GIF",
    "bmp": "ảnh BMP",
    "jpeg_xr": "ảnh JPEG XR",
    "webp": "ảnh WebP",
    "heic": "ảnh HEIC/AVIF của điện thoại",
    "jpeg2000": "ảnh JPEG 2000",
    "zip": "tệp nén ZIP hoặc tài liệu Word/Excel",
    "archive": "tệp nén",
    "ole": "tài liệu Word/Excel đời cũ",
    "rtf": "tài liệu RTF",
    "html": "một trang web (HTML)",
    "xml": "tệp XML/SVG",
    "zeros": "tệp chỉ toàn byte 0 (bản sao bị hỏng)",
    "text": "tệp văn bản",
    "unknown": "một loại tệp không nhận ra",
}


def _describe(head: bytes) -> str:
    """What a refused file looks like, in words a clerk understands."""
    return _KIND_WORDS[other_kind(head)]


def content_refusal(head: bytes, filename: str) -> str | None:
    """Why a file with these first bytes is refused (Vietnamese, saying what to do), or
    ``None`` when it is a scan format the pipeline reads."""
    if not head:
        return (
            "Tệp rỗng (0 byte): có thể việc tải lên đã bị gián đoạn. "
            "Hãy chọn lại tệp này và tải lên lại."
        )
    if sniff(head):
        return None
    what = _describe(head)
    ext = filename.rpartition(".")[2].lower() if "." in filename else ""
    named = f" dù tên tệp có đuôi .{ext}" if ext else ""
    if what.startswith("ảnh"):
        return (
            f"Nội dung tệp là {what}{named}; hệ thống chỉ đọc PNG, JPEG, TIFF hoặc PDF. "
            "Hãy lưu lại ảnh dưới dạng PDF, TIFF hoặc JPEG rồi tải lên lại."
        )
    return (
        f"Tệp này không phải ảnh quét hay PDF: nội dung là {what}{named}. "
        "Hãy tải lên tệp ảnh quét gốc (PNG, JPEG, TIFF hoặc PDF), hoặc quét lại trang."
    )


def size_refusal(size: int, max_bytes: int) -> str:
    return (
        f"Tệp quá lớn ({_mb(size)} MB): mỗi tệp tối đa {max_bytes // (1024 * 1024)} MB. "
        "Hãy quét ở 300 dpi (không cần cao hơn) hoặc tách thành nhiều tệp nhỏ hơn "
        "rồi tải lên lại."
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


# --- the book --------------------------------------------------------------------------


def parse_book_form(
    form: Mapping[str, object], today: datetime | None = None
) -> tuple[Book | None, list[str]]:
    """The book typed into the upload form (its unit and uploader are never taken from
    the form: the session gives them), or the list of what to fix (Vietnamese, one line
    per fault, in the form's order)."""

    def text(name: str) -> str | None:
        value = form.get(name)
        if not isinstance(value, str):
            return None
        return unicodedata.normalize("NFC", value).strip() or None

    parts = {name: text(name) for name in _FORM_PARTS}
    this_year = (today or datetime.now(UTC)).year
    problems = book_problems(parts, required=_FORM_REQUIRED, last_year=this_year, new=True)
    if problems:
        return None, list(dict.fromkeys(_in_vietnamese(p, this_year) for p in problems))
    return Book(**parts), []


_FORM_PARTS = ("book_type", "year", "volume", "declared_entries", "dossier_code")
_FORM_REQUIRED = ("book_type", "year", "volume")


def _in_vietnamese(problem: Problem, this_year: int) -> str:
    """What the clerk reads for a fault of the book (:func:`ocr.book.book_problems`)."""
    part, rule = problem.part, problem.rule
    if part == "book_type":
        return "Hãy chọn loại sổ."
    if part == "year":
        return f"Năm của sổ phải là một số từ {FIRST_YEAR} đến {this_year}."
    if part == "volume" and rule in ("missing", "empty"):
        return "Hãy nhập số quyển."
    if part == "volume":
        return f"Số quyển tối đa {MAX_VOLUME} ký tự và phải có chữ số hoặc chữ cái (ví dụ 01, 2A)."
    if part == "declared_entries":
        return "Số trang/bản ghi khai báo phải là số nguyên không âm."
    if part == "dossier_code" and rule == "not_dossier_book":
        return "Mã hồ sơ chỉ dùng cho loại “Kết quả hồ sơ (một cửa)”; hãy để trống."
    if part == "dossier_code":
        return "Mã hồ sơ chỉ gồm chữ, số, dấu chấm và gạch nối (ví dụ 000.00.20.H40-240605-0001)."
    return problem.message  # pragma: no cover - the form has no other part


# --- receiving files -------------------------------------------------------------------


@dataclass
class FileResult:
    """What became of one uploaded file (one ``upload_file`` row)."""

    position: int
    filename: str  # cleaned
    size: int
    outcome: str  # uploaded | skipped_uploaded | skipped_processed | refused
    message: str | None = None
    pages: int | None = None
    sha256: str | None = None
    landing_key: str | None = None
    earlier_upload: int | None = None  # skipped: the web upload that brought it first

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def skipped(self) -> bool:
        return self.outcome in ("skipped_uploaded", "skipped_processed")

    def as_json(self) -> dict[str, object]:
        return {
            "filename": self.filename,
            "outcome": self.outcome,
            "label": self.label,
            "message": self.message if self.outcome == "refused" else self.label,
            "pages": self.pages,
            "earlier_batch": self.earlier_upload,
        }


@dataclass(frozen=True)
class IncomingFile:
    """A file as the form gave it: the browser's name and a readable binary stream."""

    name: str | None
    stream: BinaryIO


@dataclass
class _Copy:
    path: Path | None = None
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    too_large: bool = False


def _stream_copy(source: BinaryIO, dest: Path, max_bytes: int) -> _Copy:
    """Copy ``source`` to ``dest`` in chunks while hashing it. Past ``max_bytes`` the
    copy stops and is removed; the rest is only counted, to tell the clerk the size."""
    digest = hashlib.sha256()
    out = _Copy()
    with dest.open("wb") as fh:
        while chunk := source.read(_CHUNK):
            if len(out.head) < _HEAD:
                out.head += chunk[: _HEAD - len(out.head)]
            out.size += len(chunk)
            if out.size > max_bytes:
                out.too_large = True
            if not out.too_large:
                digest.update(chunk)
                fh.write(chunk)
    if out.too_large:
        dest.unlink(missing_ok=True)
        return out
    out.path, out.sha256 = dest, digest.hexdigest()
    return out


def receive_file(
    landing: Landing,
    incoming: IncomingFile,
    book: Book,
    position: int,
    max_bytes: int,
    workdir: Path,
) -> FileResult:
    """Check one file and, if it is a scan, put it into the landing zone."""
    name = clean_filename(incoming.name)
    folder = Path(tempfile.mkdtemp(prefix=f"f{position}-", dir=workdir))
    try:
        copy = _stream_copy(incoming.stream, folder / "upload", max_bytes)
        if copy.too_large:
            refusal = size_refusal(copy.size, max_bytes)
            return FileResult(position, name, copy.size, "refused", refusal)
        refusal = content_refusal(copy.head, name)
        if refusal:
            return FileResult(position, name, copy.size, "refused", refusal)
        kind = sniff(copy.head) or "bin"
        assert copy.path is not None
        named = copy.path.rename(folder / landing_name(name, kind))
        try:
            outcome = land_file(landing, named, book)
        except Exception:  # storage down, permissions...: the clerk must be told, not a 500
            log.exception("could not put upload file %d into the landing zone", position)
            return FileResult(
                position,
                name,
                copy.size,
                "refused",
                "Không lưu được tệp vào kho tiếp nhận. Hãy thử tải lên lại; nếu vẫn lỗi, "
                "báo cho quản trị hệ thống.",
            )
        return FileResult(
            position,
            name,
            copy.size,
            outcome.status,
            None,
            outcome.pages,
            copy.sha256,
            outcome.key,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def receive_upload(
    engine: Engine,
    landing: Landing,
    *,
    user_id: int,
    unit: str,
    uploader: str,
    book: Book,
    files: Sequence[IncomingFile],
    max_bytes: int,
    now: datetime | None = None,
) -> tuple[int | None, list[FileResult]]:
    """Receive every file of one upload and record the upload; returns its id and the
    result of each file, in the order the files were sent.

    An upload of files that were all uploaded before records no upload (the id is
    ``None``): their pages belong to the uploads that brought them, which each skipped
    file names (``earlier_upload``)."""
    from sohoa.web.upload_status import earlier_uploads

    info = replace(book, unit=unit, uploader=uploader).complete()
    with tempfile.TemporaryDirectory(prefix="sohoa-upload-") as work:
        results = [
            receive_file(landing, f, info, i, max_bytes, Path(work))
            for i, f in enumerate(files, start=1)
        ]
    earlier = earlier_uploads(engine, [r.sha256 for r in results if r.skipped and r.sha256])
    for r in results:
        if r.skipped and r.sha256:
            r.earlier_upload = earlier.get(r.sha256)
    if results and all(r.skipped for r in results):
        return None, results
    upload_id = record_upload(engine, user_id, unit, book, results, now)
    return upload_id, results


def record_upload(
    engine: Engine,
    user_id: int,
    unit: str,
    book: Book,
    results: Sequence[FileResult],
    now: datetime | None = None,
) -> int:
    """One ``upload_batch`` row and an ``upload_file`` row per file, in one transaction."""
    with engine.begin() as conn:
        upload_id = conn.execute(
            insert(upload_batch).values(
                user_id=user_id,
                unit_code=unit,
                book_type=book.book_type,
                year=book.year,
                volume=book.volume,
                declared_entries=book.declared_entries,
                dossier_code=book.dossier_code,
                created_at=now or datetime.now(UTC),
            )
        ).inserted_primary_key[0]
        if results:
            conn.execute(
                insert(upload_file),
                [
                    {
                        "batch_id": upload_id,
                        "position": r.position,
                        "filename": r.filename,
                        "size": r.size,
                        "sha256": r.sha256,
                        "pages": r.pages,
                        "outcome": r.outcome,
                        "message": r.message,
                        "landing_key": r.landing_key,
                    }
                    for r in results
                ],
            )
    return int(upload_id)
