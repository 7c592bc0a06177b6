"""Print apart from security paper, emblems, seals and signatures (``ocr.paper``).

Pages come from the sample generator's plain rendering; the security paper, seals and
signatures are drawn by ``tests/ocr/camera.py``. Reading is real Tesseract.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr import paper
from ocr.pipeline import extract_page
from ocr.quality import assess
from ocr.record import Source
from tests.ocr import camera

SOURCE = Source("test://paper", 1, "0" * 64)


@pytest.fixture(scope="module")
def birth() -> tuple[np.ndarray, dict]:
    return camera.clean_page("birth", 5)


def bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[:, :, ::-1])


def right(record, truth: dict) -> int:
    got = {name: f.value for name, f in record.fields.items()}
    return sum(got.get(k) == v for k, v in truth["fields"].items())


@pytest.mark.parametrize("border", ["green", "brown"])
def test_guilloche_emblem_and_border_are_taken_off_and_the_print_kept(birth, border):
    page, _ = birth
    clean = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    secured = camera.security_paper(page, 11, border=border, strength=1.0)
    out = paper.separate(bgr(secured)).image
    print_px = clean < 100
    paper_px = cv2.erode((clean > 250).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    grey = cv2.cvtColor(secured, cv2.COLOR_RGB2GRAY)
    assert (grey[paper_px] < 215).mean() > 0.15  # the pattern is there to be taken off
    assert (out[paper_px] < 215).mean() < 0.01  # and it is gone
    assert np.median(out[print_px]) < 80  # the print is still black


def test_guilloche_paper_passes_the_gate_in_colour_and_in_grey(birth):
    # Legible certificates on security paper were turned away as "not a document page".
    page, _ = birth
    secured = camera.security_paper(page, 12, strength=1.0)
    grey = cv2.cvtColor(secured, cv2.COLOR_RGB2GRAY)
    assert assess(grey, 200).readable  # the rows of letters tell it is writing
    assert assess(paper.separate(bgr(secured)).image, 200).readable
    assert assess(paper.separate(grey).image, 200).readable


def test_a_grey_scan_of_security_paper_has_its_pattern_faded(birth):
    page, _ = birth
    grey = cv2.cvtColor(camera.security_paper(page, 13, strength=0.8), cv2.COLOR_RGB2GRAY)
    cleaned = paper.separate(grey)
    assert "background pattern faded" in cleaned.notes
    clean = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    paper_px = cv2.erode((clean > 250).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert (cleaned.image[paper_px] < 215).mean() < 0.03


def test_security_paper_is_read_right(birth):
    page, truth = birth
    secured = camera.security_paper(page, 14, border="brown", strength=1.0)
    record = extract_page(bgr(secured), SOURCE, dpi=200)
    assert record.status != "rejected"
    assert right(record, truth) == len(truth["fields"])


def test_dark_blue_print_is_kept_as_print(birth):
    page, _ = birth
    clean = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    navy = page.astype(np.float32)
    ink = (255 - navy) / 255  # re-ink the black print in dark blue (RGB 20, 30, 110)
    navy = 255 - ink * (255 - np.array([20, 30, 110], np.float32))
    secured = camera.security_paper(navy.astype(np.uint8), 15, strength=1.0)
    out = paper.separate(bgr(secured)).image
    assert np.median(out[clean < 100]) < 130


def test_seal_and_signature_are_found_where_they_are(birth):
    page, truth = birth
    marked = camera.security_paper(page, 16, strength=1.0)
    seal_box = camera.seal(marked, (400, 1800), 130, "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ")
    pen_box = camera.signature(marked, (900, 1900, 400, 120), 3)
    marks = paper.separate(bgr(marked)).marks
    assert marks is not None
    seal, pen = marks.cover(tuple(seal_box))
    assert seal > 0.05 and pen < 0.01
    seal, pen = marks.cover(tuple(pen_box))
    assert pen > 0.03 and seal < 0.01
    # Nowhere else: not the guilloche, not the border, not the print.
    assert marks.cover((0, 0, page.shape[1], 1500)) == (0.0, 0.0)


def test_a_seal_over_a_value_is_flagged_and_never_accepted(birth):
    page, truth = birth
    sealed = page.copy()
    x, y, w, h = truth["boxes"]["full_name"]
    camera.seal(sealed, (x + w * 0.5, y + h / 2), 110, "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ")
    record = extract_page(bgr(sealed), SOURCE, dpi=200)
    assert record.status == "needs_review"
    flagged = {i.field for i in record.issues if i.rule == paper.RULE}
    assert "full_name" in flagged
    assert all("seal" in i.message for i in record.issues if i.rule == paper.RULE)


def test_a_seal_in_the_signers_block_flags_nothing(birth):
    page, truth = birth
    sealed = page.copy()
    bottom = max(y + h for _, y, _, h in truth["boxes"].values())
    camera.seal(sealed, (page.shape[1] * 0.6, bottom + 200), 110, "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ")
    camera.signature(sealed, (900, bottom + 160, 350, 90), 5)
    record = extract_page(bgr(sealed), SOURCE, dpi=200)
    assert not [i for i in record.issues if i.rule == paper.RULE]
    assert right(record, truth) == len(truth["fields"])


def test_a_grey_page_with_even_light_is_left_as_it_is(birth):
    grey = cv2.cvtColor(birth[0], cv2.COLOR_RGB2GRAY)
    cleaned = paper.separate(grey)
    assert cleaned.image is grey and cleaned.marks is None and not cleaned.notes


def test_uneven_light_is_evened(birth):
    grey = cv2.cvtColor(birth[0], cv2.COLOR_RGB2GRAY).astype(np.float32)
    ramp = np.linspace(0.45, 1.0, grey.shape[1], dtype=np.float32)[None, :]
    shaded = (grey * ramp).astype(np.uint8)
    cleaned = paper.separate(shaded, photo=True)
    assert "light evened" in cleaned.notes
    clean = grey > 250
    left, right_ = cleaned.image[:, :300][clean[:, :300]], cleaned.image[:, -300:][clean[:, -300:]]
    assert abs(float(np.median(left)) - float(np.median(right_))) < 8
