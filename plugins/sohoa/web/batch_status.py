"""What became of each page of an upload: queued, loaded, in review or rejected.

The status is read where the pipeline writes it (``sohoa run``, see
``sohoa.orchestration.tasks``), never kept a second time:

- the ``scan`` table, by ``sha256 + page``: ``loaded``, ``in_review`` (with its pending
  ``review_item``) or ``rejected`` with ``reject_reason``. A confirmed review turns its
  scan ``loaded``, a rejected one ``rejected``, so the page follows the review too;
- a file the pipeline could not read is quarantined: its first unread page becomes a
  ``rejected`` scan row saying why, and the pages after it get no row at all. Those pages
  are rejected with the file's quarantine reason (``quarantine/.../reason.txt``) once the
  file is marked processed (``processed/<sha256>.json``, written after the load);
- anything else is still ``queued``: not processed yet (or a run is under way).

Files are identified by their hash, so a file skipped as already uploaded shows the pages
of the upload that brought it first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from sohoa.db.tables import app_user, review_item, scan, upload_batch, upload_file
from sohoa.landing.store import Landing
from sohoa.landing.zone import processed_key, quarantine_reason
from sohoa.web.access import Principal

FINAL = ("loaded", "in_review", "rejected")
STATUSES = ("queued", *FINAL)
STATUS_LABELS = {
    "queued": "Chờ xử lý",
    "loaded": "Đã nạp vào cơ sở dữ liệu",
    "in_review": "Cần duyệt",
    "rejected": "Bị loại",
}
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
MISSING_PAGE = (
    "Không có trang này trong kết quả xử lý (số trang đếm khi tải lên khác với tệp). "
    "Hãy kiểm tra tệp gốc."
)
_SQL_CHUNK = 500

# Known reasons of the pipeline (English, for engineers) -> what a clerk should read.
_REASONS = (
    ("password-protected", "PDF có mật khẩu: hãy xin bản không đặt mật khẩu rồi tải lên lại."),
    ("too large to open safely", "Ảnh quá lớn để mở: hãy quét ở 300 dpi hoặc tách tệp."),
    ("too small", "Ảnh quá nhỏ để đọc: hãy quét lại ở 200–300 dpi."),
    ("is empty", "Tệp rỗng: hãy tải lên lại."),
    ("not an image or PDF", "Không phải ảnh quét hay PDF: hãy tải lên tệp gốc."),
    ("does not read", "Định dạng ảnh không đọc được: hãy lưu thành PDF, TIFF hoặc JPEG."),
    ("has no pages", "PDF không có trang nào: hãy tải lên lại tệp gốc."),
    ("damaged", "Tệp bị hỏng hoặc không đầy đủ: hãy tải lên lại tệp gốc hoặc quét lại."),
    ("could not be decoded", "Tệp bị hỏng: hãy tải lên lại tệp gốc hoặc quét lại."),
    ("no longer in the landing zone", "Tệp không còn trong kho tiếp nhận: hãy tải lên lại."),
    ("blank", "Trang trắng."),
    ("blurred", "Trang bị mờ: hãy quét lại, giữ tài liệu phẳng và rõ nét."),
    ("does not look like a document", "Không phải trang tài liệu (ảnh chụp hoặc hình vẽ)."),
    ("no printed text", "Không đọc được chữ in: nếu trang viết tay, hãy nhập tay khi duyệt."),
)


def explain(reason: str | None) -> str | None:
    """A Vietnamese line for a pipeline reason (the original stays beside it)."""
    if not reason:
        return None
    low = reason.lower()
    for needle, text in _REASONS:
        if needle.lower() in low:
            return text
    return "Trang bị loại khi xử lý."


@dataclass(frozen=True)
class Batch:
    id: int
    user_id: int
    uploader: str
    unit_code: str
    book_type: str
    year: int
    volume: str
    declared_entries: int | None
    dossier_code: str | None
    created_at: datetime
    files: int = 0
    pages: int = 0

    @property
    def created_local(self) -> str:
        at = self.created_at
        if at.tzinfo is None:  # SQLite hands back naive UTC
            at = at.replace(tzinfo=UTC)
        return at.astimezone(LOCAL_TIME).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class PageStatus:
    file: int  # the file's position in its upload
    page: int
    status: str  # queued | loaded | in_review | rejected
    reason: str | None = None  # the pipeline's words (rejected only)
    review_item_id: int | None = None  # in_review only

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def explanation(self) -> str | None:
        return explain(self.reason) if self.status == "rejected" else None


@dataclass
class FileStatus:
    position: int
    filename: str
    outcome: str
    message: str | None
    size: int
    pages: list[PageStatus] = field(default_factory=list)


@dataclass
class BatchStatus:
    batch: Batch
    files: list[FileStatus]

    @property
    def pages(self) -> list[PageStatus]:
        return [p for f in self.files for p in f.pages]

    @property
    def counts(self) -> dict[str, int]:
        seen = Counter(p.status for p in self.pages)
        return {s: seen[s] for s in STATUSES}

    @property
    def done(self) -> bool:
        """Every page has reached a final status (a batch of refused files only is done)."""
        return all(p.status in FINAL for p in self.pages)

    @property
    def refused(self) -> list[FileStatus]:
        return [f for f in self.files if f.outcome == "refused"]


# --- reading batches -------------------------------------------------------------------


def _batch_query():
    return select(
        upload_batch,
        func.coalesce(app_user.c.display_name, app_user.c.username).label("uploader"),
    ).join(app_user, app_user.c.id == upload_batch.c.user_id)


def _batch(row, files: int = 0, pages: int = 0) -> Batch:
    return Batch(
        id=row.id,
        user_id=row.user_id,
        uploader=row.uploader,
        unit_code=row.unit_code,
        book_type=row.book_type,
        year=row.year,
        volume=row.volume,
        declared_entries=row.declared_entries,
        dossier_code=row.dossier_code,
        created_at=row.created_at,
        files=files,
        pages=pages,
    )


def get_batch(engine: Engine, batch_id: int) -> Batch | None:
    with engine.connect() as conn:
        row = conn.execute(_batch_query().where(upload_batch.c.id == batch_id)).first()
    return _batch(row) if row else None


def list_batches(engine: Engine, principal: Principal, limit: int = 200) -> list[Batch]:
    """The batches of the units this person may see, newest first: an archive clerk's own
    unit, a reviewer's assigned units (communes or whole provinces)."""
    query = _batch_query().order_by(upload_batch.c.created_at.desc(), upload_batch.c.id.desc())
    if principal.role == "archive_staff":
        query = query.where(upload_batch.c.unit_code == (principal.home_unit or ""))
    elif not any(_wide(scope) for scope in principal.units):
        query = query.where(upload_batch.c.unit_code.in_(principal.units or ("",)))
    with engine.connect() as conn:
        rows = [r for r in conn.execute(query.limit(limit * 20)) if principal.covers(r.unit_code)]
        rows = rows[:limit]
        sizes = {
            r.batch_id: (r.files, r.pages or 0)
            for r in conn.execute(
                select(
                    upload_file.c.batch_id,
                    func.count().label("files"),
                    func.sum(upload_file.c.pages).label("pages"),
                )
                .where(upload_file.c.batch_id.in_([r.id for r in rows] or [0]))
                .group_by(upload_file.c.batch_id)
            )
        }
    return [_batch(r, *sizes.get(r.id, (0, 0))) for r in rows]


def _wide(scope: str) -> bool:
    """A scope that covers more than its own code (all units, or a province)."""
    from sohoa.kpi.units import is_province_code

    return scope == "*" or is_province_code(scope)


# --- page statuses ---------------------------------------------------------------------


def _scan_rows(engine: Engine, shas: Sequence[str]) -> dict[str, dict[int, tuple]]:
    """sha256 -> page -> (status, reject_reason, pending review item id)."""
    found: dict[str, dict[int, tuple]] = {}
    unique = sorted(set(shas))
    with engine.connect() as conn:
        for start in range(0, len(unique), _SQL_CHUNK):
            rows = conn.execute(
                select(
                    scan.c.sha256,
                    scan.c.page,
                    scan.c.status,
                    scan.c.reject_reason,
                    review_item.c.id.label("item_id"),
                    review_item.c.state,
                )
                .outerjoin(review_item, review_item.c.scan_id == scan.c.id)
                .where(scan.c.sha256.in_(unique[start : start + _SQL_CHUNK]))
            )
            for r in rows:
                item = r.item_id if r.status == "in_review" and r.state == "pending" else None
                found.setdefault(r.sha256, {})[r.page] = (r.status, r.reject_reason, item)
    return found


def _unread_reason(landing: Landing | None, sha: str) -> str | None:
    """Why pages of a processed file have no scan row, or None if it is not processed."""
    if landing is None:
        return None
    try:
        marker = landing.read_json(processed_key(sha))
    except KeyError:
        return None
    key = marker.get("key")
    reason = quarantine_reason(landing, key) if key else None
    return reason or MISSING_PAGE


def file_pages(
    position: int,
    sha: str | None,
    pages: int | None,
    rows: dict[int, tuple],
    landing: Landing | None,
) -> list[PageStatus]:
    """The pages of one (accepted) file, from its scan rows and the landing zone."""
    if sha is None:
        return []
    count = max([pages or 1, *rows])
    out: list[PageStatus] = []
    unread: str | None = None
    looked = False
    for page in range(1, count + 1):
        if page in rows:
            status, reason, item = rows[page]
            out.append(PageStatus(position, page, status, reason, item))
            continue
        if not looked:
            unread, looked = _unread_reason(landing, sha), True
        if unread is None:
            out.append(PageStatus(position, page, "queued"))
        else:
            out.append(PageStatus(position, page, "rejected", unread))
    return out


def batch_status(engine: Engine, landing: Landing | None, batch: Batch) -> BatchStatus:
    with engine.connect() as conn:
        rows = conn.execute(
            select(upload_file)
            .where(upload_file.c.batch_id == batch.id)
            .order_by(upload_file.c.position)
        ).all()
    scans = _scan_rows(engine, [r.sha256 for r in rows if r.sha256 and r.outcome != "refused"])
    files = []
    for r in rows:
        accepted = r.outcome != "refused"
        pages = (
            file_pages(r.position, r.sha256, r.pages, scans.get(r.sha256, {}), landing)
            if accepted
            else []
        )
        files.append(FileStatus(r.position, r.filename, r.outcome, r.message, r.size, pages))
    return BatchStatus(batch, files)


def batch_counts(
    engine: Engine, landing: Landing | None, batches: Iterable[Batch]
) -> dict[int, dict[str, int]]:
    """Page counts per status of each batch (for the list of batches)."""
    ids = [b.id for b in batches]
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                upload_file.c.batch_id,
                upload_file.c.position,
                upload_file.c.sha256,
                upload_file.c.pages,
            ).where(upload_file.c.batch_id.in_(ids), upload_file.c.outcome != "refused")
        ).all()
    scans = _scan_rows(engine, [r.sha256 for r in rows if r.sha256])
    counts = {i: dict.fromkeys(STATUSES, 0) for i in ids}
    for r in rows:
        for p in file_pages(r.position, r.sha256, r.pages, scans.get(r.sha256, {}), landing):
            counts[r.batch_id][p.status] += 1
    return counts
