"""Acceptance by agreement: the rules, and the real readers on rendered values."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import acceptance
from ocr.acceptance import (
    ARBITRATED,
    CHECK,
    CLOSED_LIST,
    DISAGREE,
    FAILED_CHECK,
    LISTS_OBJECT,
    ONE_READING,
    READERS_AGREE,
    SURE,
    UNIT_LISTS,
    Reading,
    agree,
    arbitrate,
    closed_value,
    restore_marks,
    richest_marks,
    settle,
)
from ocr.engines import page_reader, registry
from ocr.fields import RawField
from ocr.prepare import Prepared
from ocr.record import FieldValue, Issue, PageRecord, Source

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def test_readings_agree_on_letters_and_marks_not_on_spacing_or_edge_punctuation():
    assert agree("Xã Thạch Hà, Huyện Thạch Hà", "Xã Thạch Hà , Huyện Thạch Hà.")
    assert agree("1985-06-14", "1985-06-14") and agree(1990, 1990)
    assert not agree("HIẾN", "HIỀN")
    assert not agree("1985-06-14", "1985-06-19")
    assert not agree(None, None) and not agree("", "")


def test_only_an_exact_entry_of_a_closed_list_certifies_a_value():
    assert closed_value("sex", "Nam") == "male"
    assert closed_value("sex", "Nữ") == "female"
    assert closed_value("sex", "Narn") is None  # normalization would guess; a list does not
    assert closed_value("mother_ethnicity", "Tày") == "Tày"
    assert closed_value("ethnicity", "Kình") is None
    assert closed_value("father_nationality", "Việt Nam") == "Việt Nam"
    assert closed_value("full_name", "Nam") is None


def reading(source: str, value: str, confidence: float = 0.9) -> Reading:
    return Reading(source, value, value, confidence)


def test_the_lists_may_choose_between_disagreeing_readings_but_never_make_them_sure():
    chosen, why = arbitrate(
        "full_name", [reading("page", "NGUYÊN VĂN AN", 0.95), reading("second", "NGUYỄN VĂN AN")]
    )
    assert (chosen, why) == ("NGUYỄN VĂN AN", ARBITRATED)
    # Neither known: the page reader's reading is shown, as read.
    chosen, why = arbitrate("full_name", [reading("page", "XZQ AB"), reading("second", "XZO AB")])
    assert (chosen, why) == ("XZQ AB", DISAGREE)
    assert arbitrate("full_name", []) == (None, DISAGREE)


def test_the_lists_choose_the_reading_that_is_a_known_title_or_authority():
    readings = [
        reading("page", "THÔNG BÁO", 0.8),
        reading("second", "THÔNG BẢO", 0.97),
        reading("crop", "THÔNG BÁO", 0.7),
    ]
    assert arbitrate("document_title", readings) == ("THÔNG BÁO", ARBITRATED)
    readings = [
        reading("page", "ỦY BAN NHÂN ĐÂN XÃ VIỆT TIẾN", 0.95),
        reading("second", "ỦY BAN NHÂN DÂN XÃ Việt TIến", 0.97),
        reading("binarized", "ỦY BAN NHÂN DÂN XÃ VIỆT TIẾN", 0.6),
    ]
    assert arbitrate("issuing_authority", readings) == (
        "ỦY BAN NHÂN DÂN XÃ VIỆT TIẾN",
        ARBITRATED,
    )
    # Agreed readings that lost a mark of a known title get it back, to be checked.
    assert acceptance.restore_marks("document_title", "GIẤY XÁC NHẠN") == "GIẤY XÁC NHẬN"
    assert acceptance.restore_marks("document_title", "THÔNG BẢO") == "THÔNG BẢO"


def rendered(text: str, name: str = "place_of_birth") -> tuple[Prepared, RawField]:
    """A value line as on a form, and its words as the page reader reads them."""
    img = Image.new("L", (1600, 200), 255)
    ImageDraw.Draw(img).text((80, 70), text, font=ImageFont.truetype(SERIF, 40), fill=0)
    prepared = Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)
    words = page_reader().read_words(prepared.image, dpi=300, layout="line")
    return prepared, RawField(name, " ".join(w.text for w in words), words)


def test_two_readers_that_agree_make_a_value_sure(monkeypatch):
    monkeypatch.delenv(registry.SETTING, raising=False)
    prepared, rf = rendered("Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định")
    settled = settle("birth", "place_of_birth", rf, prepared)
    assert (settled.value, settled.status, settled.reason) == (
        "Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định",
        SURE,
        READERS_AGREE,
    )
    assert [r.source for r in settled.readings] == ["page", "second"]


def test_a_whole_chain_of_units_spelt_as_the_lists_spell_it_needs_no_second_reader(
    monkeypatch,
):
    monkeypatch.setenv(registry.SETTING, "tesseract")
    prepared, rf = rendered("Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định")
    settled = settle("birth", "place_of_birth", rf, prepared)
    assert (settled.status, settled.reason) == (SURE, UNIT_LISTS)
    # With a hamlet before it, the lists vouch for the chain only: it needs two readers.
    prepared, rf = rendered("Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định")
    assert settle("birth", "place_of_birth", rf, prepared).reason == ONE_READING


def test_readers_that_agree_on_a_spelling_the_unit_lists_do_not_know_are_not_enough(
    monkeypatch,
):
    # Printed with the last letter lost (l for i): both readers read what is printed.
    monkeypatch.delenv(registry.SETTING, raising=False)
    prepared, rf = rendered("Xã Cộng Hòa, Huyện Quốc Oal, Thành phố Hà Nội")
    settled = settle("birth", "place_of_birth", rf, prepared)
    assert (settled.value, settled.status, settled.reason) == (
        "Xã Cộng Hòa, Huyện Quốc Oal, Thành phố Hà Nội",  # the reading, not the lists'
        CHECK,
        LISTS_OBJECT,
    )


@pytest.mark.parametrize(
    ("name", "printed"),
    [("nationality", "Viết Nam"), ("mother_ethnicity", "Kihn")],
)
def test_readers_that_agree_on_a_value_outside_its_closed_list_are_not_enough(
    monkeypatch, name, printed
):
    # A realistic held-out page: both readers read "Viết Nam" and it was loaded as sure.
    monkeypatch.delenv(registry.SETTING, raising=False)
    prepared, rf = rendered(printed)
    settled = settle("birth", name, rf, prepared)
    assert (settled.value, settled.status, settled.reason) == (printed, CHECK, LISTS_OBJECT)
    assert acceptance.lists_object("nationality", "Trung Quốc") is False  # a country


def test_one_reader_alone_makes_nothing_sure(monkeypatch):
    monkeypatch.setenv(registry.SETTING, "tesseract")
    prepared, rf = rendered("Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định")
    settled = settle("birth", "place_of_birth", rf, prepared)
    assert (settled.status, settled.reason) == (CHECK, ONE_READING)
    assert settled.value == "Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định"  # shown


def test_a_closed_list_needs_no_second_reading(monkeypatch):
    monkeypatch.setenv(registry.SETTING, "tesseract")
    prepared, rf = rendered("Kinh")
    settled = settle("birth", "ethnicity", RawField("ethnicity", rf.text, rf.words), prepared)
    assert (settled.value, settled.status, settled.reason) == ("Kinh", SURE, CLOSED_LIST)


def test_a_second_reader_that_disagrees_keeps_the_value_to_check(monkeypatch, contrary):
    monkeypatch.setenv(registry.SETTING, "tesseract,contrary")
    prepared, rf = rendered("Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định")
    settled = settle("birth", "place_of_birth", rf, prepared)
    assert settled.status == CHECK and settled.reason in (DISAGREE, ARBITRATED)
    # The page reader's own further readings agree with it, but they are one engine.
    assert {r.source for r in settled.readings} >= {"page", "second", "crop"}
    assert settled.value in {r.value for r in settled.readings}  # one of them, to check


def field(value, status=SURE, reason=READERS_AGREE, first=0.95, second=0.99) -> FieldValue:
    evidence = {"first": first, "second": second}
    return FieldValue(value, 0.0, None, status, reason, evidence)


def test_a_record_is_accepted_only_when_every_field_is_sure_and_no_issue_remains():
    record = PageRecord(Source("x", 1, "0" * 64), doc_type="birth")
    record.fields = {"full_name": field("TRẦN VĂN AN"), "sex": field("male", reason=CLOSED_LIST)}
    acceptance.conclude(record)
    assert record.status == "auto_accepted" and record.issues == []
    assert all(0.8 <= f.confidence < 1.0 for f in record.fields.values())

    record.fields["hometown"] = field("Xã A", CHECK, DISAGREE, 0.9, 0.4)
    record.status = "needs_review"
    acceptance.conclude(record)
    assert record.status == "needs_review"
    assert [(i.field, i.rule) for i in record.issues] == [("hometown", "low_confidence")]


def test_a_field_an_issue_names_is_to_check_however_it_was_read():
    record = PageRecord(Source("x", 1, "0" * 64), doc_type="birth")
    record.fields = {"date_of_birth": field("2031-01-01")}
    record.issues = [Issue("date_in_future", "in the future", field="date_of_birth")]
    acceptance.conclude(record)
    f = record.fields["date_of_birth"]
    assert (f.status, f.reason) == (CHECK, FAILED_CHECK)
    assert record.status == "needs_review"


def test_the_unit_lists_certify_only_a_chain_spelt_exactly_with_an_exact_committee():
    chain = "Xã Quảng Lạc, Huyện Nho Quan, Tỉnh Ninh Bình"
    assert acceptance.units_certify(chain)
    assert acceptance.units_certify("Ủy ban nhân dân " + chain)
    assert not acceptance.units_certify("Ủy ban nhân dần " + chain)  # a misread committee
    assert not acceptance.units_certify("Thôn 3, " + chain)  # a hamlet the lists lack
    assert not acceptance.units_certify("Xã Quảng Lac, Huyện Nho Quan, Tỉnh Ninh Bình")
    assert acceptance.misspelt_hamlet("Tố 11, " + chain)
    assert not acceptance.misspelt_hamlet("Tổ 11, " + chain)


def test_marks_one_reader_lost_and_the_other_read_make_a_name_the_lists_know():
    readings = [
        Reading("page", "", "NGUYÊN YẾN ANH", 0.89),  # the tilde lost
        Reading("second", "", "NGUYỄN YÊN ANH", 0.42),  # the acute lost
    ]
    assert richest_marks([r.value for r in readings]) == "NGUYỄN YẾN ANH"
    assert arbitrate("full_name", readings) == ("NGUYỄN YẾN ANH", ARBITRATED)  # never sure


def test_readings_with_other_marks_on_one_letter_are_not_merged():
    assert richest_marks(["Điên Trung", "Điễn Trung", "Điền Trung"]) is None
    assert richest_marks(["NGUYỄN VĂN AN", "NGUYỄN AN"]) is None  # other tokens


def test_the_lists_restore_lost_marks_but_never_change_a_mark_read():
    place = "Thôn Yên Phú, Xã Tế Nông, Huyện Nông Công, Tỉnh Thanh Hóa"
    assert restore_marks("place_of_birth", place) == place.replace("Nông Công", "Nông Cống")
    assert restore_marks("full_name", "NGÔ HỮU HOÀ") == "NGÔ HỮU HOÀ"  # tone placement kept
    assert restore_marks("registration_number", "12") == "12"


def test_readers_agreeing_on_the_wrong_line_do_not_make_a_title_or_an_authority_sure():
    record = PageRecord(Source("x", 1, "0" * 64), doc_type="dossier_result")
    record.fields = {
        "document_title": field("(Sử dụng cho nhà ở riêng lẻ)"),  # the subtitle
        "issuing_authority": field("ỦY BAN NHÂN DÂN"),  # the unit's line lost
        "result_number": field("THÀNH PHỐ HÀ NỘI"),  # not an authority: not judged so
        "result_date": field("2022-07-11"),
    }
    acceptance.conclude(record)
    assert record.fields["document_title"].status == CHECK
    assert record.fields["issuing_authority"].status == CHECK
    assert record.fields["result_date"].status == SURE
    record.issues = []
    record.fields = {
        "document_title": field("GIẤY PHÉP XÂY DỰNG"),
        "issuing_authority": field("ỦY BAN NHÂN DÂN HUYỆN VĨNH LỘC"),
    }
    acceptance.conclude(record)
    assert {f.status for f in record.fields.values()} == {SURE}


def test_a_record_missing_several_required_fields_vouches_for_none():
    # A result read as a birth certificate: its name and number agree between readers,
    # but the form was misread, so nothing on it is sure.
    record = PageRecord(Source("x", 1, "0" * 64), doc_type="birth")
    record.fields = {"full_name": field("TRẦN LỆ ĐỆ"), "registration_number": field("1829")}
    record.issues = [
        Issue("required_missing", "missing", field=name) for name in ("sex", "date_of_birth")
    ]
    acceptance.conclude(record)
    assert {(f.status, f.reason) for f in record.fields.values()} == {(CHECK, FAILED_CHECK)}
    record.issues = record.issues[:1]  # one missing field: the rest stands on its readings
    for f in record.fields.values():
        f.status, f.reason = SURE, READERS_AGREE
    acceptance.conclude(record)
    assert record.fields["full_name"].status == SURE


def test_a_name_run_into_the_next_label_is_not_sure_even_when_readers_agree():
    record = PageRecord(Source("x", 1, "0" * 64), doc_type="marriage")
    record.fields = {
        "husband_full_name": field("NGUYỄN QUỐC VY NGÀY"),  # "Ngày, tháng, năm sinh"
        "wife_full_name": field("LÊ THỊ SINH"),  # Sinh is a given name
    }
    acceptance.conclude(record)
    assert record.fields["husband_full_name"].status == CHECK
    assert record.fields["wife_full_name"].status == SURE


def test_a_closed_list_gives_the_official_case_but_keeps_a_printed_one():
    assert closed_value("ethnicity", "TàY") == "Tày"
    assert closed_value("ethnicity", "TÀY") == "TÀY"  # printed in capitals
    assert closed_value("mother_ethnicity", "Tày") == "Tày"
    assert closed_value("ethnicity", "Tay") is None  # a mark lost: not the list's entry


def test_an_authority_read_without_its_committee_line_is_not_sure():
    assert not acceptance.set_phrase_whole("issuing_authority", "THÀNH PHỐ HÀ NỘI")
    assert not acceptance.set_phrase_whole("issuing_authority", "XÃ HÀ KỲ")
    assert acceptance.set_phrase_whole("issuing_authority", "UỶ BAN NHÂN DÂN XÃ HÀ KỲ")
    assert acceptance.set_phrase_whole("issuing_authority", "SỞ TƯ PHÁP TỈNH NINH BÌNH")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("issuing_authority", "Ket qua.pdf UỶ BAN NHÂN DÂN"),  # a viewer's file name
        ("issuing_authority", "UỶ BAN NHÂN DÂN"),
        ("result_number", "2140"),  # its type cut off
        ("result_number", "1778GPXD"),  # its slash lost
        ("result_number", "1648/GXN-UBN"),  # UBND cut short (held-out mixed seed 5011)
        ("wife_full_name", "TIỆP"),  # the line cut to its last word
        ("wife_full_name", "THỊ THÌN"),  # the surname lost to the layout
        ("book_number", "08/198"),  # the year's last digit lost
        ("place_of_birth", "Quảng Nam"),  # the line cut to its province
        ("father_residence", "Tỉnh Quảng Nam"),  # a held-out photo: both readers, sure
    ],
)
def test_values_cut_short_or_run_together_are_not_sure(name, value):
    assert not acceptance.set_phrase_whole(name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("issuing_authority", "UỶ BAN NHÂN DÂN QUẬN 3"),
        ("result_number", "2140/GXN-UBND"),
        ("result_number", "12/2024/QĐ-UBND"),
        ("book_number", "08/1987"),
        ("book_number", "08"),
        ("wife_full_name", "NGUYỄN HỒNG TIỆP"),
        ("place_of_birth", "Xã Trà Giang, Huyện Bắc Trà My, Tỉnh Quảng Nam"),
        ("place_of_birth", "Bệnh viện Đa khoa Tỉnh Thanh Hóa"),
        ("mother_residence", "Thôn 3, Xã Phước Quang, Huyện Tuy Phước, Tỉnh Bình Định"),
        ("hometown", "Quảng Nam"),  # a hometown is often its province alone
    ],
)
def test_whole_values_keep_what_their_readings_say(name, value):
    assert acceptance.set_phrase_whole(name, value)
