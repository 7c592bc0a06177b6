from ocr.layout import segments
from tests.ocr.wordfactory import line_words, page_words


def test_wide_gap_splits_a_line_into_segments():
    segs = segments(page_words(["Giới tính: Nữ  Dân tộc: Kinh"]))
    assert [s.text for s in segs] == ["Giới tính: Nữ", "Dân tộc: Kinh"]


def test_leader_dots_bridge_their_gap_and_are_dropped():
    segs = segments(page_words(["Họ và tên: ........ AN"]))
    assert [s.text for s in segs] == ["Họ và tên: AN"]


def test_reading_order_is_rows_then_columns():
    words = line_words("phải", 1500, 100, 2) + line_words("trái", 100, 104, 1)
    words += line_words("dưới", 100, 300, 3)
    assert [s.text for s in segments(words)] == ["trái", "phải", "dưới"]


def test_no_words_no_segments():
    assert segments([]) == []


def test_extent_spans_all_words():
    from ocr.layout import extent

    words = line_words("a bb", 100, 50, 1) + line_words("ccc", 40, 200, 2)
    assert extent(words) == (40, 50, max(w.right for w in words), 240)
