"""Manual entry's endpoints: the page in its form's order with the book's defaults, the
place suggestions and the checks the page asks for while a clerk types, the book's
defaults; each behind sign-in, role, unit scope and CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sohoa.db.tables import civil_record
from sohoa.review import queue
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.entry_fixtures import IMPOSSIBLE, TYPED, stage_handwritten
from tests.sohoa.web.helpers import sign_in
from tests.sohoa.web.routes.test_review import PAGE, Elements, _manual_data, _typed_inputs


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


@pytest.fixture
def handwritten(engine, tmp_path):
    return stage_handwritten(engine, tmp_path / "hand", HOME_UNIT)


def _json(client, url: str, body: dict, token: str | None):
    headers = {"X-CSRF-Token": token} if token else {}
    return client.post(url, json=body, headers=headers)


def _value_of(html: str, name: str) -> str:
    found = re.search(rf'id="m-{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_the_page_starts_from_the_books_defaults(client, make_account, handwritten):
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{handwritten}/manual", headers=PAGE).text
    assert _value_of(page, "ethnicity") == "Kinh" and _value_of(page, "mother_nationality") == (
        "Việt Nam"
    )
    assert _value_of(page, "registration_place") == (
        "Ủy ban nhân dân Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
    )
    assert _value_of(page, "full_name") == ""
    doc = Elements(page)
    doc.one("input", id="m-date_of_birth", data_kind="date")
    doc.one("input", id="m-place_of_birth", data_kind="place")
    doc.one("input", id="m-father_residence", data_copy_from="m-mother_residence")
    assert len(doc.all("option")) > 54 + 190  # ethnic groups and nationalities to pick from


def test_the_form_of_an_older_generation_lists_the_father_first(client, make_account, handwritten):
    sign_in(client, make_account("archive_staff"))
    page = client.get(f"/review/{handwritten}/manual?generation=old", headers=PAGE).text
    names = _typed_inputs(Elements(page))
    assert names.index("father_name") < names.index("mother_name")
    assert names[-2:] == ["registration_number", "book_number"]


def test_places_are_suggested_from_the_unit_lists_the_books_unit_first(
    client, make_account, handwritten
):
    token = sign_in(client, make_account("archive_staff"))
    url = f"/review/{handwritten}/places"
    answer = _json(client, url, {"q": "tan hiep", "eras": ["legacy"]}, token)
    assert answer.status_code == 200
    first = answer.json()["places"][0]
    assert first == {
        "text": "Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương",
        "code": "25920",
        "level": "commune",
        "era": "legacy",
    }
    assert _json(client, url, {"q": "tan hiep"}, None).status_code == 403  # no CSRF token


def test_the_checks_answer_per_field_in_vietnamese_while_typing(
    client, make_account, handwritten, engine
):
    token = sign_in(client, make_account("archive_staff"))
    url = f"/review/{handwritten}/check"
    answer = _json(client, url, {"doc_type": "birth", "values": IMPOSSIBLE}, token).json()
    assert answer["errors"]["date_of_birth"] == "Ngày ở tương lai"
    assert answer["errors"]["mother_ethnicity"] == "Dân tộc không có trong danh mục"
    assert answer["warnings"]["place_of_birth"]["rule"] == "place_unresolved"
    good = _json(client, url, {"doc_type": "birth", "values": TYPED}, token).json()
    assert good == {"errors": {}, "warnings": {}, "record": []}
    assert queue.show(engine, handwritten).state == "pending"  # nothing saved


def test_a_record_typed_with_the_shortcuts_loads_as_written(
    client, make_account, handwritten, engine
):
    token = sign_in(client, make_account("archive_staff"))
    typed = {
        **TYPED,
        "date_of_birth": "04032020",  # the digits alone
        "registration_date": "10-03-2020",
        "father_ethnicity": "Kinh",  # the book's default, no father on the page
        "father_nationality": "Việt Nam",
    }
    response = client.post(f"/review/{handwritten}/manual", data=_manual_data(token, **typed))
    assert response.status_code == 303, response.text
    record_id = queue.show(engine, handwritten).record_id
    with engine.connect() as conn:
        fields = conn.execute(
            select(civil_record.c.fields).where(civil_record.c.id == record_id)
        ).scalar_one()
    assert fields["date_of_birth"]["value"] == "2020-03-04"
    assert fields["registration_date"]["value"] == "2020-03-10"
    assert "father_ethnicity" not in fields and "father_nationality" not in fields


def test_a_clerk_sets_the_books_defaults(client, make_account, handwritten, engine, tmp_path):
    token = sign_in(client, make_account("archive_staff"))
    url = f"/review/{handwritten}/book-defaults"
    data = {"ethnicity": "Tày", "nationality": "Việt Nam", "registration_place": ""}
    assert client.post(url, data=data).status_code == 403  # no CSRF token
    response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/{handwritten}/manual"
    # Another page of the same book starts from them.
    other = stage_handwritten(engine, tmp_path / "hand2", HOME_UNIT, seed=22)
    page = client.get(f"/review/{other}/manual", headers=PAGE).text
    assert _value_of(page, "ethnicity") == "Tày" and _value_of(page, "father_ethnicity") == "Tày"
    assert _value_of(page, "registration_place") == ""
    refused = client.post(url, data={**data, "ethnicity": "Kihn", "csrf_token": token})
    assert refused.status_code == 400 and "không có trong danh mục" in refused.text


def test_another_units_page_and_other_roles_are_refused(
    client, make_account, handwritten, engine, tmp_path
):
    foreign = stage_handwritten(engine, tmp_path / "other", OTHER_UNIT, seed=22)
    token = sign_in(client, make_account("archive_staff"))
    for url in (f"/review/{foreign}/places", f"/review/{foreign}/check"):
        body = {"q": "tan", "doc_type": "birth", "values": {}}
        assert _json(client, url, body, token).status_code == 403
    refused = client.post(
        f"/review/{foreign}/book-defaults", data={"ethnicity": "Tày", "csrf_token": token}
    )
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": token})
    token = sign_in(client, make_account("manager"))
    answer = _json(client, f"/review/{handwritten}/places", {"q": "tan"}, token)
    assert answer.status_code == 403
