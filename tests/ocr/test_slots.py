"""Results of procedures without a dossier code, and digits written in by hand."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ImageDraw

from ocr import slots
from ocr.acceptance import DISAGREE, DOUBTFUL, FURTHER_READING, READERS_AGREE
from ocr.engines import Word
from ocr.pipeline import extract_page
from ocr.record import FieldValue
from ocr.slots import date_slots, number_slot, settle_result_slots
from tests.ocr.formpages import (
    DAY_GAP,
    NUMBER_GAP,
    SOURCE,
    decision,
    draw,
    gray,
    handwrite,
    handwritten,
    render_boxes,
)
from tests.ocr.wordfactory import line_words

TYPED = {
    "document_title": "QUYẾT ĐỊNH",
    "issuing_authority": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "result_number": "47/QĐ-UBND",
    "result_date": "2025-01-17",
    "applicant_name": "NGUYỄN VĂN TÂM",
}


def fields(record: dict) -> dict:
    return {name: f["value"] for name, f in record["fields"].items()}


def test_a_decision_without_a_dossier_code_is_a_read_result():
    record = extract_page(gray(draw(decision())[0]), SOURCE, dpi=300).to_json()
    assert record["doc_type"] == "dossier_result"
    assert fields(record) == TYPED
    # Its dossier comes from the QR code, the upload or review: not a fault of the page.
    assert not any(i["field"] == "dossier_code" for i in record["issues"])


@pytest.mark.parametrize(
    ("number", "day", "seed"),
    [("47", "17", 5), ("305", "9", 11), ("1268", "28", 23), ("6", "3", 31)],
)
def test_handwritten_number_and_day_are_read_or_sent_to_review(number, day, seed):
    image = handwritten(
        decision(NUMBER_GAP, DAY_GAP), {"number_slot": number, "day_slot": day}, seed=seed
    )
    record = extract_page(gray(image), SOURCE, dpi=300).to_json()
    got = fields(record)
    truth = {
        **TYPED,
        "result_number": f"{number}/QĐ-UBND",
        "result_date": f"2025-01-{int(day):02d}",
    }
    assert record["doc_type"] == "dossier_result"
    # The typed fields stand whatever the handwriting does.
    for name in ("document_title", "issuing_authority", "applicant_name"):
        assert got[name] == truth[name]
    for name in ("result_number", "result_date"):
        flagged = any(i["field"] == name for i in record["issues"])
        if got.get(name) != truth[name]:
            assert flagged, (name, got.get(name))  # a wrong reading is never silent
    assert sum(got.get(n) == truth[n] for n in ("result_number", "result_date")) >= 1


def test_an_unreadable_handwritten_number_sends_only_itself_to_review():
    rendered = render_boxes(decision(NUMBER_GAP, "17"))
    image, boxes = rendered
    x0, y0, x1, y1 = boxes["number_slot"]
    ImageDraw.Draw(image).rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill="white")
    handwrite(image, (x0, y0 - 10, x1, y1 + 5), seed=3)  # a scrawl, no digit in it
    record = extract_page(gray(image), SOURCE, dpi=300).to_json()
    got = fields(record)
    assert "result_number" not in got or any(
        i["field"] == "result_number" for i in record["issues"]
    )
    assert got["result_date"] == "2025-01-17"
    assert got["document_title"] == "QUYẾT ĐỊNH"
    flagged = {i["field"] for i in record["issues"]}
    assert "result_number" in flagged
    assert flagged <= {"result_number", None}


def _line(text: str, x: int, y: int, n: int) -> list[Word]:
    return line_words(text, x, y, n)


def test_the_typed_line_says_where_the_slots_are():
    words = _line("Số: 4†‡ /QĐ-UBND", 100, 300, 1)
    slot, suffix, inside = number_slot(words)
    assert suffix == "QĐ-UBND"
    assert [w.text for w in inside] == ["4†‡"]
    assert slot.box[0] > words[0].x and slot.fits("47") and not slot.fits("123456")
    glued = number_slot(_line("Số: 1026/QĐ-UBND", 100, 300, 1))
    assert glued is not None and [w.text for w in glued[2]] == ["1026"]
    words = _line("Quảng Ngãi, ngày 4T tháng 01 năm 2025", 1200, 300, 2)
    slots = date_slots(words)
    assert [w.text for w in slots["day"][1]] == ["4T"]
    assert slots["day"][0].fits("17") and not slots["day"][0].fits("41")
    assert slots["month"][0].fits("1") and not slots["month"][0].fits("13")


def test_the_day_slot_of_a_date_line_wrapped_after_its_day_ends_with_its_line():
    words = _line("Tỉnh Tây Ninh, ngày 2†", 1200, 300, 1) + _line("tháng 07 năm 2020", 1240, 360, 2)
    slots = date_slots(words)
    day_line = [w for w in words if w.line == 1]
    x0, y0, x1, y1 = slots["day"][0].box
    assert [w.text for w in slots["day"][1]] == ["2†"]
    assert x0 > day_line[2].right - 5 and x1 >= day_line[-1].right and y1 < 360 + 40
    assert slots["month"][0].box[1] > 300 and [w.text for w in slots["month"][1]] == ["07"]


def test_the_slots_are_never_a_recitals_date():
    # The header's date line unread: the recital's date below is another paper's.
    words = _line("Căn cứ Luật Tổ chức chính quyền địa phương", 100, 600, 1) + _line(
        "ngày 19 tháng 6 năm 2015;", 100, 660, 2
    )
    assert date_slots(words) == {}


@pytest.mark.parametrize(
    ("reason", "status"), [(FURTHER_READING, "check"), (READERS_AGREE, "sure")]
)
def test_a_split_reading_of_a_slot_that_cannot_be_read_is_not_sure(monkeypatch, reason, status):
    # The page reader read the handwritten day as 13, the second reader and a further
    # look as 03: sure by the further reading, but the slot itself could not be read.
    monkeypatch.setattr(slots, "read_slot_digits", lambda image, slot: None)
    words = _line("Số: 47/TB-UBND", 100, 300, 1) + _line(
        "Ninh Bình, ngày 03 tháng 12 năm 2025", 1200, 300, 2
    )
    fields = {
        "result_date": FieldValue("2025-12-03", 0.98, None, "sure", reason),
        "result_number": FieldValue("47/TB-UBND", 0.98, None, "sure", reason),
    }
    assert settle_result_slots(fields, np.full((800, 2400), 255, np.uint8), words) == []
    assert fields["result_date"].status == fields["result_number"].status == status
    if status == "check":
        assert fields["result_date"].reason == DISAGREE


def test_a_date_both_readers_broke_alike_is_not_sure_when_its_slot_cannot_be_read(monkeypatch):
    # A handwritten 27 read "2Ì": both readers keep the 2, the slot itself is unread.
    monkeypatch.setattr(slots, "read_slot_digits", lambda image, slot: None)
    words = _line("Cần Đước, ngày 2Ì tháng 10 năm 2022", 1200, 300, 1)
    fields = {"result_date": FieldValue("2022-10-02", 0.99, None, "sure", READERS_AGREE)}
    settle_result_slots(fields, np.full((800, 2400), 255, np.uint8), words)
    assert (fields["result_date"].status, fields["result_date"].reason) == ("check", DOUBTFUL)
    # Typed digits the slot could not read again stay as the readers agreed.
    words = _line("Cần Đước, ngày 27 tháng 10 năm 2022", 1200, 300, 1)
    fields = {"result_date": FieldValue("2022-10-27", 0.99, None, "sure", READERS_AGREE)}
    settle_result_slots(fields, np.full((800, 2400), 255, np.uint8), words)
    assert fields["result_date"].status == "sure"
