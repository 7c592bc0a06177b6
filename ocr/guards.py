"""Guards against a value silently lost or taken from someone else's block.

A label found on the page yields a value or an issue:

- a label with text after it that gave no value (``value_unreadable``);
- a label with nothing read after it where the page has ink (``value_unread``): the
  value is printed but OCR lost it. Where the paper is blank after the label, the entry
  is blank on the form (a fatherless record's "Họ, chữ đệm, tên người cha:"), which is
  no fault;
- entries read where no heading says whose they are (``entry_owner_unknown``): a
  person's heading lost, its entries kept out of every field (:mod:`ocr.fields`).
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.checks import label
from ocr.engines import Word
from ocr.fields import EmptyLabel, FormReading
from ocr.prepare import Prepared
from ocr.record import FieldValue, Issue
from ocr.rules import Rule

_OWNER = {
    None: "the record's own entries",
    "mother": "the mother's block",
    "father": "the father's block",
    "husband": "the husband's block",
    "wife": "the wife's block",
}
_MIN_GLYPH = 0.4  # ink this tall, relative to the line, is a letter or digit, not a speck


def with_guards(
    issues: list[Issue],
    reading: FormReading,
    fields: dict[str, FieldValue],
    prepared: Prepared,
    words: list[Word],
) -> list[Issue]:
    """The page's issues with the guards' added: one issue a field is enough, and an
    unreadable handwritten slot says more than "missing"."""
    handwritten = {i.field for i in issues if i.rule == Rule.HANDWRITTEN_UNREAD}
    kept = [i for i in issues if i.field not in handwritten or i.rule == Rule.HANDWRITTEN_UNREAD]
    text_right = max((w.right for w in words), default=prepared.image.shape[1])
    known = {i.field for i in kept}
    return kept + label_issues(reading, fields, prepared.image, text_right, known)


def label_issues(
    reading: FormReading,
    fields: dict[str, FieldValue],
    image: np.ndarray,
    text_right: int,
    known: set[str | None] | None = None,
) -> list[Issue]:
    """Issues for labels that yielded nothing and entries that belong to nobody known.

    ``image`` is the prepared page the words were read on (leader dots already white);
    ``text_right`` the right edge of its text, where an unbounded row ends; ``known``
    the fields other issues already name (one issue a field is enough).
    """
    issues: list[Issue] = []
    reported: set[str] = {f for f in known or () if f is not None}
    for name, rf in reading.raw.items():
        if name.endswith("_words") or name in fields or name in reported or not rf.text.strip():
            continue
        reported.add(name)
        issues.append(
            Issue(
                field=name,
                rule=Rule.VALUE_UNREADABLE,
                message=(
                    f"Something is printed as the {label(name)}, but it could not be read "
                    "as one; type it in from the page."
                ),
            )
        )
    ink = _Ink(image)
    for empty in reading.empty:
        if empty.field in fields or empty.field in reported:
            continue
        if ink.has_text(empty, text_right):
            reported.add(empty.field)
            issues.append(
                Issue(
                    field=empty.field,
                    rule=Rule.VALUE_UNREAD,
                    message=(
                        f"The {label(empty.field)} is printed after its label but could not "
                        "be read; type it in from the page."
                    ),
                )
            )
    after = {entry.after for entry in reading.lost}
    for owner in sorted(after, key=lambda o: o or ""):
        issues.append(
            Issue(
                field=None,
                rule=Rule.ENTRY_OWNER_UNKNOWN,
                message=(
                    f"Entries after {_OWNER.get(owner, 'a block')} have no heading that could "
                    "be read (a person's name line); they were not used. Check whose they "
                    "are on the page."
                ),
            )
        )
    return issues


class _Ink:
    """Letter-sized ink on the prepared page, thresholded once."""

    def __init__(self, image: np.ndarray):
        gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        self.gray = gray.astype(np.uint8, copy=False)
        self._threshold: float | None = None

    @property
    def threshold(self) -> float:
        if self._threshold is None:
            self._threshold, _ = cv2.threshold(
                self.gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU
            )
        return self._threshold

    def has_text(self, empty: EmptyLabel, text_right: int) -> bool:
        """Whether glyph-sized ink lies in the row after the label."""
        x0, y0, x1, y1 = empty.box
        line = max(1, y1 - y0)
        x0 += line // 3  # the label's colon
        x1 = text_right if x1 is None else x1
        crop = self.gray[max(0, y0) : y1, max(0, x0) : max(0, x1 - line // 4)]
        if crop.size == 0:
            return False
        mask = (crop < self.threshold).astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        heights = stats[1:, cv2.CC_STAT_HEIGHT]
        widths = stats[1:, cv2.CC_STAT_WIDTH]
        glyphs = (heights >= _MIN_GLYPH * line) & (widths >= 2) & (widths <= 3 * line)
        return bool(count > 1 and glyphs.any())
