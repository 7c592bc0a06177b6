"""Second looks, on rendered text with real Tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.engine import read_words
from ocr.fields import RawField
from ocr.prepare import Prepared
from ocr.rereading import CONFIRMED, digits_opinion, plausible_value
from ocr.values import value_of

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def page_with(text: str, font: str) -> Prepared:
    img = Image.new("L", (900, 140), 255)
    ImageDraw.Draw(img).text((40, 40), text, font=ImageFont.truetype(font, 46), fill=0)
    return Prepared(np.asarray(img), np.array([[1.0, 0, 0], [0, 1.0, 0]]), 0, 0.0)


def test_typewriter_digits_are_settled_by_the_english_model():
    prepared = page_with("02-04-1926", MONO)
    words = read_words(prepared.image, psm=7)
    rf = RawField("date_of_birth", " ".join(w.text for w in words), words)
    value, conf = value_of("birth", "date_of_birth", rf)
    value, conf = digits_opinion("birth", "date_of_birth", rf, prepared, value, conf)
    assert value == "1926-04-02"
    assert conf <= CONFIRMED


def test_plausible_values():
    assert plausible_value("1926-04-02") and plausible_value(1966)
    assert not plausible_value("1926-94-02") and not plausible_value(4966)
    assert plausible_value("45/2019")
