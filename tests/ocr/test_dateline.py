from ocr.dateline import header_date
from ocr.engines import Word
from ocr.layout import segments
from tests.ocr.wordfactory import line_words


def _segs(*lines: tuple[int, int, str]) -> list:
    words: list[Word] = []
    for n, (x, y, text) in enumerate(lines):
        words += line_words(text, x, y, n + 1)
    return segments(words)


def _text(segs: list, title_y: int | None = None) -> str | None:
    found = header_date(segs, title_y)
    return " ".join(w.text for w in found.words) if found else None


def test_a_date_line_wrapped_after_its_day_is_read_whole():
    segs = _segs(
        (1200, 300, "Tỉnh Tây Ninh, ngày 29"),
        (1240, 360, "tháng 07 năm 2020"),
        (300, 600, "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018"),
    )
    assert _text(segs, 500) == "Tỉnh Tây Ninh, ngày 29 tháng 07 năm 2020"
    assert header_date(segs, 500).year == 2020


def test_small_italic_words_misread_still_mark_the_date_line():
    segs = _segs((1200, 300, "Yên Bình, ngòy 10 thông 07 nõm 2023"), (300, 600, "Điều 1. ..."))
    assert _text(segs, 500) == "Yên Bình, ngòy 10 thông 07 nõm 2023"
    # A place's "Ngãi" is not "ngày".
    assert header_date(_segs((1200, 300, "Quảng Ngãi, ngày 4T tháng 01 năm 2025"))).day_at == 2


def test_a_recital_date_is_never_the_header_date():
    # The header's date line lost, the recitals' dates remain; the continuation line of
    # a recital does not open with "Căn cứ" but stands below the body's first line.
    segs = _segs(
        (1200, 300, "Tây Ninh, %Ì 29 §§ 07 2020"),
        (300, 600, "Căn cứ Luật Tổ chức chính quyền địa phương"),
        (300, 660, "ngày 19 tháng 6 năm 2015;"),
    )
    assert header_date(segs) is None
