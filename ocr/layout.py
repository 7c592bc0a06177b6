"""Words into reading lines and segments, the units that labels anchor on.

Tesseract's own line ids are a good start, but a form line such as
``Giới tính: Nữ     Dân tộc: Kinh`` or the two columns of a marriage certificate put
far-apart words on one line. We split a line wherever the gap between two words is much
wider than a space, so each segment holds one label and its value, or one column's part.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from ocr.engines import Word
from ocr.text import fold

_PUNCT = re.compile(r"[^\w\s/]", re.UNICODE)
_LEADERS = re.compile(r"^[.…_:;,\-·•]+$")


@dataclass
class Segment:
    words: list[Word] = field(default_factory=list)

    @property
    def x(self) -> int:
        return min(w.x for w in self.words)

    @property
    def y(self) -> int:
        return min(w.y for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def extent(words: list[Word]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around a non-empty list of words."""
    return (
        min(w.x for w in words),
        min(w.y for w in words),
        max(w.right for w in words),
        max(w.bottom for w in words),
    )


def word_key(word: Word) -> str:
    """A word folded for label matching: no accents, case or punctuation."""
    return _PUNCT.sub("", fold(word.text)).replace("_", "")


def is_leader(word: Word) -> bool:
    """Dots, underscores and similar fill characters that print on blank form lines."""
    return bool(_LEADERS.match(word.text)) or set(word.text) <= set(".…_-·:")


_GLUED = re.compile(r"^(.*?\w.*?:)[.…_·:]*(\w.*)$", re.UNICODE)


def split_glued(words: list[Word]) -> list[Word]:
    """Words with a label's colon inside (``chồng:...NGUYỄN``) cut in two at the colon.

    Leader dots between a label and its value sometimes print so close that Tesseract
    reads label, dots and value as one word; the label then has no colon and the value
    loses its first word. A colon after digits (``10:30``, ``10h:30``) is no label's.
    """
    out: list[Word] = []
    for w in words:
        match = _GLUED.match(w.text)
        head_letters = sum(c.isalpha() for c in match[1]) if match else 0
        if match is None or head_letters < 2 or any(c.isdigit() for c in match[1]):
            out.append(w)
            continue
        head, tail = match[1], match[2]
        width = max(1, round(w.w * len(head) / len(w.text)))
        tail_x = w.x + round(w.w * (len(w.text) - len(tail)) / len(w.text))
        out.append(Word(head, w.confidence, w.x, w.y, width, w.h, w.block, w.line))
        out.append(
            Word(tail, w.confidence, tail_x, w.y, max(1, w.right - tail_x), w.h, w.block, w.line)
        )
    return out


def segments(words: list[Word]) -> list[Segment]:
    """Segments in reading order (top to bottom, then left to right).

    Leader dots bridge the gap they fill (a label and its value stay together); they are
    dropped from the segments afterwards.
    """
    text_words = [w for w in words if not is_leader(w)]
    if not text_words:
        return []
    height = statistics.median(w.h for w in text_words)
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    out: list[Segment] = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.x)
        current = Segment([])
        prev: Word | None = None
        for w in line_words:
            if prev is not None and w.x - prev.right > 2.5 * height:
                out.append(current)
                current = Segment([])
            current.words.append(w)
            prev = w
        out.append(current)
    cleaned = [Segment([w for w in s.words if not is_leader(w)]) for s in out]
    return reading_order([s for s in cleaned if s.words])


def reading_order(segs: list[Segment]) -> list[Segment]:
    """Rows top to bottom, left to right within a row.

    A segment joins the current row when its vertical middle falls inside the row's
    first segment: a value printed a pixel higher than its label stays after it.
    """
    rows: list[list[Segment]] = []
    for seg in sorted(segs, key=lambda s: s.y):
        middle = (seg.y + seg.bottom) / 2
        if rows and rows[-1][0].y <= middle <= rows[-1][0].bottom:
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [seg for row in rows for seg in sorted(row, key=lambda s: s.x)]
