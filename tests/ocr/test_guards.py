"""A label found on the page yields a value or an issue (real pages, real Tesseract)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ocr.fields import EmptyLabel, FormReading
from ocr.guards import label_issues
from ocr.pipeline import extract_page
from sohoa.samples.layout import font
from tests.ocr.formpages import SOURCE, decision, gray, handwrite, render_boxes


def _row(label: str, value: str | None) -> tuple[np.ndarray, EmptyLabel]:
    """One printed row "label value"; the label's box as the layout would report it."""
    image = Image.new("RGB", (1600, 120), "white")
    pen = ImageDraw.Draw(image)
    fnt = font("liberation-serif", "regular", 52)
    pen.text((40, 30), label, font=fnt, fill=(20, 20, 20))
    x0, y0, x1, y1 = pen.textbbox((40, 30), label, font=fnt)
    if value:
        pen.text((x1 + 20, 30), value, font=fnt, fill=(20, 20, 20))
    return gray(image), EmptyLabel("mother_residence", (x1, y0, None, y1))


def test_ink_after_a_label_with_nothing_read_is_an_issue_and_blank_paper_is_not():
    image, empty = _row("Nơi cư trú:", "Thôn 2, xã Yên Sơn, huyện Lục Yên")
    issues = label_issues(FormReading({}, [empty]), {}, image, 1560)
    assert [(i.field, i.rule) for i in issues] == [("mother_residence", "value_unread")]
    blank, empty = _row("Nơi cư trú:", None)
    assert label_issues(FormReading({}, [empty]), {}, blank, 1560) == []


def test_an_applicant_written_by_hand_is_flagged_not_accepted_without_one():
    # The "Họ và tên:" line is printed; its value, written by hand, is unreadable to OCR.
    image, boxes = render_boxes(decision(applicant=("Họ và tên: ", "NGUYỄN VĂN TÂM")))
    x0, y0, x1, y1 = boxes["applicant_slot"]
    ImageDraw.Draw(image).rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), fill="white")
    handwrite(image, (x0, y0, x1 + 200, y1), seed=9)
    record = extract_page(gray(image), SOURCE, dpi=300).to_json()
    assert record["doc_type"] == "dossier_result"
    assert record["status"] == "needs_review"
    names = record["fields"].get("applicant_name")
    flagged = [i for i in record["issues"] if i["field"] == "applicant_name"]
    assert flagged, record["issues"]
    assert names is None or names["confidence"] < 0.8
