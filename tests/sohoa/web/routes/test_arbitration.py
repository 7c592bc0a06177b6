"""Books typed twice in the web app: a reviewer marks the book, two clerks key a page
without seeing each other's values, a reviewer who keyed neither settles the difference;
the dashboard shows the agreement rates. Roles, unit scope and CSRF as everywhere."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sohoa.db.tables import review_action
from sohoa.review import queue
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.entry_fixtures import TYPED, stage_handwritten
from tests.sohoa.web.helpers import sign_in
from tests.sohoa.web.routes.test_review import PAGE, _manual_data, _text_of


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


@pytest.fixture
def page_id(engine, tmp_path):
    return stage_handwritten(engine, tmp_path / "hand", HOME_UNIT)


def _switch(client, account) -> str:
    client.cookies.clear()
    return sign_in(client, account)


def _mark_double(client, make_account, page_id) -> None:
    token = _switch(client, make_account("reviewer"))
    response = client.post(f"/review/{page_id}/double-entry", data={"on": "1", "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/review/{page_id}?notice=double_on"


def test_only_a_reviewer_marks_a_book_for_double_entry(client, make_account, page_id):
    token = _switch(client, make_account("archive_staff"))
    refused = client.post(f"/review/{page_id}/double-entry", data={"on": "1", "csrf_token": token})
    assert refused.status_code == 403
    token = _switch(client, make_account("reviewer"))
    assert client.post(f"/review/{page_id}/double-entry", data={"on": "1"}).status_code == 403
    _mark_double(client, make_account, page_id)
    page = client.get(f"/review/{page_id}", headers=PAGE).text
    assert 'id="double-entry"' in page and 'data-made="0"' in page
    assert 'id="confirm"' not in page


def test_two_clerks_key_unseen_and_a_reviewer_settles_the_difference(
    client, make_account, page_id, engine
):
    _mark_double(client, make_account, page_id)
    first, second = make_account("archive_staff"), make_account("archive_staff")
    token = _switch(client, first)
    keyed = client.post(f"/review/{page_id}/manual", data=_manual_data(token, **TYPED))
    assert keyed.status_code == 303 and keyed.headers["location"].endswith("notice=keyed")
    again = client.get(f"/review/{page_id}/manual", headers=PAGE).text
    assert 'id="keying"' in again and "Bạn đã nhập trang này" in again
    assert re.search(r'id="manual-submit"[^>]*disabled', again)
    refused = client.post(f"/review/{page_id}/manual", data=_manual_data(token, **TYPED))
    assert refused.status_code == 400
    assert "lần nhập còn lại" in _text_of(refused.text, "manual-error")

    token = _switch(client, second)
    for url in (f"/review/{page_id}/manual", f"/review/{page_id}"):
        shown = client.get(url, headers=PAGE).text
        assert "Trần Thị Bích" not in shown and "TRẦN THỊ BÍCH" not in shown, url
    other = {**TYPED, "full_name": "Trần Thị Bich"}
    keyed = client.post(f"/review/{page_id}/manual", data=_manual_data(token, **other))
    assert keyed.headers["location"].endswith("notice=arbitration")
    assert queue.show(engine, page_id).state == "pending"

    # A reviewer who keyed neither sees both values beside the page and chooses.
    token = _switch(client, make_account("reviewer"))
    page = client.get(f"/review/{page_id}/arbitrate", headers=PAGE)
    assert page.status_code == 200
    rows = re.findall(r'<tr data-field="([a-z_]+)">', page.text)
    assert rows == ["full_name"]  # the one difference; the rest agreed
    assert "TRẦN THỊ BÍCH" in page.text and "TRẦN THỊ BICH" in page.text
    refused = client.post(f"/review/{page_id}/arbitrate", data={"csrf_token": token})
    assert refused.status_code == 400
    assert _text_of(refused.text, "arbitrate-error") == "Chưa chọn giá trị cho: Họ, chữ đệm, tên."
    done = client.post(
        f"/review/{page_id}/arbitrate", data={"csrf_token": token, "choice-full_name": "1"}
    )
    assert done.status_code == 303 and done.headers["location"].endswith("notice=arbitrated")
    item = queue.show(engine, page_id)
    assert item.state == "confirmed" and item.fields["full_name"]["value"] == "TRẦN THỊ BÍCH"
    with engine.connect() as conn:
        actions = {
            (a.action, a.actor)
            for a in conn.execute(
                select(review_action.c.action, review_action.c.actor).where(
                    review_action.c.review_item_id == page_id
                )
            )
        }
    reviewer = item.fields["full_name"]["by"]
    assert {("key", first.username), ("key", second.username)} <= actions
    assert {("arbitrate", reviewer), ("confirm", reviewer)} <= actions

    # The manager's dashboard shows the book's agreement and each clerk's disagreement.
    _switch(client, make_account("manager"))
    board = client.get("/dashboard", headers=PAGE).text
    assert 'id="double-keying"' in board
    rates = re.findall(r'class="rate" data-rate="([^"]+)"', board)
    fields = len(TYPED)
    assert rates[0] == f"{(fields - 1) / fields * 100:.1f} %".replace(".", ",")
    assert sorted(rates[1:]) == ["0,0 %", f"{100 / fields:.1f} %".replace(".", ",")]


def test_a_keyer_may_not_arbitrate_and_nobody_confirms_directly(
    client, make_account, page_id, engine, tmp_path
):
    _mark_double(client, make_account, page_id)
    reviewer = make_account("reviewer")
    token = _switch(client, reviewer)
    client.post(f"/review/{page_id}/manual", data=_manual_data(token, **TYPED))
    token = _switch(client, make_account("archive_staff"))
    client.post(f"/review/{page_id}/manual", data=_manual_data(token, **{**TYPED, "sex": "Nam"}))
    token = _switch(client, reviewer)
    assert client.get(f"/review/{page_id}/arbitrate", headers=PAGE).status_code == 403
    refused = client.post(f"/review/{page_id}/confirm", data={"csrf_token": token})
    assert refused.status_code == 400 and "nhập hai lần" in _text_of(refused.text, "review-error")
    foreign = stage_handwritten(engine, tmp_path / "other", OTHER_UNIT, seed=22)
    token = _switch(client, make_account("reviewer"))
    assert client.get(f"/review/{foreign}/arbitrate", headers=PAGE).status_code == 403
    assert client.get(f"/review/{page_id}/arbitrate", headers=PAGE).status_code == 200
