"""Shared text helpers."""

from ocr.text import edit_distance


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("noichat", "noichet", 1) == 1
    assert edit_distance("hovaten", "hovaten", 0) == 0
    assert edit_distance("namsinh", "noisinh", 1) == 2  # limit + 1: "too far"


def test_the_two_tone_placements_are_told_apart_and_converted():
    from ocr.text import FIRST, SECOND, placement_of, tone_placement, with_placement

    assert tone_placement("HÒA") == FIRST and tone_placement("HOÀ") == SECOND
    assert tone_placement("Thủy") == FIRST and tone_placement("Thuỷ") == SECOND
    # Both conventions agree on these: nothing to tell.
    for word in ("Hoa", "Hoàng", "Quý", "Thuyền", "Hưng"):
        assert tone_placement(word) is None
    assert with_placement("tỉnh Hoà Bình, NGÔ HỮU HOÀ", FIRST) == "tỉnh Hòa Bình, NGÔ HỮU HÒA"
    assert with_placement("Lê Thị Thủy", SECOND) == "Lê Thị Thuỷ"
    assert with_placement("Quý Hoàng", SECOND) == "Quý Hoàng"
    assert placement_of("Xã Yên Hoà, Tỉnh Hòa Bình") == SECOND  # the first one shown


def test_marks_added_are_told_from_marks_read_otherwise():
    from ocr.text import adds_marks, same_case_as, spellable

    assert adds_marks("NGUYỄN", "NGUYÊN") and adds_marks("NGUYỄN", "NGUYEN")
    assert adds_marks("Đồng", "Dong")
    assert not adds_marks("NGUYỄN", "NGUYỀN")  # a grave read: another spelling
    assert not adds_marks("THỦY", "THỤY")
    assert adds_marks("DỰ", "DƯ")  # the dot was lost: a restoration, if the list says so
    assert not adds_marks("HÒA", "HOÀ")  # the same marks, placed otherwise: nothing lost
    assert not adds_marks("HÒA", "HOAN")
    assert same_case_as("Đồng", "DONG") == "ĐỒNG" and same_case_as("Huyện", "huyen") == "huyện"
    assert spellable("Tỉnh Hà Tĩnh") and not spellable("Tỉnh Hà Tñnh")
    assert not spellable("Xã Ea Wer") and spellable("Xã Ea Wer", "abcdđeghiklmnopqrstuvxyw")
