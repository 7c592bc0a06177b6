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


def test_a_label_glued_to_its_value_is_cut_at_the_colon():
    from ocr.engines import Word
    from ocr.layout import split_glued

    glued = Word("chồng:...NGUYỄN", 0.9, 100, 50, 300, 40, 1, 1)
    label, value = split_glued([glued])
    assert (label.text, value.text) == ("chồng:", "NGUYỄN")
    assert label.x == 100 and label.right <= value.x and value.right == glued.right
    # A time, or a colon that ends a word, is left alone.
    for text in ("10:30", "10h:30", "tên:", "VT:"):
        assert [w.text for w in split_glued([Word(text, 0.9, 0, 0, 100, 40, 1, 1)])] == [text]
