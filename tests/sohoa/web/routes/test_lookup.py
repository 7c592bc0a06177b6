"""The reuse lookup endpoint on real records and dossiers: results limited to the caller's
units (another unit's record is "not found", and no reuse is recorded against it), the
audit row with its actor, CSRF and role refusals, and no value in the logs."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select

from sohoa.db.tables import dossier_component, reuse_event
from sohoa.dossiers.importer import import_file
from tests.sohoa.dossiers.conftest import load, record
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import sign_in

SHARED = "079203001234"  # a person with a birth here and a marriage in the other unit
ELSEWHERE = "079185004321"  # a person only the other unit has records of
HOME_CODE = "000.00.20.H40-240605-0001"
OTHER_CODE = "000.00.20.H41-240605-0002"


def _birth(uri: str, pid: str, number: str) -> dict:
    return record(
        "birth",
        uri,
        {
            "full_name": "NGUYỄN VĂN AN",
            "date_of_birth": "2003-02-01",
            "sex": "male",
            "personal_id": pid,
            "registration_number": number,
            "registration_date": "2003-02-10",
            "place_of_birth": "Tân Hiệp",
        },
    )


@pytest.fixture
def world(web_app, tmp_path):
    engine = web_app.state.sohoa.engine
    load(engine, "birth", [_birth("landing/h/1.png", SHARED, "12")], unit=HOME_UNIT, year=2003)
    load(engine, "birth", [_birth("landing/o/1.png", ELSEWHERE, "40")], unit=OTHER_UNIT, year=1985)
    marriage = record(
        "marriage",
        "landing/o/2.png",
        {
            "husband_full_name": "NGUYỄN VĂN AN",
            "husband_date_of_birth": "2003-02-01",
            "husband_personal_id": SHARED,
            "wife_full_name": "TRẦN THỊ BÌNH",
            "wife_date_of_birth": "2004-05-05",
            "registration_number": "7",
            "registration_date": "2024-01-05",
        },
    )
    load(engine, "marriage", [marriage], unit=OTHER_UNIT)
    path = tmp_path / "dossiers.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "dossier_code": code,
                    "unit_code": unit,
                    "received_at": "2024-06-05T08:00:00+07:00",
                    "paper_result_required": False,
                    "components": [
                        {"name": "Tờ khai", "file": "s3://t.pdf", "reused": False},
                        {"name": "Giấy khai sinh", "file": "", "reused": False},
                    ],
                }
            )
            + "\n"
            for code, unit in ((HOME_CODE, HOME_UNIT), (OTHER_CODE, OTHER_UNIT))
        ),
        encoding="utf-8",
    )
    assert import_file(engine, path).inserted == 2
    return engine


def _events(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(reuse_event).order_by(reuse_event.c.id)).all()


def _reused(engine) -> dict[str, bool]:
    with engine.connect() as conn:
        return {
            f"{d}/{name}": bool(reused)
            for d, name, reused in conn.execute(
                select(
                    dossier_component.c.dossier_id,
                    dossier_component.c.name,
                    dossier_component.c.reused,
                )
            )
        }


def _ask(client, token, **body):
    return client.post("/api/lookup", json=body, headers={"X-CSRF-Token": token})


@pytest.mark.parametrize("role", ["archive_staff", "reviewer"])
def test_records_of_own_units_only_with_an_audited_reuse(client, make_account, world, role):
    account = make_account(role)
    token = sign_in(client, account)
    answer = _ask(client, token, kind="personal_id", value=SHARED)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["found"] is True
    assert [(r["doc_type"], r["book"]["unit"]) for r in data["records"]] == [("birth", HOME_UNIT)]
    (event,) = _events(world)
    assert (event.id, event.actor, event.found, event.lookup_kind) == (
        data["reuse_event_id"],
        account.username,
        True,
        "personal_id",
    )


def test_another_units_record_is_not_found_and_not_reused(client, make_account, world):
    token = sign_in(client, make_account("archive_staff"))
    hidden = _ask(
        client,
        token,
        kind="personal_id",
        value=ELSEWHERE,
        dossier_code=HOME_CODE,
        component="Giấy khai sinh",
    )
    missing = _ask(client, token, kind="personal_id", value="079199000000")
    assert hidden.status_code == missing.status_code == 200
    got, miss = hidden.json(), missing.json()
    assert got["found"] is False and got["records"] == [] and not got["component_marked_reused"]
    assert set(got) == set(miss) and isinstance(got["reuse_event_id"], int)  # same shape
    assert ELSEWHERE not in hidden.text and OTHER_UNIT not in hidden.text
    # as reuse.lookup logs a miss: found false, no record; nothing marked reused
    events = _events(world)
    assert [(e.found, e.record_id) for e in events] == [(False, None), (False, None)]
    assert not any(_reused(world).values())
    # by registration number too: number 40 exists only in the other unit
    by_number = _ask(client, token, kind="registration_number", value="40")
    assert by_number.json()["found"] is False


def test_a_lookup_for_a_dossier_marks_its_component_reused(client, make_account, world):
    token = sign_in(client, make_account("reviewer"))
    answer = _ask(
        client,
        token,
        kind="personal_id",
        value=SHARED,
        dossier_code=HOME_CODE,
        component="Giấy khai sinh",
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["found"] and data["component_marked_reused"] and data["dossier_code"] == HOME_CODE
    assert sum(_reused(world).values()) == 1


def test_another_units_dossier_is_not_found(client, make_account, world):
    token = sign_in(client, make_account("archive_staff"))
    answer = _ask(
        client,
        token,
        kind="personal_id",
        value=SHARED,
        dossier_code=OTHER_CODE,
        component="Giấy khai sinh",
    )
    assert answer.status_code == 404
    assert "Không tìm thấy hồ sơ" in answer.json()["error"]
    unknown = _ask(client, token, kind="personal_id", value=SHARED, dossier_code="NO-SUCH")
    assert unknown.status_code == 404 and unknown.json() == answer.json()
    assert _events(world) == [] and not any(_reused(world).values())


BAD = [
    ({"kind": "personal_id", "value": "12345"}, 400),
    ({"kind": "registration_number", "value": "  "}, 400),
    ({"kind": "personal_id", "value": SHARED, "component": "Tờ khai"}, 400),
    ({"kind": "personal_id", "value": SHARED, "dossier_code": HOME_CODE, "component": "Sổ"}, 400),
    ({"kind": "name", "value": "AN"}, 422),
]


def test_bad_requests_are_refused_without_a_trace(client, make_account, world):
    token = sign_in(client, make_account("archive_staff"))
    for body, status in BAD:
        answer = _ask(client, token, **body)
        assert answer.status_code == status, body
        if status == 400:
            assert answer.json()["error"]
    assert _events(world) == [] and not any(_reused(world).values())


def test_csrf_session_and_roles(client, make_account, world):
    body = {"kind": "personal_id", "value": SHARED}
    assert client.post("/api/lookup", json=body).status_code == 401  # no session
    token = sign_in(client, make_account("archive_staff"))
    assert client.post("/api/lookup", json=body).status_code == 403  # no CSRF token
    assert _ask(client, token[::-1], **body).status_code == 403  # a wrong one
    assert _events(world) == []
    for role in ("manager", "admin"):
        client.cookies.clear()
        token = sign_in(client, make_account(role))
        assert _ask(client, token, **body).status_code == 403
        assert client.get("/lookup", headers={"accept": "text/html"}).status_code == 403
    assert _events(world) == []


def test_the_value_is_not_logged(client, make_account, world, caplog):
    token = sign_in(client, make_account("archive_staff"))
    with caplog.at_level(logging.DEBUG):
        assert _ask(client, token, kind="personal_id", value=SHARED).json()["found"]
        _ask(client, token, kind="personal_id", value=ELSEWHERE)
    assert "reuse lookup" in caplog.text
    assert SHARED not in caplog.text and ELSEWHERE not in caplog.text


def test_the_lookup_page_posts_a_form(client, make_account, world):
    token = sign_in(client, make_account("archive_staff"))
    page = client.get("/lookup")
    assert page.status_code == 200 and 'id="lookup-form"' in page.text
    answer = client.post(
        "/lookup", data={"kind": "personal_id", "value": SHARED, "csrf_token": token}
    )
    assert answer.status_code == 200 and 'data-found="true"' in answer.text
    assert "NGUYỄN VĂN AN" in answer.text and "TRẦN THỊ BÌNH" not in answer.text
    refused = client.post("/lookup", data={"kind": "personal_id", "value": SHARED})
    assert refused.status_code == 403
    bad = client.post("/lookup", data={"kind": "personal_id", "value": "1", "csrf_token": token})
    assert bad.status_code == 400 and "12 chữ số" in bad.text
