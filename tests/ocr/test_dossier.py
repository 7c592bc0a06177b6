import cv2
import numpy as np

from ocr.dossier import dossier_code_in, read_qr, read_qr_any, unlabelled_fields
from ocr.engines import Word
from tests.ocr.wordfactory import line_words


def _page(lines: list[tuple[int, int, str, int]]) -> list[Word]:
    """(x, y, text, letter height) lines; the title is printed larger than the rest."""
    words: list[Word] = []
    for n, (x, y, text, h) in enumerate(lines):
        words += [
            Word(w.text, w.confidence, w.x, w.y, w.w, h, w.block, w.line)
            for w in line_words(text, x, y, n + 1)
        ]
    return words


_HEADER = [
    (100, 100, "ỦY BAN NHÂN DÂN", 40),
    (1200, 100, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 40),
    (150, 160, "PHƯỜNG 10", 40),
    (1300, 160, "Độc lập Tự do Hạnh phúc", 40),
    (100, 240, "Số: 1026/QĐ-UBND", 40),
]


def test_a_ward_named_by_its_number_stays_in_the_authority():
    words = _page(
        [
            *_HEADER,
            (1200, 240, "Phường 10, ngày 11 tháng 08 năm 2021", 40),
            (800, 400, "QUYẾT ĐỊNH", 80),
        ]
    )
    got = unlabelled_fields(words, 2400, 3400)
    assert got["issuing_authority"].text == "ỦY BAN NHÂN DÂN PHƯỜNG 10"
    assert got["document_title"].text == "QUYẾT ĐỊNH"


def test_the_result_date_is_not_taken_from_a_recital():
    # The day of the date line misread as three digits; the recitals below carry dates
    # of other papers.
    words = _page(
        [
            *_HEADER,
            (1200, 240, "Xuân Phú, ngày 237 tháng 12 năm 2021", 40),
            (800, 400, "GIẤY CHỨNG NHẬN", 80),
            (100, 560, "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018", 40),
        ]
    )
    got = unlabelled_fields(words, 2400, 3400)
    assert got["result_date"].text == "Xuân Phú, ngày 237 tháng 12 năm 2021"
    recital_only = _page(
        [
            *_HEADER,
            (800, 400, "GIẤY CHỨNG NHẬN", 80),
            (100, 560, "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014", 40),
        ]
    )
    assert "result_date" not in unlabelled_fields(recital_only, 2400, 3400)


def test_a_wrapped_title_word_in_plain_capitals_joins_the_title():
    # Stacked accents make the first line's letters taller than the wrapped "DOANH".
    words = _page(
        [
            *_HEADER,
            (400, 420, "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH", 96),
            (660, 570, "DOANH", 58),
            (300, 720, "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014", 58),
        ]
    )
    got = unlabelled_fields(words, 2400, 3400)
    assert got["document_title"].text == "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"


def test_a_fragment_of_the_number_line_is_not_the_authority():
    words = _page(
        [
            (100, 100, "ỦY BAN NHÂN DÂN", 40),
            (150, 160, "XÃ XUÂN LƯƠNG", 40),
            (100, 240, "Số: 1493/GPXD", 40),
            (420, 242, "PXI", 40),
            (800, 400, "GIẤY PHÉP XÂY DỰNG", 80),
        ]
    )
    got = unlabelled_fields(words, 2400, 3400)
    assert got["issuing_authority"].text == "ỦY BAN NHÂN DÂN XÃ XUÂN LƯƠNG"


def test_a_small_qr_code_of_a_phone_photo_is_decoded_enlarged():
    code = "000.58.45.H51-190920-1625"
    qr = cv2.resize(
        cv2.QRCodeEncoder.create().encode(code), (110, 110), interpolation=cv2.INTER_AREA
    )
    photo = np.full((2048, 1536, 3), 235, np.uint8)
    photo[1700:1810, 250:360] = qr[..., None]
    photo = cv2.GaussianBlur(photo, (3, 3), 0.8)
    photo = cv2.imdecode(cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 80])[1], 1)
    assert read_qr(photo) is None  # at its own size, OpenCV's detector misses it
    assert read_qr_any(np.full((3500, 2480), 255, np.uint8), photo) == code


def test_the_title_is_the_known_one_without_the_subject_run_onto_its_line():
    words = _page(
        [
            *_HEADER,
            (1200, 240, "Phường 10, ngày 11 tháng 08 năm 2021", 40),
            (200, 330, "Ket qua.pdf", 90),  # a viewer's file name above a screenshot
            (800, 400, "THÔNG BÁO Về việc kết quả giải quyết thủ tục hành chính", 70),
            (700, 480, "(Sử dụng cho nhà ở riêng lẻ)", 75),  # measured larger, in brackets
        ]
    )
    assert unlabelled_fields(words, 2400, 3400)["document_title"].text == "THÔNG BÁO"


def test_a_title_the_list_does_not_know_is_still_the_largest_line():
    words = _page([*_HEADER, (800, 400, "BIÊN BẢN", 80), (700, 500, "Hôm nay tại trụ sở", 40)])
    assert unlabelled_fields(words, 2400, 3400)["document_title"].text == "BIÊN BẢN"


def test_a_viewers_file_name_above_a_screenshot_is_not_the_authority():
    words = _page(
        [
            (90, 40, "Ket qua.pdf", 40),
            *_HEADER,
            (1200, 240, "Phường 10, ngày 11 tháng 08 năm 2021", 40),
            (800, 400, "QUYẾT ĐỊNH", 80),
        ]
    )
    assert unlabelled_fields(words, 2400, 3400)["issuing_authority"].text == (
        "ỦY BAN NHÂN DÂN PHƯỜNG 10"
    )


def test_a_date_line_wrapped_after_its_day_gives_the_result_date():
    words = _page(
        [
            *_HEADER,
            (1300, 240, "Tỉnh Tây Ninh, ngày 29", 40),
            (1340, 300, "tháng 07 nõm 2020", 40),
            (800, 400, "GIẤY CHỨNG NHẬN", 80),
            (100, 560, "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018", 40),
        ]
    )
    got = unlabelled_fields(words, 2400, 3400)
    assert got["result_date"].text == "Tỉnh Tây Ninh, ngày 29 tháng 07 nõm 2020"


def _with_confidence(words: list[Word], low: set[str]) -> list[Word]:
    return [
        Word(w.text, 0.0 if w.text in low else w.confidence, w.x, w.y, w.w, w.h, w.block, w.line)
        for w in words
    ]


def test_the_authority_beside_the_motto_is_kept_however_unsure_or_glued_its_words():
    # One line with the motto: the reader gave two of its words no confidence at all.
    line = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    rest = [
        (150, 160, "XÃ AN BIÊN", 40),
        (1300, 160, "Độc lập Tự do Hạnh phúc", 40),
        (100, 240, "Số: 1626/GPXD", 40),
        (800, 400, "GIẤY PHÉP XÂY DỰNG", 80),
    ]
    words = _with_confidence(_page([(100, 100, line, 40), *rest]), {"BAN", "NHÂN"})
    got = unlabelled_fields(words, 2400, 3400)
    assert got["issuing_authority"].text == "ỦY BAN NHÂN DÂN XÃ AN BIÊN"
    # A mark glued to the motto's first word does not hide it.
    glued = _page([(100, 100, line.replace("CỘNG", "_CỘNG"), 40), *rest])
    got = unlabelled_fields(glued, 2400, 3400)
    assert got["issuing_authority"].text == "ỦY BAN NHÂN DÂN XÃ AN BIÊN"


def test_an_app_name_over_a_screenshot_is_not_the_authority():
    words = _page([(100, 20, "VNeID", 40), *_HEADER, (800, 400, "THÔNG BÁO", 80)])
    got = unlabelled_fields(words, 2400, 3400)
    assert got["issuing_authority"].text == "ỦY BAN NHÂN DÂN PHƯỜNG 10"


def test_only_a_dossier_code_in_a_qr_code_is_taken_for_it():
    assert dossier_code_in("000.58.45.H51-190920-1625") == "000.58.45.H51-190920-1625"
    link = "https://dichvucong.gov.vn/tra-cuu?ma=000.58.45.H51-190920-1625"
    assert dossier_code_in(link) == "000.58.45.H51-190920-1625"
    # A viewer's own code on a screenshot, or a link to the signed text, says nothing.
    assert dossier_code_in("DOSSIERRESULT-81001773") is None
    assert dossier_code_in("https://vbpl.vn/van-ban/47-qd-ubnd") is None
    assert dossier_code_in(None) is None
