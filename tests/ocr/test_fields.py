from ocr.fields import allowed_edits, extract_raw, read_form
from tests.ocr.wordfactory import line_words, page_words


def texts(raw):
    return {name: f.text for name, f in raw.items()}


def test_value_on_same_line_and_inline_labels():
    words = page_words(
        [
            "GIẤY KHAI SINH",
            "Họ, chữ đệm, tên: NGUYỄN THỊ HƯƠNG",
            "Giới tính: Nữ  Dân tộc: Kinh  Quốc tịch: Việt Nam",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "NGUYỄN THỊ HƯƠNG"
    assert got["sex"] == "Nữ"
    assert got["ethnicity"] == "Kinh"
    assert got["nationality"] == "Việt Nam"


def test_value_on_next_line_and_wrapped_place():
    words = page_words(
        [
            "Họ và tên:",
            "TRẦN VĂN AN",
            "Nơi sinh: Thôn Đông, Xã Tân Phú, Huyện Đức Trọng,",
            "Tỉnh Lâm Đồng",
            "Quê quán: Xã Thạch Hà, Huyện Thạch Hà, Tỉnh Hà Tĩnh",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "TRẦN VĂN AN"
    assert got["place_of_birth"] == "Thôn Đông, Xã Tân Phú, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert got["hometown"] == "Xã Thạch Hà, Huyện Thạch Hà, Tỉnh Hà Tĩnh"


def test_labels_match_without_accents_and_with_leader_dots():
    words = page_words(
        [
            "Ho va ten: ....... LE THI MAI .......",
            "Sinh ngay: 01/02/1990",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "LE THI MAI"
    assert got["date_of_birth"] == "01/02/1990"


def test_parent_sections_prefix_generic_labels():
    words = page_words(
        [
            "Họ, chữ đệm, tên: PHẠM MINH KHOA",
            "Dân tộc: Kinh",
            "Họ, chữ đệm, tên người mẹ: VŨ THỊ LAN",
            "Năm sinh: 1965  Dân tộc: Tày",
            "Nơi cư trú: Xã A, Huyện B, Tỉnh C",
            "Họ, chữ đệm, tên người cha: PHẠM VĂN BÌNH",
            "Năm sinh: 1960",
            "Nơi đăng ký khai sinh: Ủy ban nhân dân xã A",
        ]
    )
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
    words = page_words(
        [
            "Số: 45  Quyển số: 03/1987",
            "Nơi sinh: Số nhà 12, Phường Bến Nghé",
        ]
    )
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
    words = page_words(
        [
            "Họ và tên chồng: ĐỖ VĂN HÙNG",
            "Ngày, tháng, năm sinh: 02/03/1990",
            "Họ và tên vợ: LÝ THỊ HOA",
            "Ngày, tháng, năm sinh: 04/05/1992",
        ]
    )
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
    words = page_words(
        [
            "Quê quán: Xã Tân Hưng, Huyện Hớn Quản,",
            "Tỉnh Bình Phước",
            "Conông NGUYÊN HỮU CỪ",
        ]
    )
    raw = extract_raw("birth", words)
    assert raw["hometown"].text == "Xã Tân Hưng, Huyện Hớn Quản, Tỉnh Bình Phước"


def test_lone_marks_are_dropped_from_values():
    words = page_words(["Họ và tên: ˆ VÕ CÔNG QUANG"])
    assert extract_raw("birth", words)["full_name"].text == "VÕ CÔNG QUANG"


def test_a_whole_date_does_not_take_the_next_line():
    words = page_words(
        [
            "Ngày, tháng, năm đăng ký: 16/01/1987",
            "S0: 397",  # the next entry, its label misread
        ]
    )
    assert extract_raw("birth", words)["registration_date"].text == "16/01/1987"
    wrapped = page_words(["Ngày, tháng, năm đăng ký: ngày 16 tháng 01", "năm 1987"])
    assert extract_raw("birth", wrapped)["registration_date"].text == "ngày 16 tháng 01 năm 1987"


def test_labels_run_together_by_ocr_still_anchor():
    words = page_words(
        [
            "Tênho: NGUYỄN ĐĂNG HOAN",
            "Nơisinh: Xã Cuôr Đăng, Huyện Cư M'gar, Tỉnh Đắk Lắk",
            "Conông: LÊ VĂN THÊM",
            "Nơi cưtrú: Xóm 10, Xã Tề Lỗ",
            "Họ và tênmẹ: VÕ THỊ LƯƠNG",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "NGUYỄN ĐĂNG HOAN"
    assert got["place_of_birth"] == "Xã Cuôr Đăng, Huyện Cư M'gar, Tỉnh Đắk Lắk"
    assert got["father_name"] == "LÊ VĂN THÊM"
    assert got["father_residence"] == "Xóm 10, Xã Tề Lỗ"
    assert got["mother_name"] == "VÕ THỊ LƯƠNG"


def test_a_misread_label_anchors_only_with_its_colon():
    words = page_words(
        [
            "Đã chất vào lúc: ngày 18 tháng 02 năm 2020",
            "Nơi chất: Bệnh viện Đa khoa Tỉnh Tiền Giang",
        ]
    )
    got = texts(extract_raw("death", words))
    assert got["date_of_death"] == "ngày 18 tháng 02 năm 2020"
    assert got["place_of_death"] == "Bệnh viện Đa khoa Tỉnh Tiền Giang"
    # Without the colon, words a letter away from a label stay the value they are.
    words = page_words(["Nguyên nhân chết: Tai nạn", "Nơi chất Bệnh viện Tỉnh"])
    got = texts(extract_raw("death", words))
    assert "place_of_death" not in got
    assert got["cause_of_death"] == "Tai nạn Nơi chất Bệnh viện Tỉnh"


def test_a_label_glued_to_its_value_through_leader_dots():
    words = page_words(
        [
            "Họ và tên chồng:...NGUYỄN HỮU TRÂM ANH",
            "Ngày, tháng, năm sinh: 1/9/1946",
        ]
    )
    got = texts(extract_raw("marriage", words))
    assert got["husband_full_name"] == "NGUYỄN HỮU TRÂM ANH"
    assert got["husband_date_of_birth"] == "1/9/1946"


def test_value_is_the_first_words_of_the_next_labelled_segment():
    words = page_words(
        [
            "Sinh ngày:  24 tháng 10 năm 2011 ghi bằng chữ: Ngày hai mươi tư tháng mười",
            (150, "năm hai nghìn không trăm mười một"),
            "Giới tính: Nam",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["date_of_birth"] == "24 tháng 10 năm 2011"
    assert got["date_of_birth_words"] == (
        "Ngày hai mươi tư tháng mười năm hai nghìn không trăm mười một"
    )
    below = page_words(
        [
            "Ngày, tháng, năm sinh:",
            (150, "03/01/2023 ghi bằng chữ: Ngày mồng ba tháng giêng"),
        ]
    )
    assert texts(extract_raw("birth", below))["date_of_birth"] == "03/01/2023"


def test_the_declarant_is_not_the_father():
    words = page_words(
        [
            "Họ, chữ đệm, tên người cha:",
            "Họ, chữ đệm, tên người đi khai sinh: HOÀNG VĂN MẬU",
            "Nơi đăng ký khai sinh: Ủy ban nhân dân Phường Hòa Thuận Tây",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert "father_name" not in got
    assert "full_name" not in got
    assert got["registration_place"] == "Ủy ban nhân dân Phường Hòa Thuận Tây"


def test_value_under_a_short_label_may_start_right_of_it():
    words = page_words(["Tại:", (200, "Xã Tây Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình")])
    assert texts(extract_raw("birth", words))["place_of_birth"] == (
        "Xã Tây Trạch, Huyện Bố Trạch, Tỉnh Quảng Bình"
    )


def _row(parts: list[tuple[int, str]], y: int, line_id: int) -> list:
    """Words of one Tesseract line made of several runs of text, each starting at its x."""
    out = []
    for x, text in parts:
        out += line_words(text, x, y, line_id)
    return out


def test_merged_lines_of_the_two_marriage_columns_are_cut_apart():
    right = 900
    words = _row([(100, "Thông tin người chồng"), (right + 100, "Thông tin người vợ")], 100, 1)
    words += _row(
        [(100, "Họ, chữ đệm, tên: ĐỖ VĂN HÙNG"), (right, "Họ, chữ đệm, tên: LÝ THỊ HOA")], 180, 2
    )
    words += _row([(100, "Nơi cư trú:"), (right, "Nơi cư trú: Xã Sơn Hà, Huyện")], 260, 3)
    # The left column's text runs to its edge, 50 px from the right column: less than
    # the gap that splits a line, so Tesseract gives both columns one line.
    left_value = line_words("Thôn Thượng, Xã Đông Trà, Huyện Tiền", 0, 340, 4)
    shift = right - 50 - left_value[-1].right
    words += [w.__class__(**{**w.__dict__, "x": w.x + shift}) for w in left_value]
    words += _row([(right, "Thái Thụy, Tỉnh Thái Bình")], 340, 4)
    words += _row([(100, "Hải, Tỉnh Thái Bình")], 420, 5)
    words += _row(
        [(100, "Nơi đăng ký: Ủy ban nhân dân Xã Vũ Ninh, Huyện Kiến Xương, Tỉnh Thái")], 520, 6
    )
    words += _row([(100, "Bình")], 600, 7)
    got = texts(extract_raw("marriage", words))
    assert got["husband_residence"] == "Thôn Thượng, Xã Đông Trà, Huyện Tiền Hải, Tỉnh Thái Bình"
    assert got["wife_residence"] == "Xã Sơn Hà, Huyện Thái Thụy, Tỉnh Thái Bình"
    # The line under the columns spans the page: it is not cut.
    assert got["registration_place"] == (
        "Ủy ban nhân dân Xã Vũ Ninh, Huyện Kiến Xương, Tỉnh Thái Bình"
    )


def test_short_labels_allow_no_misread_letter_and_long_ones_a_few():
    assert allowed_edits("tai") == 0 and allowed_edits("noichet") == 1


# --- form generations, the declarant, and values kept in their own block -----------------


def test_the_declarants_id_does_not_fill_an_empty_child_id():
    # The current birth form: the child's ID line printed blank, the declarant's proof of
    # identity below with a 12-digit number. One real page took the child's ID from it.
    words = page_words(
        [
            "Họ, chữ đệm, tên: LÒ THỊ MAI",
            "Số định danh cá nhân:",
            "Họ, chữ đệm, tên người mẹ: LÒ THỊ HẠNH",
            "Năm sinh: 19/7/1998  Dân tộc: Thái  Quốc tịch: Việt Nam",
            "Nơi cư trú: Bản Mé, xã Chiềng Sơn, huyện Mộc Châu, tỉnh Sơn La",
            "Họ, chữ đệm, tên người đi khai sinh: LÒ VĂN PÁO",
            "Giấy tờ tùy thân: Thẻ căn cước công dân số 014098001234, Cục Cảnh sát cấp",
            "ngày 10/3/2021",
            "Nơi đăng ký khai sinh: UBND xã Chiềng Sơn, huyện Mộc Châu, tỉnh Sơn La",
            "Ngày, tháng, năm đăng ký: 02/8/2021./.",
        ]
    )
    form = read_form("birth", words)
    got = texts(form.raw)
    assert "personal_id" not in got
    assert not any("014098001234" in t for t in got.values())
    assert not any("PÁO" in t for t in got.values())
    assert got["mother_name"] == "LÒ THỊ HẠNH"
    assert got["registration_place"] == "UBND xã Chiềng Sơn, huyện Mộc Châu, tỉnh Sơn La"
    assert got["registration_date"] == "02/8/2021"
    # The blank child ID is a label without a value: the guard looks at the page there.
    assert [e.field for e in form.empty] == ["personal_id"]


def test_a_parents_full_date_gives_the_year_and_the_date():
    words = page_words(
        [
            "Họ, chữ đệm, tên người mẹ: ĐINH THỊ THU",
            "Năm sinh: 19/7/1998  Dân tộc: Mường  Quốc tịch: Việt Nam",
            "Họ, chữ đệm, tên người cha: BÙI VĂN TOÀN",
            "Năm sinh: 1995  Dân tộc: Mường  Quốc tịch: Việt Nam",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["mother_birth_year"] == "19/7/1998"
    assert got["mother_date_of_birth"] == "19/7/1998"
    assert got["father_birth_year"] == "1995"
    assert "father_date_of_birth" not in got  # a year alone is no date


def test_the_next_parents_entries_never_fill_the_first_parents_blanks():
    # The mother's residence is blank, and the father's heading was lost (its label
    # faded; only his name in bold capitals was read): his "Nơi cư trú" must not become
    # hers, nor his name her residence.
    words = page_words(
        [
            "Họ, chữ đệm, tên người mẹ: TRẦN THỊ BÍCH",
            "Năm sinh: 1990  Dân tộc: Kinh  Quốc tịch: Việt Nam",
            "Nơi cư trú:",
            (560, "NGUYỄN VĂN LONG"),
            "Năm sinh: 1988  Dân tộc: Tày  Quốc tịch: Việt Nam",
            "Nơi cư trú: Thôn 2, xã Yên Sơn, huyện Lục Yên, tỉnh Yên Bái",
            "Nơi đăng ký khai sinh: Ủy ban nhân dân xã Yên Sơn",
        ]
    )
    form = read_form("birth", words)
    got = texts(form.raw)
    assert "mother_residence" not in got
    assert got["mother_birth_year"] == "1990"
    assert got["mother_ethnicity"] == "Kinh"
    assert not any(k.startswith("father_") for k in got)
    assert {e.label for e in form.lost} >= {"birth_year", "ethnicity", "residence"}
    assert {e.after for e in form.lost} == {"mother"}
    assert got["registration_place"] == "Ủy ban nhân dân xã Yên Sơn"


def test_a_parents_entry_before_any_parent_is_nobodys():
    # The mother's heading lost (only her name was read): her "Dân tộc" must not become
    # the child's, left blank on the page.
    words = page_words(
        [
            "Họ, chữ đệm, tên: HÀ VĂN BÌNH",
            "Giới tính: Nam  Dân tộc:  Quốc tịch: Việt Nam",
            "Nơi sinh: Trạm Y tế xã Tân Lập",
            (560, "HÀ THỊ LAN"),
            "Năm sinh: 1990  Dân tộc: Tày  Quốc tịch: Việt Nam",
        ]
    )
    form = read_form("birth", words)
    got = texts(form.raw)
    assert "ethnicity" not in got
    assert got["nationality"] == "Việt Nam"
    assert {e.after for e in form.lost} == {None}


def test_the_other_marriage_column_never_fills_a_blank():
    left, right = 100, 1300
    lines = [
        [(left, "Thông tin người chồng"), (right, "Thông tin người vợ")],
        [(left, "Họ, chữ đệm, tên: ĐỖ VĂN HÙNG"), (right, "Họ, chữ đệm, tên: LÝ THỊ HOA")],
        [(left, "Dân tộc:"), (right, "Dân tộc: Nùng")],
        [(left, "Nơi cư trú:"), (right, "Nơi cư trú: Xã Hòa An, Tỉnh Cao Bằng")],
    ]
    words = []
    for n, row in enumerate(lines):
        for x, text in row:
            words += line_words(text, x, 100 + n * 80, n + 1)
    words += line_words("Nơi đăng ký: UBND xã Hòa An", left, 100 + 5 * 80, 9)
    form = read_form("marriage", words)
    got = texts(form.raw)
    assert "husband_ethnicity" not in got and "husband_residence" not in got
    assert got["wife_ethnicity"] == "Nùng"
    assert got["wife_residence"] == "Xã Hòa An, Tỉnh Cao Bằng"
    assert {e.field for e in form.empty} == {"husband_ethnicity", "husband_residence"}
    # The blank's search for ink stops at the wife's column.
    box = next(e.box for e in form.empty if e.field == "husband_ethnicity")
    assert box[2] is not None and box[2] <= right


def test_an_embassy_extract_reads_its_own_labels():
    words = page_words(
        [
            "TRÍCH LỤC",
            "GHI VÀO SỔ HỘ TỊCH VIỆC KHAI SINH",
            "Họ, chữ đệm, tên: PHẠM ANNA MINH",
            "Ngày, tháng, năm sinh: 03/02/2022",
            "Đăng ký khai sinh tại: Tòa thị chính thành phố Lyon, Cộng hòa Pháp",
            "Nơi ghi vào sổ hộ tịch: Đại sứ quán Việt Nam tại Pháp",
            "Ngày, tháng, năm ghi vào sổ: 14/6/2022",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["full_name"] == "PHẠM ANNA MINH"
    assert got["registration_place"] == ("Tòa thị chính thành phố Lyon, Cộng hòa Pháp")
    assert got["registration_date"] == "14/6/2022"


def test_a_copys_own_lines_fill_nothing():
    words = page_words(
        [
            "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Bến Thành",
            "Ngày, tháng, năm đăng ký: 05/01/2021",
            "Ghi chú:",
            "Sao từ Sổ đăng ký khai sinh",
            "Làm tại: Ủy ban nhân dân phường Bến Thành, ngày 20 tháng 3 năm 2024",
        ]
    )
    got = texts(extract_raw("birth", words))
    assert got["registration_date"] == "05/01/2021"
    assert got["registration_place"] == "Ủy ban nhân dân phường Bến Thành"
    assert len(got) == 2


def test_the_foreign_paper_of_a_registration_abroad_ends_its_place():
    for place_line, paper_line in [
        (
            "Đã đăng ký khai sinh tại: Cơ quan có thẩm quyền của Nhật Bản",
            "Theo giấy tờ số: 90776 ngày 26/5/2022",
        ),
        (
            "Đăng ký khai sinh tại: Chính quyền địa phương, Liên bang Nga"
            " Theo giấy tờ số: 76057 ngày 31/07/2022",
            None,
        ),
    ]:
        lines = [place_line, paper_line] if paper_line else [place_line]
        words = page_words([*lines, "Ngày, tháng, năm ghi vào sổ: 14/6/2022"])
        got = texts(extract_raw("birth", words))
        assert got["registration_place"] in (
            "Cơ quan có thẩm quyền của Nhật Bản",
            "Chính quyền địa phương, Liên bang Nga",
        )
        assert got["registration_date"] == "14/6/2022"


def test_a_long_label_without_its_colon_still_ends_the_value_before_it():
    line = (
        "Nơi đăng ký khai sinh: Ủy ban nhân dân xã Thuận An, thị xã Bình Minh, tỉnh Vĩnh Long"
        " Ngày. tháng, năm đăng ký 29/09/2017"
    )
    got = texts(extract_raw("birth", page_words([line])))
    assert got["registration_place"].endswith("tỉnh Vĩnh Long")
    assert got["registration_date"] == "29/09/2017"
    own_line = ["Nơi đăng ký khai sinh: UBND xã A", "Ngày. tháng. năm đăng ký: 25/09/2024"]
    assert texts(extract_raw("birth", page_words(own_line)))["registration_date"] == "25/09/2024"
    signed = ["Nơi đăng ký khai sinh: UBND xã A", "(Ký, ghi rõ họ, chữ đệm, tên, chức vụ)"]
    assert "full_name" not in texts(extract_raw("birth", page_words(signed)))
    short = texts(extract_raw("birth", page_words(["Nơi sinh: Thôn Dân tộc 3, xã A"])))
    assert short["place_of_birth"] == "Thôn Dân tộc 3, xã A"  # a short label needs its colon


def test_a_death_notices_date_is_not_the_death():
    words = page_words(
        [
            "Nguyên nhân chết: Bệnh già",
            "Số Giấy báo tử: 112/GBT, do Bệnh viện Đa khoa tỉnh cấp ngày 03/4/2023",
            "Nơi đăng ký khai tử: Ủy ban nhân dân xã Hải Phú",
        ]
    )
    got = texts(extract_raw("death", words))
    assert got["cause_of_death"] == "Bệnh già"
    assert got["registration_place"] == "Ủy ban nhân dân xã Hải Phú"
    assert "date_of_death" not in got


def test_a_closing_mark_is_not_part_of_the_value():
    words = page_words(["Nơi cư trú cuối cùng: x", "Nơi chết: Thôn 3, xã An Phú, tỉnh Phú Yên./."])
    raw = extract_raw("death", words)
    assert raw["place_of_death"].text == "Thôn 3, xã An Phú, tỉnh Phú Yên"
    last = raw["place_of_death"].words[-1]
    assert last.text == "Yên" and last.w < len("Yên./.") * 20


def test_a_name_label_in_a_sentence_is_not_the_applicant():
    # "Người được cấp" opens a line of the body: a sentence, not the applicant's entry.
    words = page_words(
        [
            "Điều 1. Kết quả giải quyết thủ tục hành chính nêu trên có hiệu lực kể từ ngày ký.",
            "Người được cấp có trách nhiệm thực hiện đúng quy định của pháp luật.",
        ]
    )
    assert "applicant_name" not in extract_raw("dossier_result", words)
    words = page_words(["Người được cấp: NGÔ MINH THIÊN", "Người được cấp có trách nhiệm ..."])
    assert extract_raw("dossier_result", words)["applicant_name"].text == "NGÔ MINH THIÊN"
