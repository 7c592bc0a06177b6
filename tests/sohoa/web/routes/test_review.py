"""The review pages on real items (generated scans loaded by the real loader, one read by
the real OCR): the list in scope, the page with its boxes, correcting, confirming,
rejecting, typing a record in, every change audited with who did it; and the refusals:
no session, wrong role, another unit's item, no CSRF token, with nothing changed."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from PIL import Image
from sqlalchemy import func, select

from sohoa.db.tables import civil_record, review_action, review_item, scan
from sohoa.review import queue
from sohoa.review.entry_layout import field_order
from sohoa.web import page_images
from sohoa.web.review_view import field_names, rule_label
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.entry_fixtures import (
    IMPOSSIBLE,
    IMPOSSIBLE_ERRORS,
    IMPOSSIBLE_WARNINGS,
    TYPED,
    stage_handwritten,
)
from tests.sohoa.web.helpers import csrf_of, sign_in
from tests.sohoa.web.review_fixtures import (
    WRONG_NAME,
    load_into_review,
    record_of,
    stage,
    write_scan,
)

PAGE = {"accept": "text/html"}


class Elements(HTMLParser):
    """Start tags with their attributes, in document order (enough to check the page
    contract without a browser)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def all(self, tag: str | None = None, **want: str) -> list[dict[str, str]]:
        def matches(t, a):
            return (tag is None or t == tag) and all(
                (a.get(k.replace("_", "-")) == v) if v is not True else k.replace("_", "-") in a
                for k, v in want.items()
            )

        return [a for t, a in self.tags if matches(t, a)]

    def one(self, tag: str | None = None, **want: str) -> dict[str, str]:
        found = self.all(tag, **want)
        assert len(found) == 1, f"{tag} {want}: {len(found)} found"
        return found[0]


def _text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no #{element_id}"
    return found.group(1).strip()


def _value_inputs(html: str) -> dict[str, str]:
    """Field name -> the value in its input, from the #fields table."""
    return dict(re.findall(r'id="value-([a-z_]+)" value="([^"]*)"', html))


@pytest.fixture(autouse=True)
def empty_cache():
    page_images.cache.clear()


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


@pytest.fixture
def items(engine, tmp_path):
    """Two items of the home unit (older first) and one of another unit."""
    scans = tmp_path / "scans"
    first = stage(engine, scans, HOME_UNIT, seed=9, volume="01")
    second = stage(engine, scans, HOME_UNIT, seed=15, volume="02")
    other = stage(engine, scans, OTHER_UNIT, seed=13, volume="01")
    return first, second, other


def _state(engine) -> list[tuple]:
    """Everything a review action could change."""
    with engine.connect() as conn:
        return [
            conn.execute(
                select(
                    review_item.c.id,
                    review_item.c.state,
                    review_item.c.working,
                    review_item.c.doc_type,
                ).order_by(review_item.c.id)
            ).all(),
            conn.execute(select(scan.c.id, scan.c.status, scan.c.reject_reason)).all(),
            conn.execute(select(func.count()).select_from(review_action)).scalar(),
            conn.execute(select(func.count()).select_from(civil_record)).scalar(),
        ]


def _actions(engine, item_id: int) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    review_action.c.actor,
                    review_action.c.action,
                    review_action.c.field,
                    review_action.c.old_value,
                    review_action.c.new_value,
                )
                .where(review_action.c.review_item_id == item_id)
                .order_by(review_action.c.id)
            )
        ]


# --- the list ------------------------------------------------------------------------------


def test_the_list_shows_the_units_own_items_oldest_first(client, make_account, items):
    first, second, other = items
    sign_in(client, make_account("archive_staff"))
    page = client.get("/review", headers=PAGE)
    assert page.status_code == 200
    doc = Elements(page.text)
    doc.one("table", id="review-items")
    rows = [int(r["data-item-id"]) for r in doc.all("tr", data_item_id=True)]
    assert rows == [first.item_id, second.item_id]
    assert [a["href"] for a in doc.all("a", **{"class": "open button secondary"})] == [
        f"/review/{first.item_id}",
        f"/review/{second.item_id}",
    ]
    assert "Đọc chưa chắc chắn: Họ, chữ đệm, tên" in page.text
    assert WRONG_NAME not in page.text  # the list names rules, not people


def test_a_province_reviewer_sees_every_commune_of_the_province(
    client, make_account, items, engine, tmp_path
):
    first, second, other = items
    hanoi = stage(engine, tmp_path / "scans", "00004", seed=12)
    sign_in(client, make_account("reviewer", units=("79",)))  # HOME and OTHER are in 79
    rows = Elements(client.get("/review", headers=PAGE).text).all("tr", data_item_id=True)
    assert [int(r["data-item-id"]) for r in rows] == [first.item_id, second.item_id, other.item_id]
    assert hanoi.item_id not in [int(r["data-item-id"]) for r in rows]


def test_an_empty_queue_says_so(client, make_account):
    sign_in(client, make_account("reviewer", units=(OTHER_UNIT,)))
    page = client.get("/review", headers=PAGE)
    assert page.status_code == 200 and 'id="review-empty"' in page.text


# --- the item page -------------------------------------------------------------------------


def test_the_item_page_shows_the_page_with_each_fields_box(client, make_account, items):
    first, _, _ = items
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{first.item_id}", headers=PAGE)
    assert page.status_code == 200
    doc = Elements(page.text)
    svg = doc.one("svg", id="page-image")
    width, height = Image.open(first.path).size
    assert svg["viewbox"] == f"0 0 {width} {height}"
    assert doc.one("image")["href"] == f"/review/{first.item_id}/page.png"
    boxes = {r["data-field"]: r for r in doc.all("rect")}
    assert set(boxes) == set(first.record["fields"])
    for name, rect in boxes.items():
        box = [int(rect[k]) for k in ("x", "y", "width", "height")]
        assert box == first.truth["boxes"][name]
    assert "flagged" in boxes["full_name"]["class"] and "active" in boxes["full_name"]["class"]
    assert [r["data-field"] for r in doc.all("tr", data_field=True)] == field_names("birth")
    values = _value_inputs(page.text)
    assert values["full_name"] == WRONG_NAME and values["hometown"] == ""
    assert values["date_of_birth"] == first.truth["fields"]["date_of_birth"]
    assert re.search(r'<td class="confidence low">41%</td>', page.text)
    assert 'data-rule="low_confidence"' in page.text
    doc.one("button", id="confirm")
    doc.one("form", id="reject-form")
    doc.one("textarea", name="reason")
    doc.one("button", id="reject")
    assert doc.one("a", id="manual-entry")["href"] == f"/review/{first.item_id}/manual"
    assert len(doc.all("button", **{"class": "save secondary"})) == len(field_names("birth"))
    assert page.text.count("<kbd>") >= 6 and "Ctrl</kbd>+<kbd>Enter" in page.text
    assert doc.one("script", src="/static/review.js")


def test_the_page_image_is_the_scan_downscaled_at_most_1600_wide(client, make_account, items):
    first, _, _ = items
    sign_in(client, make_account("archive_staff"))
    response = client.get(f"/review/{first.item_id}/page.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "no-store"
    served = Image.open(io.BytesIO(response.content))
    assert served.size == Image.open(first.path).size  # 100 dpi: narrower than 1600


def test_a_page_whose_scan_is_gone_still_shows_the_form(client, make_account, items):
    first, _, _ = items
    first.path.unlink()
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{first.item_id}", headers=PAGE)
    assert page.status_code == 200
    assert 'class="page-image no-image"' in page.text and 'id="fields"' in page.text
    assert client.get(f"/review/{first.item_id}/page.png").status_code == 404


def test_an_unknown_item_is_not_found(client, make_account, items):
    sign_in(client, make_account("archive_staff"))
    assert client.get("/review/999999", headers=PAGE).status_code == 404
    assert client.get("/review/999999/page.png").status_code == 404


def test_boxes_read_by_the_real_ocr_fit_the_page_served(client, make_account, engine, tmp_path):
    """The whole way: a generated page read by ``ocr.pipeline``, loaded, shown. 200 dpi so
    the page is wider than the browser image and the boxes must still fit the page."""
    from ocr.pipeline import extract_file
    from sohoa.samples import generate_page
    from sohoa.samples.files import save_pages

    image, truth = generate_page("birth", 9, "clean", dpi=200)
    path = tmp_path / "ocr" / "birth.png"
    path.parent.mkdir()
    save_pages(path, [image], 200)
    (read,) = [r.to_json() for r in extract_file(path)]
    read["status"] = "needs_review"  # a sample check by a person, whatever the checks said
    item_id = load_into_review(engine, read, HOME_UNIT)
    sign_in(client, make_account("archive_staff"))
    doc = Elements(client.get(f"/review/{item_id}", headers=PAGE).text)
    assert doc.one("svg", id="page-image")["viewbox"] == f"0 0 {image.width} {image.height}"
    rects = {
        r["data-field"]: [int(r[k]) for k in ("x", "y", "width", "height")] for r in doc.all("rect")
    }
    assert rects and set(rects) <= set(truth["boxes"])
    for name, (x, y, w, h) in rects.items():
        tx, ty, tw, th = truth["boxes"][name]
        assert abs(x - tx) <= 8 and abs(y - ty) <= 8, name  # where the value is printed
        assert x + w <= image.width and y + h <= image.height
    served = Image.open(io.BytesIO(client.get(f"/review/{item_id}/page.png").content))
    assert served.width == page_images.MAX_WIDTH < image.width


# --- changing ------------------------------------------------------------------------------


def test_correcting_a_field_is_audited_with_who_old_and_new(client, make_account, items, engine):
    first, _, _ = items
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    right = first.truth["fields"]["full_name"]
    response = client.post(
        f"/review/{first.item_id}/fields",
        data={"name": "full_name", "value": right.lower(), "csrf_token": token},
    )
    assert response.status_code == 303
    # The cursor goes on to the next field to check; the name was the only one: it stays.
    assert response.headers["location"] == f"/review/{first.item_id}?field=full_name"
    assert _actions(engine, first.item_id) == [
        (clerk.username, "correct", "full_name", WRONG_NAME, right)
    ]
    page = client.get(response.headers["location"], headers=PAGE)
    assert _value_inputs(page.text)["full_name"] == right
    assert Elements(page.text).one("table", id="fields")["data-focus"] == "full_name"
    # a clerk's way of writing values is understood: Nữ, and a day-first date
    for name, typed, stored in [
        ("sex", "Nữ", "female"),
        ("hometown", "Xã A", "Xã A"),
        ("registration_date", "27/5/2016", "2016-05-27"),
    ]:
        response = client.post(
            f"/review/{first.item_id}/fields",
            data={"name": name, "value": typed, "csrf_token": token},
        )
        assert response.status_code == 303, response.text
        assert queue.show(engine, first.item_id).fields[name]["value"] == stored
    assert _actions(engine, first.item_id)[-1][:3] == (
        clerk.username,
        "correct",
        "registration_date",
    )


def test_a_bad_value_is_refused_on_the_page_and_changes_nothing(
    client, make_account, items, engine
):
    first, _, _ = items
    token = sign_in(client, make_account("archive_staff"))
    before = _state(engine)
    response = client.post(
        f"/review/{first.item_id}/fields",
        data={"name": "date_of_birth", "value": "31/02/2016", "csrf_token": token},
    )
    assert response.status_code == 400
    assert _text_of(response.text, "review-error").startswith("Ngày, tháng, năm sinh: ngày")
    assert _value_inputs(response.text)["date_of_birth"] == "31/02/2016"  # kept to fix
    row = Elements(response.text).one("tr", data_field="date_of_birth")
    assert "has-error" in row["class"]
    response = client.post(
        f"/review/{first.item_id}/fields",
        data={"name": "husband_full_name", "value": "A", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "không có trường" in _text_of(response.text, "review-error")
    assert _state(engine) == before


def test_confirming_loads_the_record_and_goes_to_the_next_item(client, make_account, items, engine):
    first, second, _ = items
    reviewer = make_account("reviewer", units=(HOME_UNIT,))
    token = sign_in(client, reviewer)
    response = client.post(f"/review/{first.item_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/{second.item_id}?notice=confirmed"
    page = client.get(response.headers["location"], headers=PAGE)
    assert 'id="notice"' in page.text
    item = queue.show(engine, first.item_id)
    assert item.state == "confirmed"
    with engine.connect() as conn:
        rec = conn.execute(
            select(civil_record.c.reviewed_by, civil_record.c.full_name).where(
                civil_record.c.id == item.record_id
            )
        ).one()
    assert tuple(rec) == (reviewer.username, WRONG_NAME)
    assert _actions(engine, first.item_id) == [(reviewer.username, "confirm", None, None, None)]
    response = client.post(f"/review/{second.item_id}/confirm", data={"csrf_token": token})
    assert response.headers["location"] == "/review?notice=confirmed"
    listing = client.get("/review?notice=confirmed", headers=PAGE).text
    assert 'id="notice"' in listing and 'id="review-empty"' in listing
    # a confirmed item is shown, read-only; confirming again says it is done
    done = client.get(f"/review/{first.item_id}", headers=PAGE)
    assert 'data-state="confirmed"' in done.text and 'id="confirm"' not in done.text
    again = client.post(f"/review/{first.item_id}/confirm", data={"csrf_token": token})
    assert again.status_code == 400
    assert _text_of(again.text, "review-error") == "Hồ sơ này đã được xử lý (đã xác nhận)."


def test_a_confirm_the_queue_refuses_is_explained(client, make_account, items, engine):
    first, _, _ = items
    token = sign_in(client, make_account("archive_staff"))
    queue.confirm(engine, first.item_id, actor="someone")  # number now taken in the book
    twin = record_of(first.path, first.truth)
    twin["source"] = {**twin["source"], "sha256": "f" * 64}
    twin["status"] = "needs_review"
    twin_id = load_into_review(engine, twin, HOME_UNIT, "01")
    before = _state(engine)
    response = client.post(f"/review/{twin_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 400
    assert "đã có trong quyển sổ này" in _text_of(response.text, "review-error")
    assert _state(engine) == before


def test_rejecting_needs_a_reason_and_ends_the_page_rejected(client, make_account, items, engine):
    first, second, _ = items
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    before = _state(engine)
    empty = client.post(
        f"/review/{first.item_id}/reject", data={"reason": "  ", "csrf_token": token}
    )
    assert empty.status_code == 400
    assert _text_of(empty.text, "review-error") == "Hãy ghi lý do từ chối trang."
    assert _state(engine) == before
    response = client.post(
        f"/review/{first.item_id}/reject",
        data={"reason": "Bìa sổ, không phải trang hồ sơ", "csrf_token": token},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/{second.item_id}?notice=rejected"
    with engine.connect() as conn:
        row = conn.execute(
            select(scan.c.status, scan.c.reject_reason)
            .join(review_item, review_item.c.scan_id == scan.c.id)
            .where(review_item.c.id == first.item_id)
        ).one()
    assert tuple(row) == ("rejected", "Bìa sổ, không phải trang hồ sơ")
    assert _actions(engine, first.item_id) == [(clerk.username, "reject", None, None, None)]


# --- manual entry --------------------------------------------------------------------------


@pytest.fixture
def unreadable(engine, tmp_path):
    """A page the reader could not read (as for a handwritten one): no type, no fields;
    in a birth book of 2020."""
    return stage_handwritten(engine, tmp_path / "hand", HOME_UNIT)


HANDWRITTEN = TYPED


def _typed_inputs(doc: Elements) -> list[str]:
    """The names of the record's inputs on the manual-entry page, in order."""
    return [i["name"] for i in doc.all("input", type="text") if i.get("id", "").startswith("m-")]


def _manual_data(token: str, doc_type: str = "birth", **values: str) -> dict[str, str]:
    data = {
        "csrf_token": token,
        "doc_type": doc_type,
        "shown_type": doc_type,
        "generation": "new",  # the book is of 2020
        "shown_generation": "new",
    }
    data.update({n: "" for n in field_names(doc_type)})
    data.update(values)
    return data


def test_an_unreadable_page_is_sent_to_typing_it_in(client, make_account, unreadable, engine):
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{unreadable}", headers=PAGE)
    assert 'id="no-fields"' in page.text and 'data-rule="no_text"' in page.text
    assert 'id="confirm"' not in page.text  # nothing to confirm: it is typed in
    token = csrf_of(client)
    before = _state(engine)
    odd = client.post(
        f"/review/{unreadable}/fields",
        data={"name": "full_name", "value": "A B", "csrf_token": token},
    )
    assert odd.status_code == 400 and "nhập tay" in _text_of(odd.text, "review-error")
    assert _state(engine) == before
    manual = client.get(f"/review/{unreadable}/manual", headers=PAGE)
    assert manual.status_code == 200
    doc = Elements(manual.text)
    doc.one("form", id="manual-form")
    doc.one("select", name="doc_type")
    doc.one("button", id="manual-submit")
    assert _typed_inputs(doc) == field_order("birth", "new", field_names("birth"))
    switched = Elements(
        client.get(f"/review/{unreadable}/manual?doc_type=death", headers=PAGE).text
    )
    assert _typed_inputs(switched) == field_order("death", "new", field_names("death"))


def test_typing_a_record_in_shows_errors_per_field_then_loads_it(
    client, make_account, unreadable, engine
):
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    before = _state(engine)
    wrong = {**HANDWRITTEN, "date_of_birth": "31/02/2020", "sex": ""}
    response = client.post(f"/review/{unreadable}/manual", data=_manual_data(token, **wrong))
    assert response.status_code == 400
    errors = _errors(response.text)
    assert set(errors) == {"date_of_birth", "sex"}
    assert errors["sex"] == "Trường này bắt buộc."
    assert errors["date_of_birth"].startswith("Ngày, tháng, năm sinh: ngày không")
    assert 'value="Trần Thị Bích"' in response.text  # what was typed stays
    assert _state(engine) == before
    response = client.post(f"/review/{unreadable}/manual", data=_manual_data(token, **HANDWRITTEN))
    assert response.status_code == 303
    assert response.headers["location"] == "/review?notice=entered"
    item = queue.show(engine, unreadable)
    assert item.state == "confirmed" and item.doc_type == "birth"
    with engine.connect() as conn:
        rec = conn.execute(select(civil_record).where(civil_record.c.id == item.record_id)).one()
    assert (rec.origin, rec.reviewed_by, rec.full_name) == (
        "typed",
        clerk.username,
        "TRẦN THỊ BÍCH",
    )
    assert rec.fields["date_of_birth"]["value"] == "2020-03-04"
    assert rec.fields["sex"]["value"] == "female"
    entered = [a for a in _actions(engine, unreadable) if a[1] == "enter"]
    assert {a[2] for a in entered} == set(HANDWRITTEN)
    assert all(a[0] == clerk.username and a[3] is None for a in entered)


def _errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-error-for="([a-z_]+)">([^<]*)<', html))


def _warnings(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-warning-for="([a-z_]+)">([^<]*)<', html))


def test_the_impossible_record_is_refused_with_its_fields_named_in_vietnamese(
    client, make_account, unreadable, engine
):
    token = sign_in(client, make_account("archive_staff"))
    before = _state(engine)
    response = client.post(f"/review/{unreadable}/manual", data=_manual_data(token, **IMPOSSIBLE))
    assert response.status_code == 400
    errors = _errors(response.text)
    assert set(errors) == IMPOSSIBLE_ERRORS
    assert errors["date_of_birth"] == "Ngày ở tương lai"
    assert errors["ethnicity"] == "Dân tộc không có trong danh mục"
    assert set(_warnings(response.text)) == IMPOSSIBLE_WARNINGS
    said = _text_of(response.text, "manual-error")
    assert said.startswith("Hồ sơ chưa được nạp vì có trường sai: Ngày, tháng, năm sinh")
    assert "Dân tộc (mẹ)" in said
    assert 'value="Kihn"' in response.text  # what was typed stays, to be fixed
    # Ticking every warning with a reason changes nothing: errors have no exceptions.
    data = _manual_data(token, **IMPOSSIBLE)
    data.update(override="place_of_birth", override_reason="trang ghi như vậy")
    assert client.post(f"/review/{unreadable}/manual", data=data).status_code == 400
    assert _state(engine) == before


def test_a_warning_loads_only_with_a_reason_kept_in_the_audit_trail(
    client, make_account, unreadable, engine
):
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    hospital = {**HANDWRITTEN, "place_of_birth": "Bệnh viện Sản Nhi Ninh Bình"}
    before = _state(engine)
    response = client.post(f"/review/{unreadable}/manual", data=_manual_data(token, **hospital))
    assert response.status_code == 400 and _errors(response.text) == {}
    assert _warnings(response.text) == {
        "place_of_birth": "Cảnh báo: " + rule_label("place_unresolved")
    }
    assert 'name="override" value="place_of_birth"' in response.text
    ticked = {**_manual_data(token, **hospital), "override": "place_of_birth"}
    response = client.post(f"/review/{unreadable}/manual", data=ticked)  # no reason
    assert response.status_code == 400 and "còn cảnh báo" in _text_of(response.text, "manual-error")
    assert _state(engine) == before
    ticked["override_reason"] = "Nơi sinh là bệnh viện, ghi đúng như trên trang"
    response = client.post(f"/review/{unreadable}/manual", data=ticked)
    assert response.status_code == 303
    assert queue.show(engine, unreadable).state == "confirmed"
    override = [a for a in _actions(engine, unreadable) if a[1] == "override"]
    assert override == [
        (clerk.username, "override", "place_of_birth", None, "Bệnh viện Sản Nhi Ninh Bình")
    ]
    with engine.connect() as conn:
        note = conn.execute(
            select(review_action.c.note).where(review_action.c.action == "override")
        ).scalar_one()
    assert note == "place_unresolved: Nơi sinh là bệnh viện, ghi đúng như trên trang"
    history = client.get(f"/review/{unreadable}", headers=PAGE).text
    assert "vẫn nạp dù có cảnh báo" in history and "lý do: Nơi sinh là bệnh viện" in history


def test_confirming_a_record_with_an_error_is_refused_and_shows_it_inline(
    client, make_account, engine, tmp_path
):
    path, truth = write_scan(tmp_path / "scans", "birth", 9)
    record = record_of(path, truth)
    record["fields"]["mother_birth_year"]["value"] = int(truth["fields"]["date_of_birth"][:4]) - 8
    record["status"] = "needs_review"
    item_id = load_into_review(engine, record, HOME_UNIT)
    token = sign_in(client, make_account("reviewer"))
    page = client.get(f"/review/{item_id}", headers=PAGE).text  # said before confirming
    assert 'data-check="parent_age" data-severity="error"' in page
    before = _state(engine)
    response = client.post(f"/review/{item_id}/confirm", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Năm sinh (mẹ)" in _text_of(response.text, "review-error")
    row = re.search(
        r'<tr data-field="mother_birth_year" data-status="check" class="([^"]*)"', response.text
    )
    assert "has-error" in row.group(1)
    assert _state(engine) == before
    # An impossible correction is refused at once, by the same rules.
    response = client.post(
        f"/review/{item_id}/fields",
        data={"name": "mother_birth_year", "value": "2031", "csrf_token": token},
    )
    assert response.status_code == 400
    assert _text_of(response.text, "review-error").startswith("Năm sinh (mẹ): Năm không hợp lệ")
    assert _state(engine) == before


def test_typing_a_record_the_book_cannot_take_is_explained(
    client, make_account, unreadable, engine
):
    token = sign_in(client, make_account("archive_staff"))
    before = _state(engine)
    death = {
        "full_name": "Lê Văn Tám",
        "date_of_death": "2019-01-02",
        "place_of_death": "Nhà",
        "registration_place": "UBND xã",
        "registration_date": "2019-01-05",
        "registration_number": "7",
    }
    response = client.post(
        f"/review/{unreadable}/manual", data=_manual_data(token, "death", **death)
    )
    assert response.status_code == 400
    assert "không thuộc loại sổ" in _text_of(response.text, "manual-error")
    assert _state(engine) == before  # typed values and confirmation are one transaction


def test_changing_the_type_without_script_saves_nothing(client, make_account, unreadable, engine):
    token = sign_in(client, make_account("archive_staff"))
    before = _state(engine)
    data = {**_manual_data(token, **HANDWRITTEN), "doc_type": "marriage"}
    response = client.post(f"/review/{unreadable}/manual", data=data)
    assert response.status_code == 200
    assert _typed_inputs(Elements(response.text)) == field_order(
        "marriage", "new", field_names("marriage")
    )
    assert 'value="99"' in response.text  # the registration number carried over
    assert _state(engine) == before


# --- refusals ------------------------------------------------------------------------------


def _endpoints(item_id: int) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("GET", "/review", {}),
        ("GET", f"/review/{item_id}", {}),
        ("GET", f"/review/{item_id}/page.png", {}),
        ("GET", f"/review/{item_id}/manual", {}),
        ("POST", f"/review/{item_id}/fields", {"name": "full_name", "value": "X Y"}),
        ("POST", f"/review/{item_id}/confirm", {}),
        ("POST", f"/review/{item_id}/reject", {"reason": "không phải hồ sơ"}),
        (
            "POST",
            f"/review/{item_id}/manual",
            {"doc_type": "birth", "shown_type": "birth", **HANDWRITTEN},
        ),
    ]


def test_without_a_session_nothing_is_shown_or_changed(client, items, engine):
    first, _, _ = items
    before = _state(engine)
    for method, path, data in _endpoints(first.item_id):
        if method == "GET":
            page = client.get(path, headers=PAGE)
            assert page.status_code == 303 and page.headers["location"] == "/login", path
            assert client.get(path).status_code == 401, path
        else:
            assert client.post(path, data={**data, "csrf_token": "x"}).status_code == 401, path
    assert _state(engine) == before


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_may_not_review(client, make_account, items, engine, role):
    first, _, _ = items
    account = make_account(role, units=("*",) if role == "manager" else None)
    token = sign_in(client, account)
    before = _state(engine)
    for method, path, data in _endpoints(first.item_id):
        if method == "GET":
            response = client.get(path, headers=PAGE)
        else:
            response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 403, (path, response.status_code)
        assert WRONG_NAME not in response.text
    assert _state(engine) == before


@pytest.mark.parametrize("role", ["archive_staff", "reviewer"])
def test_another_units_item_is_refused_everywhere(client, make_account, items, engine, role):
    _, _, other = items
    token = sign_in(client, make_account(role, units=(HOME_UNIT,)))
    before = _state(engine)
    for method, path, data in _endpoints(other.item_id)[1:]:
        if method == "GET":
            response = client.get(path, headers=PAGE)
        else:
            response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 403, (path, response.status_code)
        assert WRONG_NAME not in response.text and "đơn vị khác" in response.text
    assert _state(engine) == before


def test_posts_without_the_csrf_token_are_refused(client, make_account, items, engine):
    first, _, _ = items
    token = sign_in(client, make_account("archive_staff"))
    before = _state(engine)
    for method, path, data in _endpoints(first.item_id):
        if method != "POST":
            continue
        assert client.post(path, data=data).status_code == 403, path
        forged = client.post(path, data={**data, "csrf_token": token[:-2] + "xx"})
        assert forged.status_code == 403, path
    assert _state(engine) == before
    header = client.post(
        f"/review/{first.item_id}/reject",
        data={"reason": "trang trắng"},
        headers={"X-CSRF-Token": token},
    )
    assert header.status_code == 303  # the header is the other accepted way


def test_no_value_or_reason_appears_in_the_logs(client, make_account, items, caplog):
    first, _, _ = items
    token = sign_in(client, make_account("archive_staff"))
    right = first.truth["fields"]["full_name"]
    with caplog.at_level("DEBUG"):
        client.post(
            f"/review/{first.item_id}/fields",
            data={"name": "full_name", "value": right, "csrf_token": token},
        )
        client.post(
            f"/review/{first.item_id}/reject",
            data={"reason": f"trùng với {right}", "csrf_token": token},
        )
    assert caplog.records, "the actions were logged"
    assert right not in caplog.text and WRONG_NAME not in caplog.text
