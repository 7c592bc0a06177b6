"""The AsterOCR engine on line crops rendered here, with the real ONNX model."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import aster
from ocr.engines.base import LineReading

FONTS = "/usr/share/fonts/truetype/"
FACES = [
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSans.ttf",
    "dejavu/DejaVuSans-Bold.ttf",
    "liberation2/LiberationSerif-Regular.ttf",
    "liberation2/LiberationSans-Regular.ttf",
    "liberation2/LiberationMono-Regular.ttf",
]
LINES = [
    "NGUYỄN THỊ HƯƠNG",
    "TRẦN VĂN KHOA",
    "079082001425",
    "14/06/1985",
    "Xã Thạch Hà, Huyện Thạch Hà, Tỉnh Hà Tĩnh",
    "Việt Nam",
]


def render(text: str, face: str = FACES[0], size: int = 36, margin: int = 10) -> np.ndarray:
    """A line crop as a value's box cuts it from a page: a little paper all round."""
    font = ImageFont.truetype(FONTS + face, size)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 2 * margin, bottom - top + 2 * margin), 255)
    ImageDraw.Draw(image).text((margin - left, margin - top), text, font=font, fill=0)
    return np.asarray(image).copy()


@pytest.fixture(scope="module")
def reader() -> aster.AsterRecognizer:
    return aster.AsterRecognizer()


@pytest.mark.parametrize("face", FACES)
def test_printed_lines_are_read_exactly_and_surely(reader, face):
    for text in LINES:
        reading = reader.read_line(render(text, face), dpi=300)
        assert reading.text == text, face
        assert len(reading.char_confidences) == len(text)
        assert reading.confidence > 0.6
        assert reading.engine == "aster"


def test_a_crop_cut_tight_into_the_first_letter_keeps_it(reader):
    tight = render("NGUYỄN VĂN AN", margin=0)
    assert reader.read_line(tight, dpi=300).text == "NGUYỄN VĂN AN"


def test_a_damaged_character_is_the_doubtful_one(reader):
    text = "NGUYỄN VĂN HOÀNG"
    clean = render(text)
    assert min(reader.read_line(clean, dpi=300).char_confidences) > 0.95
    font = ImageFont.truetype(FONTS + FACES[0], 36)
    x0 = 10 + round(font.getlength(text[:11]))
    x1 = 10 + round(font.getlength(text[:12]))
    damaged = clean.copy()
    damaged[:, x0 : (x0 + x1) // 2] = 255  # the left half of the H wiped off
    reading = reader.read_line(damaged, dpi=300)
    confidences = reading.char_confidences
    weakest = int(np.argmin(confidences))
    assert reading.text[:11] == text[:11] and weakest == 11  # the wiped letter's place
    assert confidences[weakest] < 0.95
    assert min(confidences[:11] + confidences[12:]) > 0.95


def test_white_on_nothing_and_slivers_read_as_nothing(reader):
    assert reader.read_line(np.full((40, 200), 255, np.uint8), dpi=300).text == ""
    assert reader.read_line(np.zeros((2, 50), np.uint8), dpi=300).text == ""


def test_preparation_follows_the_packages_onnx_pipeline():
    crop = render("Kinh")
    x = aster.tensor(crop)
    h, w = crop.shape
    assert x.shape[:3] == (1, 3, 32) and x.shape[3] % 4 == 0
    assert x.shape[3] == (max(32, int(w * 32 / h)) + 3) // 4 * 4
    assert x.dtype == np.float32 and x.min() >= -1.0 and x.max() <= 1.0
    assert x[0, :, 0, 0].tolist() == [1.0, 1.0, 1.0]  # white paper is +1
    assert aster.padded(crop).shape[1] > crop.shape[1]


def test_greedy_decoding_merges_repeats_and_splits_on_blanks():
    vocabulary = ("<blank>", "A", "N")
    steps = np.log(
        np.array(
            [
                [0.1, 0.8, 0.1],  # A
                [0.1, 0.9, 0.0],  # A again: the same character
                [0.9, 0.05, 0.05],  # blank
                [0.2, 0.1, 0.7],  # N
                [0.9, 0.0, 0.1],  # blank
                [0.1, 0.0, 0.9],  # N: a second one, after a blank
            ]
        )
        + 1e-12
    )
    text, confidences = aster.decode(steps, vocabulary)
    assert text == "ANN"
    assert confidences == pytest.approx((0.9, 0.7, 0.9), abs=1e-6)


def test_a_blank_step_that_hesitates_lowers_the_next_character():
    vocabulary = ("<blank>", "A", "N", "Y")
    steps = np.log(
        np.array([[0.0, 1.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.5], [0.0, 0.0, 1.0, 0.0]]) + 1e-12
    )
    text, confidences = aster.decode(steps, vocabulary)
    assert text == "AN"  # a Y may have been lost between them
    assert confidences[1] == pytest.approx(0.5, abs=1e-6)


def test_line_reading_token_confidences():
    reading = LineReading("VĂN AN", (0.9, 0.5, 0.9, 1.0, 0.8, 0.95), "x")
    assert reading.token_confidences() == [("VĂN", 0.5), ("AN", 0.8)]
    assert reading.confidence == 0.5
    with pytest.raises(ValueError):
        LineReading("AB", (1.0,), "x")


def test_reading_imports_neither_torch_nor_the_package_and_opens_no_connection():
    # The model must load from the wheel's files; any network use or import of the
    # package's own modules (with their download path and torch) fails this process.
    script = textwrap.dedent(
        """
        import socket, sys
        def refuse(*args, **kwargs):
            raise SystemExit("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        import numpy as np
        from ocr.engines.aster import AsterRecognizer
        reading = AsterRecognizer().read_line(np.full((40, 120), 255, np.uint8), dpi=300)
        loaded = [m for m in sys.modules if m.split(".")[0] in
                  ("asterocr", "torch", "huggingface_hub", "gradio", "kaggle")]
        print(repr(reading.text), loaded)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "'' []"
