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

Files are identified by their hash. A file skipped because it was uploaded before is
not listed again page by page: the upload names the earlier upload that holds its pages.

What a clerk reads comes from the catalogue (:mod:`sohoa.labels`): why a page waits for
review (its failed checks, in Vietnamese) and why it was rejected (the pipeline's English
sentence turned into what to do; a reviewer's reason as written). Times are Vietnam time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, func, select

from sohoa.db.tables import app_user, review_item, scan, upload_batch, upload_file
from sohoa.labels import reasons_summary, rejection_label
from sohoa.landing.store import Landing
from sohoa.landing.zone import processed_key, quarantine_reason
from sohoa.localtime import vietnam_time
from sohoa.web.access import Principal

FINAL = ("loaded", "in_review", "rejected")
STATUSES = ("queued", *FINAL)
STATUS_LABELS = {
    "queued": "Chờ xử lý",
    "loaded": "Đã nạp vào cơ sở dữ liệu",
    "in_review": "Cần duyệt",
    "rejected": "Bị loại",
}
MISSING_PAGE = (
    "Không có trang này trong kết quả xử lý (số trang đếm khi tải lên khác với tệp). "
    "Hãy kiểm tra tệp gốc."
)
_SQL_CHUNK = 500

SKIPPED = ("skipped_uploaded", "skipped_processed")  # files taken by an earlier upload


def explain(reason: str | None) -> str | None:
    """A Vietnamese line for why a page was rejected (the catalogue's)."""
    return rejection_label(reason)


@dataclass(frozen=True)
class Upload:
    """One web upload: an ``upload_batch`` row (the table keeps its first name)."""

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
        return vietnam_time(self.created_at)

    @property
    def unit_label(self) -> str:
        """ "Phường Tân Hiệp (25920)", or the code when the unit lists lack it."""
        from sohoa.kpi.units import unit_name

        name = unit_name(self.unit_code)
        return f"{name} ({self.unit_code})" if name else self.unit_code


@dataclass(frozen=True)
class PageStatus:
    file: int  # the file's position in its upload
    page: int
    status: str  # queued | loaded | in_review | rejected
    reason: str | None = None  # the pipeline's words, or a reviewer's (rejected only)
    review_item_id: int | None = None  # in_review only
    checks: tuple[dict[str, Any], ...] = ()  # the failed checks of a page in review

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def explanation(self) -> str | None:
        """Why the page is not loaded, in Vietnamese: rejected, or waiting for review."""
        if self.status == "rejected":
            return explain(self.reason)
        if self.status == "in_review":
            return reasons_summary(self.checks)
        return None


@dataclass
class FileStatus:
    position: int
    filename: str
    outcome: str
    message: str | None
    size: int
    pages: list[PageStatus] = field(default_factory=list)
    earlier_upload: int | None = None  # a skipped file: the upload that brought it first


@dataclass
class UploadStatus:
    upload: Upload
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
        """Every page has reached a final status (an upload of refused files only is done)."""
        return all(p.status in FINAL for p in self.pages)

    @property
    def refused(self) -> list[FileStatus]:
        return [f for f in self.files if f.outcome == "refused"]

    @property
    def skipped(self) -> list[FileStatus]:
        return [f for f in self.files if f.outcome in SKIPPED]


# --- reading uploads -------------------------------------------------------------------


def _upload_query():
    return select(
        upload_batch,
        func.coalesce(app_user.c.display_name, app_user.c.username).label("uploader"),
    ).join(app_user, app_user.c.id == upload_batch.c.user_id)


def _upload(row, files: int = 0, pages: int = 0) -> Upload:
    return Upload(
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


def get_upload(engine: Engine, upload_id: int) -> Upload | None:
    with engine.connect() as conn:
        row = conn.execute(_upload_query().where(upload_batch.c.id == upload_id)).first()
    return _upload(row) if row else None


def list_uploads(engine: Engine, principal: Principal, limit: int = 200) -> list[Upload]:
    """The uploads of the units this person may see, newest first: an archive clerk's own
    unit, a reviewer's assigned units (communes or whole provinces)."""
    query = _upload_query().order_by(upload_batch.c.created_at.desc(), upload_batch.c.id.desc())
    if principal.role == "archive_staff":
        query = query.where(upload_batch.c.unit_code == (principal.home_unit or ""))
    elif not any(_wide(scope) for scope in principal.units):
        query = query.where(upload_batch.c.unit_code.in_(principal.units or ("",)))
    with engine.connect() as conn:
        rows = [r for r in conn.execute(query.limit(limit * 20)) if principal.covers(r.unit_code)]
        rows = rows[:limit]
        sizes = {
            r[0]: (r[1], r[2] or 0)
            for r in conn.execute(
                select(
                    upload_file.c.batch_id,
                    func.count().label("files"),
                    # the pages this upload brought, not those of files an earlier one did
                    func.sum(case((upload_file.c.outcome == "uploaded", upload_file.c.pages))),
                )
                .where(upload_file.c.batch_id.in_([r.id for r in rows] or [0]))
                .group_by(upload_file.c.batch_id)
            )
        }
    return [_upload(r, *sizes.get(r.id, (0, 0))) for r in rows]


def _wide(scope: str) -> bool:
    """A scope that covers more than its own code (all units, or a province)."""
    from sohoa.kpi.units import is_province_code

    return scope == "*" or is_province_code(scope)


# --- page statuses ---------------------------------------------------------------------


def _scan_rows(engine: Engine, shas: Sequence[str]) -> dict[str, dict[int, tuple]]:
    """sha256 -> page -> (status, reject_reason, pending review item id, its reasons)."""
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
                    review_item.c.reasons,
                )
                .outerjoin(review_item, review_item.c.scan_id == scan.c.id)
                .where(scan.c.sha256.in_(unique[start : start + _SQL_CHUNK]))
            )
            for r in rows:
                pending = r.status == "in_review" and r.state == "pending"
                item = r.item_id if pending else None
                checks = tuple(r.reasons or ()) if pending else ()
                found.setdefault(r.sha256, {})[r.page] = (r.status, r.reject_reason, item, checks)
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
            status, reason, item, *checks = rows[page]
            out.append(PageStatus(position, page, status, reason, item, *checks))
            continue
        if not looked:
            unread, looked = _unread_reason(landing, sha), True
        if unread is None:
            out.append(PageStatus(position, page, "queued"))
        else:
            out.append(PageStatus(position, page, "rejected", unread))
    return out


def upload_status(engine: Engine, landing: Landing | None, upload: Upload) -> UploadStatus:
    with engine.connect() as conn:
        rows = conn.execute(
            select(upload_file)
            .where(upload_file.c.batch_id == upload.id)
            .order_by(upload_file.c.position)
        ).all()
    scans = _scan_rows(engine, [r.sha256 for r in rows if r.sha256 and r.outcome == "uploaded"])
    earlier = earlier_uploads(
        engine, [r.sha256 for r in rows if r.outcome in SKIPPED and r.sha256], before=upload.id
    )
    files = []
    for r in rows:
        pages = (
            file_pages(r.position, r.sha256, r.pages, scans.get(r.sha256, {}), landing)
            if r.outcome == "uploaded"
            else []
        )
        files.append(
            FileStatus(
                r.position,
                r.filename,
                r.outcome,
                r.message,
                r.size,
                pages,
                earlier.get(r.sha256) if r.outcome in SKIPPED else None,
            )
        )
    return UploadStatus(upload, files)


def earlier_uploads(
    engine: Engine, shas: Sequence[str], before: int | None = None
) -> dict[str, int]:
    """sha256 -> the first web upload that brought the file (a file uploaded with the
    CLI has none). ``before``: only uploads older than this one."""
    if not shas:
        return {}
    query = (
        select(upload_file.c.sha256, func.min(upload_file.c.batch_id))
        .where(upload_file.c.sha256.in_(sorted(set(shas))), upload_file.c.outcome == "uploaded")
        .group_by(upload_file.c.sha256)
    )
    if before is not None:
        query = query.where(upload_file.c.batch_id < before)
    with engine.connect() as conn:
        return {sha: int(upload_id) for sha, upload_id in conn.execute(query)}


def upload_counts(
    engine: Engine, landing: Landing | None, uploads: Iterable[Upload]
) -> dict[int, dict[str, int]]:
    """Page counts per status of each upload (for the list of uploads)."""
    ids = [b.id for b in uploads]
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                upload_file.c.batch_id,
                upload_file.c.position,
                upload_file.c.sha256,
                upload_file.c.pages,
            ).where(upload_file.c.batch_id.in_(ids), upload_file.c.outcome == "uploaded")
        ).all()
    scans = _scan_rows(engine, [r.sha256 for r in rows if r.sha256])
    counts = {i: dict.fromkeys(STATUSES, 0) for i in ids}
    for r in rows:
        for p in file_pages(r.position, r.sha256, r.pages, scans.get(r.sha256, {}), landing):
            counts[r.batch_id][p.status] += 1
    return counts
