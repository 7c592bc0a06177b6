"""The upload page over HTTP: files land in the landing zone with the clerk's own unit,
each file's fate is shown, and everything a browser may lie about is checked (security
tests of issue 6: no session, CSRF, path traversal, oversized and disguised files)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from sohoa.db.tables import upload_batch, upload_file
from sohoa.landing.store import open_landing
from sohoa.landing.zone import ScanMeta, mark_processed, sidecar_of
from sohoa.settings import WebSettings
from sohoa.web.pipeline_trigger import PipelineRunner, install_runner
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import sign_in
from tests.sohoa.web.upload_fixtures import post_upload, sample_scans

ROWS = re.compile(r'<tr data-file="(\d+)" data-outcome="([a-z_]+)"')


@pytest.fixture(scope="session")
def scans(tmp_path_factory):
    return sample_scans(tmp_path_factory)


@pytest.fixture
def clerk(client, make_account):
    account = make_account("archive_staff")
    return account, sign_in(client, account)


def landing_of(web_app):
    return open_landing(web_app.state.sohoa.landing_location)


def files_in(web_app, prefix: str = "") -> list[str]:
    return sorted(landing_of(web_app).list(prefix))


def batches(web_app) -> list:
    with web_app.state.sohoa.engine.connect() as conn:
        return conn.execute(select(upload_batch).order_by(upload_batch.c.id)).all()


def file_rows(web_app, batch_id: int) -> list:
    with web_app.state.sohoa.engine.connect() as conn:
        return conn.execute(
            select(upload_file)
            .where(upload_file.c.batch_id == batch_id)
            .order_by(upload_file.c.position)
        ).all()


def test_clerk_uploads_several_scans_and_sees_each_result(web_app, client, clerk, scans):
    account, token = clerk
    form = client.get("/upload")
    assert form.status_code == 200
    for needle in (
        'id="upload-form"',
        'id="files"',
        'id="book_type"',
        'id="year"',
        'id="volume"',
        'id="declared_entries"',
        'id="dossier_code"',
        'id="upload-submit"',
        'id="upload-progress"',
        "/static/upload.js",
    ):
        assert needle in form.text
    assert re.search(rf'id="unit" value="{HOME_UNIT}" readonly', form.text)
    assert 'name="unit"' not in form.text  # nothing in the form chooses the unit

    jpeg, pdf = scans["jpeg"].read_bytes(), scans["pdf2"].read_bytes()
    page = post_upload(
        client,
        token,
        [("Sổ khai sinh 1.jpg", jpeg), ("quyen.pdf", pdf), ("ghi-chu.jpg", b"just some notes\n")],
        unit=OTHER_UNIT,
    )  # a unit in the form is ignored
    assert page.status_code == 200, page.text
    assert ROWS.findall(page.text) == [("1", "uploaded"), ("2", "uploaded"), ("3", "refused")]
    [batch] = batches(web_app)
    assert f'id="batch-link" class="button" href="/batches/{batch.id}"' in page.text
    assert (batch.unit_code, batch.book_type, batch.year, batch.volume) == (
        HOME_UNIT,
        "birth",
        2001,
        "01",
    )
    assert batch.declared_entries == 3 and batch.user_id == account.id

    rows = file_rows(web_app, batch.id)
    assert [(r.filename, r.outcome, r.pages) for r in rows] == [
        ("Sổ khai sinh 1.jpg", "uploaded", 1),
        ("quyen.pdf", "uploaded", 2),
        ("ghi-chu.jpg", "refused", None),
    ]
    assert "không phải ảnh quét" in rows[2].message and rows[2].sha256 is None
    landing = landing_of(web_app)
    for row, content in zip(rows[:2], (jpeg, pdf), strict=True):
        assert row.landing_key.startswith(f"incoming/{HOME_UNIT}/birth/2001/01/")
        assert landing.read_bytes(row.landing_key) == content
        meta = ScanMeta.from_json(landing.read_json(sidecar_of(row.landing_key)))
        assert (meta.book.unit, meta.book.uploader) == (HOME_UNIT, account.username)
        assert meta.sha256 == row.sha256
    assert rows[0].landing_key.endswith("/S_khai_sinh_1.jpg")
    assert len([k for k in files_in(web_app, "incoming") if not k.endswith("meta.json")]) == 2
    # pipeline "external" (the test settings): the web app starts no run itself
    assert getattr(web_app.state, "sohoa_pipeline", None) is None


def test_upload_js_gets_json(web_app, client, clerk, scans):
    _, token = clerk
    answer = post_upload(
        client, token, [("a.jpg", scans["jpeg"].read_bytes())], as_json=True, header_token=True
    )
    assert answer.status_code == 200
    body = answer.json()
    [batch] = batches(web_app)
    assert body["batch_id"] == batch.id and body["batch_url"] == f"/batches/{batch.id}"
    assert body["files"] == [
        {
            "filename": "a.jpg",
            "outcome": "uploaded",
            "label": "Đã nhận",
            "message": "Đã nhận",
            "pages": 1,
            "earlier_batch": None,
            "earlier_batch_url": None,
        }
    ]


def test_the_same_file_again_is_skipped_and_said_so(web_app, client, clerk, scans):
    _, token = clerk
    content = scans["jpeg"].read_bytes()
    post_upload(client, token, [("a.jpg", content)])
    again = post_upload(
        client, token, [("copy.jpg", content), ("copy2.jpg", content)], as_json=True
    )
    assert [f["outcome"] for f in again.json()["files"]] == ["skipped_uploaded"] * 2
    first_key = file_rows(web_app, batches(web_app)[0].id)[0].landing_key
    mark_processed(landing_of(web_app), first_key, "run-1", "processed")
    later = post_upload(client, token, [("b.jpg", content)], as_json=True)
    [result] = later.json()["files"]
    assert result["outcome"] == "skipped_processed" and "đã được xử lý" in result["message"]
    assert len([k for k in files_in(web_app, "incoming") if k.endswith(".jpg")]) == 1


DISGUISED = [
    ("notes.jpg", b"Ho ten: ...\nNgay sinh: ...\n", "tệp văn bản"),
    ("scan.pdf", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "trang web"),
    ("book.jpg", b"PK\x03\x04" + bytes(200), "ZIP"),
    ("phone.jpg", b"GIF89a" + bytes(100), "GIF"),
    ("empty.png", b"", "rỗng"),
]


def test_disguised_uploads_are_refused_by_content(web_app, client, clerk):
    _, token = clerk
    answer = post_upload(client, token, [(n, c) for n, c, _ in DISGUISED], as_json=True)
    assert answer.status_code == 200
    files = answer.json()["files"]
    assert [f["outcome"] for f in files] == ["refused"] * len(DISGUISED)
    for f, (name, _, said) in zip(files, DISGUISED, strict=True):
        assert f["filename"] == name and said in f["message"], f
    assert ".jpg" in files[0]["message"]  # it says the name is misleading
    # nothing of a refused file reaches the landing zone, and no run is needed for them
    assert files_in(web_app) == []
    rows = file_rows(web_app, answer.json()["batch_id"])
    assert all(r.outcome == "refused" and r.message and r.landing_key is None for r in rows)


def test_an_oversized_file_is_refused_with_its_size(web_app, client, clerk, scans):
    _, token = clerk
    limit = web_app.state.sohoa.settings.max_file_bytes
    big = b"\x89PNG\r\n\x1a\n" + bytes(limit)  # a PNG header, one limit of bytes more
    answer = post_upload(
        client, token, [("big.png", big), ("ok.jpg", scans["jpeg"].read_bytes())], as_json=True
    )
    big_result, ok = answer.json()["files"]
    assert big_result["outcome"] == "refused" and "quá lớn" in big_result["message"]
    assert "tối đa 2 MB" in big_result["message"]
    assert ok["outcome"] == "uploaded"
    [row, _] = file_rows(web_app, answer.json()["batch_id"])
    assert row.size == len(big)
    assert not [k for k in files_in(web_app) if k.endswith(".png")]


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(web_app, client, clerk):
    _, token = clerk
    settings = web_app.state.sohoa.settings
    too_much = bytes(settings.max_request_bytes + 1)
    answer = post_upload(client, token, [("huge.tif", too_much)])
    assert answer.status_code == 413
    assert "quá lớn" in answer.text
    assert batches(web_app) == [] and files_in(web_app) == []


TRAVERSAL = [
    ("../../etc/passwd.png", "passwd.png"),
    ("..\\x.pdf", "x.pdf"),
    ("/var/tmp/abs.jpg", "abs.jpg"),
    ("C:\\Users\\lan\\Desktop\\win.jpg", "win.jpg"),
    ("..", "tep-tai-len"),
    ("bad\u202ename\u200b.jpg", "badname.jpg"),  # invisible controls (RTL override)
    ("Ảnh.", "Ảnh"),
]


def test_path_traversal_in_file_names_goes_nowhere(web_app, client, clerk, scans, tmp_path):
    _, token = clerk
    base = scans["jpeg"].read_bytes()
    # distinct contents (a JPEG reader ignores bytes after the image), so none is skipped
    files = [(name, base + bytes([i]) * (i + 1)) for i, (name, _) in enumerate(TRAVERSAL)]
    results, rows = [], []
    for start in range(0, len(files), 4):  # within the test settings' 5 files per upload
        answer = post_upload(client, token, files[start : start + 4], as_json=True)
        results += answer.json()["files"]
        rows += file_rows(web_app, answer.json()["batch_id"])
    assert [r["outcome"] for r in results] == ["uploaded"] * len(TRAVERSAL), results
    assert [r["filename"] for r in results] == [clean for _, clean in TRAVERSAL]
    root = Path(web_app.state.sohoa.landing_location).resolve()
    for row in rows:
        assert "/" not in row.filename and "\\" not in row.filename
        assert row.landing_key.startswith(f"incoming/{HOME_UNIT}/") and ".." not in row.landing_key
        assert (root / row.landing_key).resolve().is_relative_to(root)
        assert (root / row.landing_key).is_file()
    # nothing was written anywhere else (the test's folder holds only the db and landing)
    strays = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file()
        and not p.is_relative_to(root)
        and p.name not in ("sohoa.db", "sohoa.db-journal")
    ]
    assert strays == []


def test_without_a_session_upload_is_closed(web_app, client, scans):
    page = client.get("/upload", headers={"accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"] == "/login"
    answer = post_upload(client, "whatever", [("a.jpg", scans["jpeg"].read_bytes())])
    assert answer.status_code == 401
    assert batches(web_app) == [] and files_in(web_app) == []


def test_upload_without_the_right_csrf_token_is_refused(web_app, client, clerk, scans):
    _, token = clerk
    files = [("a.jpg", scans["jpeg"].read_bytes())]
    for answer in (
        post_upload(client, None, files),  # missing
        post_upload(client, token[::-1], files),  # wrong form field
        post_upload(client, "forged", files, header_token=True, as_json=True),  # wrong header
    ):
        assert answer.status_code == 403
        assert "không hợp lệ" in answer.text
    assert batches(web_app) == [] and files_in(web_app) == []


def test_only_archive_staff_upload(web_app, client, make_account, scans):
    for role in ("reviewer", "manager", "admin"):
        client.cookies.clear()
        token = sign_in(client, make_account(role))
        assert client.get("/upload").status_code == 403
        answer = post_upload(client, token, [("a.jpg", scans["jpeg"].read_bytes())])
        assert answer.status_code == 403, role
        assert "không có quyền" in answer.text
    assert batches(web_app) == [] and files_in(web_app) == []


def test_bad_book_details_are_explained_and_nothing_is_stored(web_app, client, clerk, scans):
    _, token = clerk
    files = [("a.jpg", scans["jpeg"].read_bytes())]
    page = post_upload(client, token, files, year="1850", volume="", dossier_code="X-1")
    assert page.status_code == 400
    assert "Năm của sổ" in page.text and "số quyển" in page.text and "Mã hồ sơ" in page.text
    assert 'value="1850"' in page.text  # what was typed is kept
    answer = post_upload(client, token, files, as_json=True, book_type="diary")
    assert answer.status_code == 400 and answer.json()["errors"] == ["Hãy chọn loại sổ."]
    none = post_upload(client, token, [], as_json=True)
    assert "ít nhất một tệp" in none.json()["errors"][0]
    assert batches(web_app) == [] and files_in(web_app) == []


def test_too_many_files_are_refused_as_a_whole(web_app, client, clerk):
    _, token = clerk
    limit = web_app.state.sohoa.settings.max_files
    files = [(f"{i}.jpg", b"\xff\xd8\xff" + bytes([i])) for i in range(limit + 1)]
    for as_json, header in ((False, False), (True, True)):
        answer = post_upload(client, token, files, as_json=as_json, header_token=header)
        assert answer.status_code == 400
        assert f"tối đa {limit} tệp" in answer.text
    assert batches(web_app) == [] and files_in(web_app) == []


def test_a_dossier_result_keeps_its_dossier_code(web_app, client, clerk, scans):
    _, token = clerk
    code = "000.00.20.H40-240605-0001"
    answer = post_upload(
        client,
        token,
        [("kq.pdf", scans["pdf2"].read_bytes())],
        as_json=True,
        book_type="dossier_result",
        dossier_code=code,
    )
    [row] = file_rows(web_app, answer.json()["batch_id"])
    meta = landing_of(web_app).read_json(sidecar_of(row.landing_key))
    assert meta["dossier_code"] == code and meta["pages"] == 2
    assert batches(web_app)[0].dossier_code == code


@pytest.fixture
def local_app(sqlite_url, tmp_path):
    from sohoa.web.app import create_app

    settings = WebSettings(max_file_mb=2, max_files=5, pipeline="local")
    return create_app(db_url=sqlite_url, landing=str(tmp_path / "landing"), settings=settings)


def test_with_the_local_pipeline_an_upload_starts_a_run(local_app, sqlite_url, tmp_path, scans):
    from fastapi.testclient import TestClient

    from sohoa.web.accounts import create_user
    from tests.sohoa.web.helpers import Account

    seen = tmp_path / "run-env.txt"
    # A real subprocess standing in for `sohoa run` (Airflow and OCR would take minutes):
    # it records the database and landing zone it was told to use.
    command = [
        sys.executable,
        "-c",
        "import os, pathlib; pathlib.Path(os.environ['SEEN']).write_text("
        "os.environ['SOHOA_DB_URL'] + '|' + os.environ['SOHOA_LANDING'])",
    ]
    from sohoa.web.pipeline_trigger import run_environment

    ctx = local_app.state.sohoa
    env = run_environment(
        ctx.engine.url.render_as_string(hide_password=False), ctx.landing_location
    )
    runner = install_runner(local_app, PipelineRunner(command, {**env, "SEEN": str(seen)}))
    create_user(ctx.engine, "clerkrun", "a-long-password-1", "archive_staff", [HOME_UNIT])
    with TestClient(local_app, follow_redirects=False) as client:
        token = sign_in(
            client, Account(0, "clerkrun", "a-long-password-1", "archive_staff", (HOME_UNIT,))
        )
        refused = post_upload(client, token, [("x.jpg", b"text")], as_json=True)
        assert refused.status_code == 200 and runner.status().runs == 0  # nothing to process
        post_upload(client, token, [("a.jpg", scans["jpeg"].read_bytes())], as_json=True)
        assert runner.wait(30)
    assert runner.status().runs == 1 and runner.status().last_exit == 0
    assert seen.read_text() == f"{sqlite_url}|{tmp_path / 'landing'}"
