"""The number line read again, on rendered text with real Tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import page_reader
from ocr.numberline import Opinion, opinions, result_number, result_suffix_confirmed, settle
from ocr.prepare import Prepared
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.rereading import AGREED, SUGGESTION

SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def page(lines: list[tuple[int, int, str]], size=(1800, 400)) -> Prepared:
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(SERIF, 40)
    for x, y, text in lines:
        draw.text((x, y), text, font=font, fill=0)
    return Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)


def test_both_numbers_are_read_again_beside_the_book_label():
    prepared = page(
        [(60, 40, "Họ và tên: TRẦN VĂN AN"), (60, 160, "Số: 283"), (1000, 160, "Quyển số: 12/2002")]
    )
    words = page_reader().read_words(prepared.image, dpi=300)
    found = opinions(prepared, words, {})
    assert found["registration_number"].value == "283"
    assert found["book_number"].value == "12/2002"
    assert found["book_number"].english


def test_no_book_label_no_opinion():
    prepared = page([(60, 160, "Họ và tên: TRẦN VĂN AN")])
    assert opinions(prepared, page_reader().read_words(prepared.image, dpi=300), {}) == {}


def test_two_models_agreeing_settle_a_weak_or_missing_number():
    agreed = Opinion("283", agreeing=2, english=True)
    assert settle("registration_number", None, 0.0, agreed) == ("283", AGREED)
    assert settle("registration_number", "203", 0.4, agreed) == ("283", AGREED)
    assert settle("registration_number", "283", 0.9, agreed) == ("283", 0.9)


def test_one_reading_alone_is_only_a_suggestion():
    lone = Opinion("55", agreeing=1, english=True)
    assert settle("registration_number", None, 0.0, lone) == ("55", SUGGESTION)
    # A garbled first reading gives way to the well-formed one, for review.
    assert settle("registration_number", "n55", 0.4, lone) == ("55", SUGGESTION)
    # Agreement of the two Vietnamese readings without the English one settles nothing.
    vie_only = Opinion("021", agreeing=2, english=False)
    value, conf = settle("registration_number", "021", 0.75, vie_only)
    assert (value, conf) == ("021", 0.75) and conf < AUTO_ACCEPT_CONFIDENCE


def test_a_number_naming_another_year_than_its_book_is_doubted():
    agreed = Opinion("45/2019", agreeing=3, english=True)
    value, conf = settle("registration_number", "45/2019", 0.9, agreed, book="03/2018")
    assert value == "45/2019" and conf < AUTO_ACCEPT_CONFIDENCE
    assert settle("registration_number", "45/2019", 0.9, agreed, book="03/2019")[1] >= 0.9


def test_result_number_is_read_under_the_authority():
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
    value, conf = result_number(prepared, authority, title)
    assert value == "977/QĐ-UBND"
    assert conf == AGREED
    # The binarized crop reads the suffix again: it confirms that reading, not another.
    assert result_suffix_confirmed(prepared, authority, title, "977/QĐ-UBND")
    assert not result_suffix_confirmed(prepared, authority, title, "977/QD-UBNĐ")


def test_a_leading_zero_the_english_model_reads_as_nine_is_settled_by_the_others():
    slip = Opinion("03/2001", agreeing=2, english=False, english_value="93/2001")
    assert settle("book_number", "03/2001", 0.4, slip) == ("03/2001", AGREED)
    # Any other difference, or a single Vietnamese reading, settles nothing.
    other = Opinion("03/2001", agreeing=2, english=False, english_value="98/2001")
    assert settle("book_number", "03/2001", 0.4, other)[1] < AUTO_ACCEPT_CONFIDENCE
    lone = Opinion("03/2001", agreeing=1, english=False, english_value="93/2001")
    assert settle("book_number", "03/2001", 0.4, lone)[1] < AUTO_ACCEPT_CONFIDENCE
    # Registration numbers are not printed with a leading zero: no such excuse.
    reg = Opinion("03", agreeing=2, english=False, english_value="93")
    assert settle("registration_number", "03", 0.4, reg)[1] < AUTO_ACCEPT_CONFIDENCE
