import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.engines import tesseract as engine
from ocr.errors import MissingDependencyError

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

TSV = "\n".join(
    [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "1\t1\t0\t0\t0\t0\t0\t0\t800\t200\t-1\t",
        "5\t1\t1\t1\t1\t1\t10\t20\t100\t30\t96.5\tNGUYỄN",
        "5\t1\t1\t1\t1\t2\t120\t20\t60\t30\t91\tVĂN",
        "5\t1\t2\t1\t1\t1\t10\t80\t40\t30\t-1\t ",
        "5\t1\t2\t1\t2\t1\t10\t120\t40\t30\t12\tx",
    ]
)


def test_parse_tsv_keeps_words_with_boxes_and_confidences():
    words = engine.parse_tsv(TSV)
    assert [w.text for w in words] == ["NGUYỄN", "VĂN", "x"]
    assert words[0].confidence == pytest.approx(0.965)
    assert (words[0].x, words[0].y, words[0].w, words[0].h) == (10, 20, 100, 30)
    assert words[0].line == words[1].line != words[2].line


def test_parse_tsv_scales_boxes_back():
    words = engine.parse_tsv(TSV, scale=0.5)
    assert (words[0].x, words[0].y, words[0].w, words[0].h) == (20, 40, 200, 60)


def _rendered(text: str) -> np.ndarray:
    img = Image.new("L", (1400, 160), 255)
    ImageDraw.Draw(img).text((40, 50), text, font=ImageFont.truetype(FONT, 44), fill=0)
    return np.asarray(img)


@pytest.mark.parametrize("backend", ["tesserocr", "pytesseract"])
def test_both_backends_read_vietnamese(monkeypatch, backend):
    monkeypatch.setenv("SOHOA_OCR_BACKEND", backend)
    engine._backend.cache_clear()
    try:
        reader = engine.TesseractRecognizer()
        words = reader.read_words(_rendered("Quê quán: Xã Thạch Hà"), dpi=300, layout="block")
        line = reader.read_line(_rendered("Quê quán: Xã Thạch Hà"), dpi=300)
    finally:
        engine._backend.cache_clear()
    assert " ".join(w.text for w in words) == "Quê quán: Xã Thạch Hà"
    assert all(0.5 < w.confidence <= 1.0 for w in words)
    first = words[0]
    assert 30 <= first.x <= 50 and 40 <= first.y <= 70
    assert line.text == "Quê quán: Xã Thạch Hà"
    assert line.char_confidences[0] == words[0].confidence  # a word's, for each character


def test_missing_language_pack_is_a_dependency_error(monkeypatch, tmp_path):
    # The pack is installed on every test machine, so its absence is simulated by pointing
    # the lookup at empty folders.
    monkeypatch.setattr(engine, "_TESSDATA_CANDIDATES", (str(tmp_path),))
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    engine.tessdata_dir.cache_clear()
    try:
        with pytest.raises(MissingDependencyError) as err:
            engine.tessdata_dir()
    finally:
        engine.tessdata_dir.cache_clear()
    assert "tesseract-ocr-vie" in str(err.value)
    assert err.value.exit_code == 3


def test_digits_are_read_with_another_model_than_text():
    reader = engine.TesseractRecognizer()
    image = _rendered("Số: 45/2019")
    digits = reader.read_line(image, dpi=300, script="digits")
    assert "45/2019" in digits.text
    assert digits.engine == "tesseract"
