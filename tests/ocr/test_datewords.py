import random
from datetime import date, timedelta

import pytest

from ocr.datewords import date_to_words, number_to_words, words_to_date
from ocr.text import strip_diacritics


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (1987, "một nghìn chín trăm tám mươi bảy"),
        (2000, "hai nghìn"),
        (2005, "hai nghìn không trăm linh năm"),
        (2010, "hai nghìn không trăm mười"),
    ],
)
def test_number_to_words(n, words):
    assert number_to_words(n) == words


def test_number_out_of_range_is_refused():
    with pytest.raises(ValueError):
        number_to_words(10_000)


def test_plain_spelling():
    assert date_to_words(date(1987, 3, 15)) == (
        "Ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi bảy"
    )


def test_every_spelling_reads_back_with_and_without_diacritics():
    """Property over 1900-2030 with random spelling variants (mồng/ngày, giêng, ngàn, lẻ)."""
    rng = random.Random(1)
    d = date(1900, 1, 1)
    while d < date(2030, 1, 1):
        words = date_to_words(d, rng)
        assert words_to_date(words) == d, words
        assert words_to_date(strip_diacritics(words)) == d, words
        d += timedelta(days=rng.randrange(1, 25))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Label words before the day are not part of it ("ghi" once read as "nghìn").
        (
            "ghi bằng chữ: Ngày hai mươi mốt tháng chạp năm hai nghìn không trăm linh năm",
            date(2005, 12, 21),
        ),
        # 'm' read as 'rn' used to turn "năm" into "ngàn".
        ("Ngày mười lăm tháng ba nărn một nghìn chín trăm tám mươi bảy", date(1987, 3, 15)),
        ("Ngày mưòi lăm tháng ba năm một nghìn chín tràm tám mưoi bảy", date(1987, 3, 15)),
        ("Mồng năm tháng năm năm hai nghìn không trăm linh năm", date(2005, 5, 5)),
        ("Ngày mùng một tháng giêng năm hai ngàn", date(2000, 1, 1)),
    ],
)
def test_ocr_slips_and_variants(text, expected):
    assert words_to_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ngày 15 tháng 3 năm 1987",
        "ngày ba mươi tháng hai năm hai nghìn",
        "mười lăm ba một nghìn chín trăm",
        "Ngày hai năm tháng ba năm một nghìn",
    ],
)
def test_unreadable_or_impossible_words_give_none(text):
    assert words_to_date(text) is None
