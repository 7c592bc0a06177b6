"""Second looks by the page reader, on rendered text with real Tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import Word
from ocr.prepare import Prepared
from ocr.rereading import crop_words, reread_weak_lines

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def page_with(text: str, at=(300, 60)) -> Prepared:
    img = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(img).text(at, text, font=ImageFont.truetype(SERIF, 40), fill=0)
    return Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)


def test_a_crop_read_enlarged_gives_boxes_in_page_pixels():
    prepared = page_with("Xã Thạch Hà")
    words = crop_words(prepared, (250, 30, 900, 140), "line", line_id=7)
    assert " ".join(w.text for w in words) == "Xã Thạch Hà"
    assert all(w.line == 7 for w in words)
    assert 290 <= words[0].x <= 310 and 55 <= words[0].y <= 80  # not the enlarged crop's


def test_digits_are_asked_for_without_naming_a_model():
    prepared = page_with("02-04-1926")
    words = crop_words(prepared, (250, 30, 900, 140), "line", line_id=0, scale=1, script="digits")
    assert "02-04-1926" in " ".join(w.text for w in words)


def test_a_weakly_read_segment_is_replaced_by_its_reading_alone():
    prepared = page_with("Quê quán: Xã Thạch Hà")
    garbled = [
        Word("Qu~", 0.3, 300, 62, 90, 40, 1, 1),
        Word("q#n:", 0.2, 400, 62, 100, 40, 1, 1),
        Word("X&", 0.4, 520, 62, 60, 40, 1, 1),
        Word("Thach", 0.5, 590, 62, 120, 40, 1, 1),
        Word("H@", 0.3, 720, 62, 60, 40, 1, 1),
    ]
    again = reread_weak_lines(prepared, garbled)
    assert " ".join(w.text for w in again) == "Quê quán: Xã Thạch Hà"
    sure = [Word(w.text, 0.95, w.x, w.y, w.w, w.h, w.block, w.line) for w in garbled]
    assert reread_weak_lines(prepared, sure) == sure  # a sure line is left alone
