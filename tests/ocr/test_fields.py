from ocr.fields import extract_raw
from tests.ocr.wordfactory import line_words, page_words


def texts(raw):
    return {name: f.text for name, f in raw.items()}


def test_value_on_same_line_and_inline_labels():
    words = page_words([
        "GIẤY KHAI SINH",
        "Họ, chữ đệm, tên: NGUYỄN THỊ HƯƠNG",
        "Giới tính: Nữ  Dân tộc: Kinh  Quốc tịch: Việt Nam",
    ])
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "NGUYỄN THỊ HƯƠNG"
    assert got["sex"] == "Nữ"
    assert got["ethnicity"] == "Kinh"
    assert got["nationality"] == "Việt Nam"


def test_value_on_next_line_and_wrapped_place():
    words = page_words([
        "Họ và tên:",
        "TRẦN VĂN AN",
        "Nơi sinh: Thôn Đông, Xã Tân Phú, Huyện Đức Trọng,",
        "Tỉnh Lâm Đồng",
        "Quê quán: Xã Thạch Hà, Huyện Thạch Hà, Tỉnh Hà Tĩnh",
    ])
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "TRẦN VĂN AN"
    assert got["place_of_birth"] == "Thôn Đông, Xã Tân Phú, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert got["hometown"] == "Xã Thạch Hà, Huyện Thạch Hà, Tỉnh Hà Tĩnh"


def test_labels_match_without_accents_and_with_leader_dots():
    words = page_words([
        "Ho va ten: ....... LE THI MAI .......",
        "Sinh ngay: 01/02/1990",
    ])
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "LE THI MAI"
    assert got["date_of_birth"] == "01/02/1990"


def test_parent_sections_prefix_generic_labels():
    words = page_words([
        "Họ, chữ đệm, tên: PHẠM MINH KHOA",
        "Dân tộc: Kinh",
        "Họ, chữ đệm, tên người mẹ: VŨ THỊ LAN",
        "Năm sinh: 1965  Dân tộc: Tày",
        "Nơi cư trú: Xã A, Huyện B, Tỉnh C",
        "Họ, chữ đệm, tên người cha: PHẠM VĂN BÌNH",
        "Năm sinh: 1960",
        "Nơi đăng ký khai sinh: Ủy ban nhân dân xã A",
    ])
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "PHẠM MINH KHOA"
    assert got["ethnicity"] == "Kinh"
    assert got["mother_name"] == "VŨ THỊ LAN"
    assert got["mother_birth_year"] == "1965"
    assert got["mother_ethnicity"] == "Tày"
    assert got["mother_residence"] == "Xã A, Huyện B, Tỉnh C"
    assert got["father_name"] == "PHẠM VĂN BÌNH"
    assert got["father_birth_year"] == "1960"
    assert got["registration_place"] == "Ủy ban nhân dân xã A"


def test_one_word_label_needs_line_start_and_colon():
    words = page_words([
        "Số: 45  Quyển số: 03/1987",
        "Nơi sinh: Số nhà 12, Phường Bến Nghé",
    ])
    got = texts(extract_raw("birth", words))
    assert got["registration_number"] == "45"
    assert got["book_number"] == "03/1987"
    assert got["place_of_birth"] == "Số nhà 12, Phường Bến Nghé"


def test_two_column_marriage_assigns_by_column():
    left, right = 100, 1300
    lines = [
        [(left, "Thông tin người chồng"), (right, "Thông tin người vợ")],
        [(left, "Họ, chữ đệm, tên: ĐỖ VĂN HÙNG"), (right, "Họ, chữ đệm, tên: LÝ THỊ HOA")],
        [(left, "Dân tộc: Kinh"), (right, "Dân tộc: Nùng")],
    ]
    words = []
    for n, row in enumerate(lines):
        for x, text in row:
            words += line_words(text, x, 100 + n * 80, n + 1)
    words += line_words("Nơi đăng ký: UBND xã Hòa Bình", left, 100 + 4 * 80, 9)
    got = texts(extract_raw("marriage", words))
    assert got["husband_full_name"] == "ĐỖ VĂN HÙNG"
    assert got["wife_full_name"] == "LÝ THỊ HOA"
    assert got["husband_ethnicity"] == "Kinh"
    assert got["wife_ethnicity"] == "Nùng"
    assert got["registration_place"] == "UBND xã Hòa Bình"


def test_stacked_marriage_sections():
    words = page_words([
        "Họ và tên chồng: ĐỖ VĂN HÙNG",
        "Ngày, tháng, năm sinh: 02/03/1990",
        "Họ và tên vợ: LÝ THỊ HOA",
        "Ngày, tháng, năm sinh: 04/05/1992",
    ])
    got = texts(extract_raw("marriage", words))
    assert got["husband_full_name"] == "ĐỖ VĂN HÙNG"
    assert got["husband_date_of_birth"] == "02/03/1990"
    assert got["wife_full_name"] == "LÝ THỊ HOA"
    assert got["wife_date_of_birth"] == "04/05/1992"


def test_confidence_is_the_weakest_word():
    words = line_words("Họ và tên: NGÔ BẢO", 100, 100, 1)
    words[-1] = words[-1].__class__(**{**words[-1].__dict__, "confidence": 0.4})
    raw = extract_raw("birth", words)
    assert raw["full_name"].confidence == 0.4


def test_short_label_alone_takes_the_number_across_the_gap():
    words = page_words(["Số  279  Quyển số: 01/1999"])
    got = texts(extract_raw("birth", words))
    assert got["registration_number"] == "279"
    assert got["book_number"] == "01/1999"


def test_a_wrapped_place_stops_before_a_persons_name():
    words = page_words([
        "Quê quán: Xã Tân Hưng, Huyện Hớn Quản,",
        "Tỉnh Bình Phước",
        "Conông NGUYÊN HỮU CỪ",
    ])
    raw = extract_raw("birth", words)
    assert raw["hometown"].text == "Xã Tân Hưng, Huyện Hớn Quản, Tỉnh Bình Phước"


def test_lone_marks_are_dropped_from_values():
    words = page_words(["Họ và tên: ˆ VÕ CÔNG QUANG"])
    assert extract_raw("birth", words)["full_name"].text == "VÕ CÔNG QUANG"


def test_a_whole_date_does_not_take_the_next_line():
    words = page_words([
        "Ngày, tháng, năm đăng ký: 16/01/1987",
        "S0: 397",  # the next entry, its label misread
    ])
    assert extract_raw("birth", words)["registration_date"].text == "16/01/1987"
    wrapped = page_words(["Ngày, tháng, năm đăng ký: ngày 16 tháng 01", "năm 1987"])
    assert extract_raw("birth", wrapped)["registration_date"].text == "ngày 16 tháng 01 năm 1987"
