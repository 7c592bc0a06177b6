"""The number line read again, on rendered text with the real recognizers."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import page_reader
from ocr.numberline import Opinion, opinions, result_number, settle
from ocr.prepare import Prepared

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def page(lines: list[tuple[int, int, str]], size=(1800, 400)) -> Prepared:
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(SERIF, 40)
    for x, y, text in lines:
        draw.text((x, y), text, font=font, fill=0)
    return Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)


def test_both_numbers_are_read_again_beside_the_book_label_by_both_readers():
    prepared = page(
        [(60, 40, "Họ và tên: TRẦN VĂN AN"), (60, 160, "Số: 283"), (1000, 160, "Quyển số: 12/2002")]
    )
    words = page_reader().read_words(prepared.image, dpi=300)
    found = opinions(prepared, words, {})
    assert found["registration_number"].value == "283"
    assert found["book_number"].value == "12/2002"
    assert found["book_number"].confirmed and found["registration_number"].confirmed


def test_no_book_label_no_opinion():
    prepared = page([(60, 160, "Họ và tên: TRẦN VĂN AN")])
    assert opinions(prepared, page_reader().read_words(prepared.image, dpi=300), {}) == {}


def test_two_readers_agreeing_settle_a_missing_or_other_number():
    agreed = Opinion("283", agreeing=2, confirmed=True)
    assert settle("registration_number", None, False, agreed) == ("283", True)
    assert settle("registration_number", "203", False, agreed) == ("283", True)
    assert settle("registration_number", "283", False, agreed) == ("283", True)


def test_a_reading_the_second_reader_does_not_share_is_for_review():
    lone = Opinion("55", agreeing=1, confirmed=False)
    assert settle("registration_number", None, False, lone) == ("55", False)
    # A garbled first reading gives way to the well-formed one, for review.
    assert settle("registration_number", "n55", False, lone) == ("55", False)
    # Readings of one engine that agree (text and digits models) settle nothing.
    one_engine = Opinion("021", agreeing=3, confirmed=False)
    assert settle("registration_number", "021", False, one_engine) == ("021", False)


def test_a_number_naming_another_year_than_its_book_is_doubted():
    agreed = Opinion("45/2019", agreeing=3, confirmed=True)
    assert settle("registration_number", "45/2019", True, agreed, book="03/2018") == (
        "45/2019",
        False,
    )
    assert settle("registration_number", "45/2019", True, agreed, book="03/2019")[1]


def test_result_number_is_read_under_the_authority_and_sure_when_both_readers_agree():
    prepared = page(
        [
            (200, 40, "ỦY BAN NHÂN DÂN"),
            (230, 100, "XÃ XUÂN LÃNH"),
            (215, 165, "Số: 977/QĐ-UBND"),
            (600, 300, "QUYẾT ĐỊNH"),
        ],
        size=(1400, 380),
    )
    words = page_reader().read_words(prepared.image, dpi=300)
    authority = [w for w in words if w.y < 150]
    title = [w for w in words if w.y > 280]
    assert result_number(prepared, authority, title) == ("977/QĐ-UBND", True)
