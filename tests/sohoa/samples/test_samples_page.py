"""Rendered pages: deterministic, boxes on the ink, and readable by Tesseract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ocr.text import fold, nfc
from sohoa.samples import DOC_TYPES, Knobs, generate_page


def _truth_bytes(truth: dict) -> bytes:
    return json.dumps(truth, ensure_ascii=False, sort_keys=True).encode()


def test_same_seed_same_page_and_truth():
    a_img, a_truth = generate_page("death", 42, "mixed")
    b_img, b_truth = generate_page("death", 42, "mixed")
    assert _truth_bytes(a_truth) == _truth_bytes(b_truth)
    assert a_img.tobytes() == b_img.tobytes()
    _, c_truth = generate_page("death", 43, knobs=Knobs(dpi=200))
    assert c_truth["fields"] != a_truth["fields"]


def test_profile_changes_the_scan_not_the_record():
    _, clean = generate_page("marriage", 7, "clean")
    _, harsh = generate_page("marriage", 7, "harsh")
    assert clean["fields"] == harsh["fields"]
    assert clean["degradations"] != harsh["degradations"]


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_field_has_a_box_inside_the_page(doc_type):
    img, truth = generate_page(doc_type, 3, "clean")
    assert truth["doc_type"] == doc_type and truth["expect"] == "record"
    assert set(truth["boxes"]) == set(truth["fields"])
    for x, y, w, h in truth["boxes"].values():
        assert x >= 0 and y >= 0 and w > 0 and h > 0
        assert x + w <= img.width and y + h <= img.height


def _dark_share(gray: np.ndarray, box: list[int]) -> float:
    x, y, w, h = box
    region = gray[y : y + h, x : x + w]
    return float((region < 110).mean())


@pytest.mark.parametrize("rotation", [90, 270])
def test_boxes_of_a_rotated_skewed_page_land_on_the_value_ink(rotation):
    knobs = Knobs(dpi=200, rotation=rotation, skew_deg=3.0)
    img, truth = generate_page("birth", 5, knobs=knobs)
    gray = np.asarray(img.convert("L"))
    assert img.width > img.height  # a turned A4 page lies on its side
    for name, box in truth["boxes"].items():
        assert _dark_share(gray, box) > 0.04, name
        if len(str(truth["fields"][name])) >= 6:
            assert box[3] > box[2], name  # text runs down the page, so boxes stand upright
    # A box moved off its value would land on paper: shift each by its own size and compare.
    x, y, w, h = truth["boxes"]["full_name"]
    assert _dark_share(gray, [x, max(0, y - 3 * h), w, h]) < _dark_share(gray, [x, y, w, h])


def test_tesseract_reads_the_full_name_on_a_clean_page():
    """Proves the rendering is real, readable print: Vietnamese OCR finds the name.

    Compared without diacritics: Tesseract drops some stacked marks on bold capitals
    ('NGUYỄN' -> 'NGUYÊN'), which is the OCR's weakness (the pipeline corrects it from the
    lexicon), not the rendering's.
    """
    import tesserocr

    img, truth = generate_page("birth", 0, "clean")
    with tesserocr.PyTessBaseAPI(path="/usr/share/tesseract-ocr/5/tessdata", lang="vie") as api:
        api.SetImage(img)
        text = api.GetUTF8Text()
    assert fold(truth["fields"]["full_name"]) in fold(text)
    assert "Họ, chữ đệm, tên" in nfc(text) or "Họ và tên" in nfc(text) or "Tên họ" in nfc(text)


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_seal_and_signature_stay_off_the_truth_values(doc_type):
    img, truth = generate_page(doc_type, 21, knobs=Knobs(dpi=200, stamp=True, signature=True))
    rgb = np.asarray(img).astype(int)
    red = (rgb[..., 0] - rgb[..., 1] > 60) & (rgb[..., 0] - rgb[..., 2] > 60)
    blue = (rgb[..., 2] - rgb[..., 0] > 50) & (rgb[..., 2] - rgb[..., 1] > 40)
    assert red.sum() > 500 and blue.sum() > 100  # both marks are on the page
    for name, (x, y, w, h) in truth["boxes"].items():
        assert not red[y : y + h, x : x + w].any(), name
        assert not blue[y : y + h, x : x + w].any(), name
