"""Second looks, on rendered text with real Tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Word, read_words
from ocr.fields import RawField
from ocr.prepare import Prepared
from ocr.rereading import (
    AGREED,
    CONFIRMED,
    digits_opinion,
    name_agreement,
    needs_tie_break,
    plausible_value,
)
from ocr.values import value_of

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def page_with(text: str, font: str) -> Prepared:
    img = Image.new("L", (900, 140), 255)
    ImageDraw.Draw(img).text((40, 40), text, font=ImageFont.truetype(font, 46), fill=0)
    return Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)


def test_typewriter_digits_are_settled_by_the_english_model():
    prepared = page_with("02-04-1926", MONO)
    words = read_words(prepared.image, psm=7)
    rf = RawField("date_of_birth", " ".join(w.text for w in words), words)
    value, conf = value_of("birth", "date_of_birth", rf)
    value, conf = digits_opinion("birth", "date_of_birth", rf, prepared, value, conf)
    assert value == "1926-04-02"
    assert conf <= CONFIRMED


def test_plausible_values():
    assert plausible_value("1926-04-02") and plausible_value(1966)
    assert not plausible_value("1926-94-02") and not plausible_value(4966)
    assert plausible_value("45/2019")


def name_read(text: str, *confs: float) -> RawField:
    tokens = text.split()
    words = [Word(t, c, 20 * i, 0, 9, 9, 1, 1)
             for i, (t, c) in enumerate(zip(tokens, confs, strict=True))]
    return RawField("full_name", text, words)


def test_two_sure_readings_of_every_doubtful_token_accept_a_name():
    first = name_read("NGUYÊN THANH LƯƠNG", 0.4, 0.93, 0.92)
    second = name_read("NGUYÊN THANH LƯƠNG", 0.3, 0.95, 0.9)
    value, conf = name_agreement("NGUYỄN THANH LƯƠNG", 0.7, first, second)
    assert (value, conf) == ("NGUYỄN THANH LƯƠNG", AGREED)


def test_an_unsure_reading_of_a_doubtful_token_keeps_the_name_in_review():
    first = name_read("NGUYÊN THANH LƯƠNG", 0.4, 0.93, 0.92)
    second = name_read("NGUYÊN THANH LƯƠNG", 0.3, 0.95, 0.6)  # LƯỢNG's dot, maybe
    assert name_agreement("NGUYỄN THANH LƯƠNG", 0.7, first, second)[1] == 0.7
    # A token the lexicon does not know cannot be confirmed by reading it twice.
    unknown = name_read("TRẦN VĂN KHOẢNG", 0.95, 0.95, 0.95)
    assert name_agreement("TRẦN VĂN KHOẢNG", 0.79, unknown, unknown)[1] == 0.79


def test_a_third_sure_reading_breaks_a_tie_on_a_token_one_reading_was_short_of():
    first = name_read("NGUYỄN BẢO VẠN", 0.88, 0.93, 0.78)
    second = name_read("NGUYÊN BẢO VẠN", 0.93, 0.93, 0.88)
    assert name_agreement("NGUYỄN BẢO VẠN", 0.78, first, second)[1] == 0.78
    assert needs_tie_break("NGUYỄN BẢO VẠN", first, second)
    sure = name_read("NGUYÊN BẢO VẠN", 0.67, 0.93, 0.88)
    assert name_agreement("NGUYỄN BẢO VẠN", 0.78, first, second, sure)[1] == AGREED
    unsure = name_read("NGUYÊN BẢO VẠN", 0.67, 0.93, 0.8)
    assert name_agreement("NGUYỄN BẢO VẠN", 0.78, first, second, unsure)[1] == 0.78
    other_marks = name_read("NGUYÊN BẢO VÂN", 0.67, 0.93, 0.95)
    assert name_agreement("NGUYỄN BẢO VẠN", 0.78, first, second, other_marks)[1] == 0.78


def test_no_tie_break_for_a_token_read_too_weakly_or_differently():
    weak = name_read("NGUYỄN THU MY", 0.89, 0.92, 0.64)  # MỴ's dot may be lost
    sure = name_read("NGUYỄN THU MY", 0.9, 0.92, 0.8)
    assert not needs_tie_break("NGUYỄN THU MY", weak, sure)
    a = name_read("HUỲNH HIỂU THÂN", 0.96, 0.82, 0.97)
    b = name_read("HUỲNH HIẾU THÂN", 0.85, 0.84, 0.96)
    assert not needs_tie_break("HUỲNH HIẾU THÂN", a, b)
