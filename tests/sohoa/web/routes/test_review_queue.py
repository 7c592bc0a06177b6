"""The review queue and its viewer: thumbnails, file names, counts and filters (book,
reason) kept while a person works through them, "3 / 17" with the neighbours, the page
at its own size for zooming, a page scanned turned shown upright."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from ocr.loading import sha256_of
from sohoa.web import page_images
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import sign_in
from tests.sohoa.web.review_fixtures import load_into_review, misread, record_of, write_scan
from tests.sohoa.web.routes.test_review import PAGE, Elements


@pytest.fixture(autouse=True)
def empty_cache():
    page_images.cache.clear()
    page_images.thumbs.clear()


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


def _stage(engine, folder, seed: int, volume: str, rule: str, unit: str = HOME_UNIT) -> int:
    path, truth = write_scan(folder / f"{unit}-{seed}", "birth", seed)
    record = misread(record_of(path, truth), "full_name", "X Y", rule, "check it")
    return load_into_review(engine, record, unit, volume)


@pytest.fixture
def queue(engine, tmp_path):
    """Three pages of the home unit (two books, two reasons) and one of another unit."""
    return [
        _stage(engine, tmp_path, 9, "01", "low_confidence"),
        _stage(engine, tmp_path, 15, "01", "name_format"),
        _stage(engine, tmp_path, 13, "02", "low_confidence"),
        _stage(engine, tmp_path, 21, "01", "low_confidence", OTHER_UNIT),
    ]


def _position(html: str) -> tuple[str, str]:
    found = re.search(r'id="queue-position" data-position="([^"]*)" data-total="(\d+)"', html)
    assert found
    return found.group(1), found.group(2)


def test_the_queue_shows_thumbnails_file_names_and_counts(client, make_account, queue):
    sign_in(client, make_account("archive_staff"))
    page = client.get("/review", headers=PAGE).text
    doc = Elements(page)
    rows = [r["data-item-id"] for r in doc.all("tr", data_item_id=True)]
    assert rows == [str(i) for i in queue[:3]]  # not the other unit's
    thumbs = [i["src"] for i in doc.all("img", loading="lazy")]
    assert thumbs == [f"/review/{i}/thumb.png" for i in queue[:3]]
    assert "birth-9.png · tr. 1" in page
    assert 'data-total="3"' in page
    reasons = {o["value"] for o in doc.all("option") if o.get("value")}
    assert {"low_confidence", "name_format"} <= reasons
    thumb = client.get(f"/review/{queue[0]}/thumb.png")
    assert thumb.status_code == 200
    assert Image.open(io.BytesIO(thumb.content)).width == page_images.THUMB_WIDTH
    assert client.get(f"/review/{queue[3]}/thumb.png").status_code == 403


def test_a_filter_is_kept_while_working_through_the_queue(client, make_account, queue):
    sign_in(client, make_account("archive_staff"))
    filtered = client.get("/review?reason=low_confidence", headers=PAGE)
    rows = re.findall(r'<tr data-item-id="(\d+)"', filtered.text)
    assert rows == [str(queue[0]), str(queue[2])]
    assert "reason=low_confidence" in filtered.headers["set-cookie"]
    first = client.get(f"/review/{queue[0]}", headers=PAGE).text
    assert _position(first) == ("1", "2")
    assert Elements(first).one("a", id="next-item")["href"] == f"/review/{queue[2]}"
    last = client.get(f"/review/{queue[2]}", headers=PAGE).text
    assert _position(last) == ("2", "2") and 'id="next-item"' not in last
    outside = client.get(f"/review/{queue[1]}", headers=PAGE).text  # not in the filter
    assert _position(outside) == ("", "2")
    book = client.get("/review?book=&reason=", headers=PAGE)  # the filter cleared
    assert len(re.findall(r'<tr data-item-id="', book.text)) == 3
    assert _position(client.get(f"/review/{queue[1]}", headers=PAGE).text) == ("2", "3")


def test_the_page_at_its_own_size_for_zooming(client, make_account, queue):
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{queue[0]}", headers=PAGE).text
    viewer = Elements(page).one("div", id="viewer")
    assert viewer["data-full"] == f"/review/{queue[0]}/page-full.jpg"
    assert viewer["data-rotation"] == "0"
    full = client.get(viewer["data-full"])
    assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(full.content)).size == (
        int(viewer["data-width"]),
        int(viewer["data-height"]),
    )
    assert client.get(f"/review/{queue[3]}/page-full.jpg").status_code == 403


def test_a_page_scanned_turned_is_drawn_upright(client, make_account, engine, tmp_path):
    """The scan lies on its side (turned a quarter counter-clockwise); the reader turned it
    back 90° clockwise (quality.rotation = 90) and its boxes are in the scan's pixels."""
    path, truth = write_scan(tmp_path / "upright", "birth", 9)
    upright = Image.open(path)
    width, height = upright.size
    turned = tmp_path / "turned.png"
    upright.rotate(90, expand=True).save(turned)
    record = record_of(turned, truth)
    for f in record["fields"].values():
        x, y, w, h = f["bbox"]
        f["bbox"] = [y, width - x - w, h, w]  # the same box on the scan as it lies
    record["quality"]["rotation"] = 90
    record = misread(record, "full_name", "X Y", "low_confidence", "check")
    item_id = load_into_review(engine, record, HOME_UNIT)
    sign_in(client, make_account("archive_staff"))
    doc = Elements(client.get(f"/review/{item_id}", headers=PAGE).text)
    assert doc.one("div", id="viewer")["data-rotation"] == "90"
    assert doc.one("svg", id="page-image")["viewbox"] == f"0 0 {width} {height}"  # upright
    assert doc.one("g", id="page-layer")["transform"] == f"translate({width} 0) rotate(90)"
    assert sha256_of(turned) == record["source"]["sha256"]


def _statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-field="([a-z_]+)" data-status="(\w+)"', html))


def test_only_the_fields_to_check_are_open_the_sure_ones_folded(
    client, make_account, engine, tmp_path
):
    """A record whose reader says per field "sure" or "check" (issue 14)."""
    path, truth = write_scan(tmp_path / "status", "birth", 9)
    record = record_of(path, truth)
    for f in record["fields"].values():
        f["status"], f["reason"] = "sure", "readers_agree"
    record["fields"]["full_name"].update(status="check", reason="readers_disagree")
    record["fields"]["mother_name"].update(status="check", reason="one_reading")
    record["status"] = "needs_review"
    record["issues"] = [{"field": "hometown", "rule": "place_unresolved", "message": "x"}]
    item_id = load_into_review(engine, record, HOME_UNIT)
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{item_id}", headers=PAGE).text
    statuses = _statuses(page)
    shown = {n for n, s in statuses.items() if s == "check"}
    assert shown == {"full_name", "mother_name", "hometown"}  # hometown: an issue on it
    assert set(record["fields"]) <= set(statuses)  # every field is on the page, open or not
    fields_table = page[page.index('id="fields"') : page.index("</table>")]
    assert set(re.findall(r'<tr data-field="([a-z_]+)"', fields_table)) == shown
    assert '<details id="sure-fields">' in page  # folded, opened on demand
    assert 'data-status-reason="readers_disagree">Hai lần đọc khác nhau<' in page
    assert Elements(page).one("table", id="fields")["data-focus"] == "full_name"


def test_older_records_check_what_has_an_issue_or_a_low_confidence(
    client, make_account, engine, tmp_path
):
    path, truth = write_scan(tmp_path / "older", "birth", 15)
    record = misread(record_of(path, truth), "full_name", "X Y", "low_confidence", "check")
    record["fields"]["sex"]["confidence"] = 0.79  # under the acceptance threshold
    record["issues"].append({"field": "place_of_birth", "rule": "place_unresolved", "message": "x"})
    item_id = load_into_review(engine, record, HOME_UNIT)
    sign_in(client, make_account("archive_staff"))
    statuses = _statuses(client.get(f"/review/{item_id}", headers=PAGE).text)
    assert {n for n, s in statuses.items() if s == "check"} == {
        "full_name",
        "sex",
        "place_of_birth",
    }
    assert statuses["date_of_birth"] == "sure" and statuses["mother_name"] == "sure"
