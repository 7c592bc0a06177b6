"""Shared by the upload and batch tests: real generated scans (small, 150 dpi, made once
per session) and a helper posting the real upload form."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

_made: dict[str, Path] = {}


def sample_scans(tmp_path_factory) -> dict[str, Path]:
    """A one-page JPEG (birth) and a two-page PDF (death), each with its truth file."""
    from sohoa.samples import write_samples

    if _made and all(p.is_file() for p in _made.values()):
        return dict(_made)
    out = tmp_path_factory.mktemp("upload-scans")
    [jpeg] = write_samples(
        out / "a", count=1, seed=11, doc_types=["birth"], dpi=150, formats=["jpeg"]
    )
    [pdf] = write_samples(
        out / "b", count=1, seed=12, doc_types=["death"], dpi=150, formats=["pdf"], pages_per_file=2
    )
    _made.update(jpeg=jpeg, pdf2=pdf)
    return dict(_made)


BOOK = {"book_type": "birth", "year": "2001", "volume": "01", "declared_entries": "3"}


def post_upload(
    client: TestClient,
    token: str | None,
    files: list[tuple[str, bytes]],
    *,
    as_json: bool = False,
    header_token: bool = False,
    **book: str,
):
    """POST /upload like the form does (``csrf_token`` field) or like upload.js does
    (``X-CSRF-Token`` header, ``Accept: application/json``)."""
    data = {**BOOK, **book}
    headers = {}
    if token is not None:
        if header_token:
            headers["X-CSRF-Token"] = token
        else:
            data["csrf_token"] = token
    if as_json:
        headers["Accept"] = "application/json"
    return client.post(
        "/upload",
        data=data,
        files=[("files", (name, content, "application/octet-stream")) for name, content in files],
        headers=headers,
    )
