"""Second looks, on rendered text with real Tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import Word, read_words
from ocr.fields import RawField
from ocr.prepare import Prepared
from ocr.rereading import (
    AGREED,
    CONFIRMED,
    binarized,
    digits_confidence,
    digits_opinion,
    inside_value,
    marks_in_doubt,
    name_agreement,
    needs_tie_break,
    plausible_value,
    prefix_read_surely,
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
    words = [
        Word(t, c, 20 * i, 0, 9, 9, 1, 1)
        for i, (t, c) in enumerate(zip(tokens, confs, strict=True))
    ]
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


def test_binarized_copy_changes_only_the_box():
    rng = np.random.default_rng(1)
    image = rng.integers(60, 200, size=(50, 80), dtype=np.uint8)
    prepared = Prepared(image, np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)
    out = binarized(prepared, (10, 5, 40, 30))
    assert set(np.unique(out.image[5:30, 10:40])) <= {0, 255}
    assert np.array_equal(out.image[30:, :], image[30:, :])
    assert np.array_equal(prepared.image, image)  # the page itself is left alone


def test_a_weak_reading_of_other_marks_does_not_outvote_two_sure_ones():
    weak_other = name_read("NGUYÊN KIM HẰNG", 0.5, 0.93, 0.67)  # HÀNG, barely read
    sure = name_read("NGUYÊN KIM HẰNG", 0.5, 0.93, 0.92)
    assert name_agreement("NGUYỄN KIM HẰNG", 0.7, weak_other, sure, sure)[1] == AGREED
    confident_other = name_read("NGUYÊN KIM HÀNG", 0.5, 0.93, 0.8)
    assert name_agreement("NGUYỄN KIM HẰNG", 0.7, confident_other, sure, sure)[1] == 0.7


def test_weak_agreeing_readings_leave_a_token_with_siblings_in_doubt():
    first = name_read("NGUYÊN THỊ HIẾN", 0.85, 0.97, 0.5)
    second = name_read("NGUYÊN THỊ HIẾN", 0.83, 0.97, 0.6)
    assert marks_in_doubt("NGUYỄN THỊ HIẾN", first, second)  # HIỀN? HIỂN?
    sen = name_read("NGUYÊN THỊ SEN", 0.85, 0.97, 0.5)  # no other name spelled S-E-N
    assert not marks_in_doubt("NGUYỄN THỊ SEN", sen, sen)
    sure = name_read("NGUYÊN THỊ HIẾN", 0.85, 0.97, 0.9)
    assert not marks_in_doubt("NGUYỄN THỊ HIẾN", sure, sure)


def word(text: str, x: int, y: int, conf: float = 0.95, line: int = 1) -> Word:
    return Word(text, conf, x, y, 20 * len(text), 30, 1, line)


def test_the_label_beside_a_wrapped_values_first_line_is_left_out():
    value = [word("Thôn", 400, 100), word("3,", 500, 100), word("Tỉnh", 0, 140, line=2)]
    again = [
        word("Nơi", 0, 100),
        word("cư", 80, 100),
        word("trú:", 140, 100),
        word("Thôn", 402, 101),
        word("3,", 501, 100),
        word("Tỉnh", 2, 141),
    ]
    assert [w.text for w in inside_value(again, value)] == ["Thôn", "3,", "Tỉnh"]


def test_a_hamlet_before_a_whole_chain_needs_sure_words_in_both_readings():
    place = "Thôn 3, Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"

    def read(hamlet_conf: float, number: str = "3,") -> list[Word]:
        texts = [
            "Thôn",
            number,
            "Xã",
            "Hiệp",
            "An,",
            "Huyện",
            "Đức",
            "Trọng,",
            "Tỉnh",
            "Lâm",
            "Đồng",
        ]
        return [word(t, 60 * i, 0, hamlet_conf if i < 2 else 0.6) for i, t in enumerate(texts)]

    assert prefix_read_surely([place], read(0.95), read(0.9))
    assert not prefix_read_surely([place], read(0.95), read(0.8))  # the 3 may be an 8
    assert not prefix_read_surely([place], read(0.95), read(0.95, "8,"))
    part = "Thôn 3, Xã Hiệp An, Huyện Đức Trọng"  # the province's line lost
    assert not prefix_read_surely([part], read(0.95), read(0.95))


def test_two_english_readings_that_agree_settle_digits_the_vietnamese_model_misread():
    prepared = page_with("20-01-1955", MONO)
    words = read_words(prepared.image, psm=7)
    rf = RawField("date_of_birth", " ".join(w.text for w in words), words)
    # As if the Vietnamese model had read the typewriter zero as 9 with some confidence.
    value, conf = digits_opinion("birth", "date_of_birth", rf, prepared, "1955-01-29", 0.7)
    assert (value, conf) == ("1955-01-20", AGREED)


def test_the_english_readings_doubt_counts_only_in_the_words_of_the_values_digits():
    texts = [
        ("11", 0.49),
        ("gid", 0.91),
        ("45", 0.92),
        ("phit,", 0.23),
        ("ngay", 0.89),
        ("14", 0.95),
        ("thang", 0.88),
        ("06", 0.87),
        ("nam", 0.77),
        ("1985", 0.97),
    ]
    words = [word(t, 60 * i, 0, c) for i, (t, c) in enumerate(texts)]
    assert digits_confidence(words, ["1985", "06", "14"]) == 0.87
    assert digits_confidence(words, ["1985", "06", "11"]) == 0.49
    assert digits_confidence(words, ["2001"]) == 0.0


def test_marks_restored_from_one_spelling_are_accepted_when_a_second_reading_agrees():
    # The dot of "quỵ" is lost in the print itself: both readings give "Đột quy", the
    # list of causes restores it. Restored, the first value is not sure by itself; the
    # second reading that agrees makes it so.
    from ocr.lexicon import RESTORED_CAP
    from ocr.record import AUTO_ACCEPT_CONFIDENCE
    from ocr.rereading import second_reading

    prepared = page_with("Đột quy", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    words = read_words(prepared.image, dpi=300, psm=7)
    rf = RawField("cause_of_death", " ".join(w.text for w in words), words)
    value, confidence = value_of("death", "cause_of_death", rf)
    assert value == "Đột quỵ" and confidence == RESTORED_CAP
    again = second_reading("death", "cause_of_death", rf, prepared, value, confidence)
    assert again == (value, AGREED) and AGREED >= AUTO_ACCEPT_CONFIDENCE
