"""Document type from the title, and a result of a procedure from its layout."""

from __future__ import annotations

from ocr.classify import classify
from ocr.engines import Word
from tests.ocr.wordfactory import line_words


def page(lines: list[tuple[int, int, str]]) -> list[Word]:
    words: list[Word] = []
    for n, (x, y, text) in enumerate(lines):
        words += line_words(text, x, y, n + 1)
    return words


HEADER = [
    (100, 100, "ỦY BAN NHÂN DÂN"),
    (1200, 100, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (150, 160, "TỈNH QUẢNG NGÃI"),
    (1300, 160, "Độc lập - Tự do - Hạnh phúc"),
]
BODY = [
    (100, 700 + 60 * i, "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;") for i in range(8)
]


def test_an_official_text_without_a_dossier_code_is_a_result():
    words = page(
        [
            *HEADER,
            (150, 240, "Số: 47/QĐ-UBND"),
            (1200, 240, "Quảng Ngãi, ngày 17 tháng 01 năm 2025"),
            (800, 400, "QUYẾT ĐỊNH"),
            (500, 480, "Về việc cấp bản sao giấy khai sinh"),
            *BODY,
        ]
    )
    assert classify(words)[0] == "dossier_result"


def test_handwriting_lost_from_the_slots_still_leaves_the_layout():
    words = page(
        [
            *HEADER,
            (150, 240, "Số: /QĐ-UBND"),
            (1200, 240, "Quảng Ngãi, ngày tháng 01 năm 2025"),
            (800, 400, "THÔNG BÁO"),
            *BODY,
        ]
    )
    assert classify(words)[0] == "dossier_result"


def test_a_certificate_under_the_same_header_keeps_its_type():
    for title, doc_type in [
        ("GIẤY KHAI SINH", "birth"),
        ("TRÍCH LỤC KHAI TỬ", "death"),
        ("TRÍCH LỤC KẾT HÔN", "marriage"),
        ("GHI VÀO SỔ HỘ TỊCH VIỆC KHAI SINH", "birth"),
    ]:
        words = page([*HEADER, (1300, 240, "Số: 210"), (800, 400, title), *BODY])
        assert classify(words)[0] == doc_type, title


def test_a_page_without_title_or_layout_stays_unknown():
    words = page(
        [(100, 100 + 60 * i, "Một trang viết tay không có tiêu đề nào cả") for i in range(6)]
    )
    assert classify(words)[0] == "unknown"
    # The motto alone is not the layout of a result.
    assert classify(page([*HEADER, *BODY]))[0] == "unknown"


def test_a_certificate_of_a_procedure_is_not_taken_for_a_death_certificate():
    # "GIẤY CHỨNG NHẬN" is within the fuzzy match's reach of "GIẤY CHỨNG TỬ" (0.85); a
    # photo that lost the number line leaves no layout to tell them apart by.
    words = page([*HEADER, (800, 400, "GIẤY CHỨNG NHẬN"), *BODY])
    assert classify(words)[0] == "dossier_result"
    words = page([*HEADER, (800, 400, "GIẤY CHỨNG TỬ"), *BODY])
    assert classify(words)[0] == "death"
    words = page([*HEADER, (800, 400, "GIẤY CHỨNG NHẬN KẾT HÔN"), *BODY])
    assert classify(words)[0] == "marriage"
