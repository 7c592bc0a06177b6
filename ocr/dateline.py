"""The "<place>, ngày … tháng … năm …" line of an official text, as the page reads it.

The line is found by its three words, not by their exact spelling: Tesseract reads the
"ă" of a small italic "năm" as "õ" or "ö" ("nõm 2023"), and a narrow right-hand column
wraps the line after the day ("Tây Ninh, ngày 29" / "tháng 07 năm 2020"). Missing it
is worse than a lost date: the recitals below cite other papers with dates of their own
("Căn cứ Nghị định ... ngày 23 tháng 4 năm 2018"), and a reading that falls through to
one of those is a wrong date that nobody doubts.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ocr.engines import Word
from ocr.layout import Segment
from ocr.text import fold

# A line that opens the body: a recital ("Căn cứ ...", "Xét ...") or an article.
_BODY = re.compile(r"^\W*(can cu|xet|dieu \d)")
_YEAR = re.compile(r"^(\d{4})\W*$")
_MISREAD = {"ngay": r"ng\w?y", "thang": r"th\w?ng"}  # the vowel misread or lost
_GLUED_YEAR = re.compile(r"^n\w{0,2}m(\d{4})$")  # "năm2025" read as one word


@dataclass
class DateLine:
    """The date line's words (of one segment, or two when it wraps after the day) and
    where its "ngày", "tháng" and "năm" stand among them."""

    words: list[Word]
    day_at: int
    month_at: int
    year_at: int

    @property
    def y(self) -> int:
        return min(w.y for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def year(self) -> int | None:
        """The year after "năm" (or glued to it), when it reads as four digits."""
        key = _key(self.words[self.year_at])
        if glued := _GLUED_YEAR.match(key):
            return int(glued[1])
        after = self.words[self.year_at + 1 : self.year_at + 2]
        match = _YEAR.match(after[0].text) if after else None
        return int(match[1]) if match else None


def _key(w: Word) -> str:
    return re.sub(r"\W", "", fold(w.text))


def _is(key: str, word: str) -> bool:
    """``key`` is ``word`` ("ngay", "thang") or the same with its vowel misread or lost
    ("ngòy", "thông"); a place's "Ngãi" is not "ngày"."""
    return bool(re.fullmatch(_MISREAD[word], key))


def _is_year_word(key: str) -> bool:
    return bool(re.fullmatch(r"n\w?m", key)) or bool(_GLUED_YEAR.match(key))


def _at(keys: list[str], i: int) -> str:
    return keys[i] if i < len(keys) else ""


def _find(words: list[Word]) -> DateLine | None:
    keys = [_key(w) for w in words]
    for d, key in enumerate(keys):
        if not _is(key, "ngay"):
            continue
        month = next(
            (m for m in range(d + 1, min(d + 4, len(keys))) if _is(keys[m], "thang")), None
        )
        if month is None:
            continue
        year = next(
            (y for y in range(month + 1, min(month + 4, len(keys))) if _is_year_word(keys[y])), None
        )
        if year is not None:
            return DateLine(words, d, month, year)
    return None


def _wrapped(seg: Segment, below: list[Segment]) -> list[Word] | None:
    """The words of a date line cut after its day: ``seg`` ends with "ngày" (and the
    day), and the next line under it, in the same column, opens with "tháng"."""
    keys = [_key(w) for w in seg.words]
    day = next((i for i, k in enumerate(keys) if _is(k, "ngay")), None)
    if day is None or len(keys) - day > 2:
        return None
    height = statistics.median(w.h for w in seg.words)
    for other in below:
        if not 0 < other.y - seg.y < 3 * height or other.right < seg.x or other.x > seg.right:
            continue
        if _is(_key(other.words[0]), "thang"):
            return seg.words + other.words
    return None


def date_lines(segs: list[Segment]) -> list[DateLine]:
    """Every line that reads as "ngày … tháng … năm …", top to bottom, but a recital's or
    an article's own line (its continuation lines are not told apart here)."""
    ordered = sorted(segs, key=lambda s: s.y)
    out = []
    for i, seg in enumerate(ordered):
        if _BODY.match(fold(seg.text)):
            continue
        words = _wrapped(seg, ordered[i + 1 :]) or seg.words
        if (found := _find(words)) is not None:
            out.append(found)
    return out


def body_top(segs: list[Segment]) -> int | None:
    """Where the body starts: the first recital's or article's line."""
    return min((s.y for s in segs if _BODY.match(fold(s.text))), default=None)


def header_date(segs: list[Segment], title_y: int | None = None) -> DateLine | None:
    """The result's own date line: the first above the title when the title is known,
    else the first above the body; any other date line only when the page has no body
    line to tell the header by (a day misread as three digits still marks the line:
    its date then fails to normalize and goes to review)."""
    lines = date_lines(segs)
    if title_y is not None:
        above = [d for d in lines if d.bottom <= title_y]
        if above:
            return above[0]
    top = body_top(segs)
    if top is not None:
        lines = [d for d in lines if d.y < top]
    return lines[0] if lines else None
