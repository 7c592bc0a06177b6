"""Fields by anchoring on printed labels.

The reading lines (:mod:`ocr.layout`) are scanned for the labels of the document type
(:mod:`ocr.labels`), matched without regard to accents, case and punctuation and with
some tolerance for OCR misreadings. The value is what follows the label on the same line,
or the next line when the label ends its line; place-like values may wrap onto the
following lines. Section headings (mother, father, husband, wife) decide which person a
generic label such as "Dân tộc" belongs to; on the two-column marriage form, the column
does.
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ocr.engine import Word
from ocr.labels import FIELDS, SECTION_FIELDS, SECTIONS, WRAPPING
from ocr.layout import Segment, segments, word_key
from ocr.text import fold


@dataclass
class RawField:
    """A field's text as read, before normalization, with the words it came from."""

    name: str
    text: str
    words: list[Word]

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=0.0)


@dataclass(frozen=True)
class _Label:
    keys: tuple[str, ...]
    kind: str  # "field" or "section"
    name: str


def _keys(label: str) -> tuple[str, ...]:
    return tuple(word_key(Word(t, 1.0, 0, 0, 1, 1, 0, 0)) for t in label.split())


@lru_cache(maxsize=8)
def _labels(doc_type: str) -> list[_Label]:
    out = [_Label(_keys(v), "field", name) for name, vs in FIELDS[doc_type].items() for v in vs]
    for section, variants in SECTIONS.get(doc_type, {}).items():
        out += [_Label(_keys(v), "section", section) for v in variants]
    return sorted(out, key=lambda lab: (-len(lab.keys), -sum(map(len, lab.keys))))


@lru_cache(maxsize=65536)
def _similar(read: str, want: str) -> bool:
    if read == want:
        return True
    if len(want) <= 4 or not read or abs(len(read) - len(want)) > max(1, len(want) // 3):
        return False
    return difflib.SequenceMatcher(None, read, want).ratio() >= 0.8


@dataclass
class _Hit:
    label: _Label
    start: int
    end: int  # word index after the label


def _find_labels(seg: Segment, labels: list[_Label]) -> list[_Hit]:
    keys = [word_key(w) for w in seg.words]
    hits: list[_Hit] = []
    i = 0
    while i < len(keys):
        for lab in labels:
            k = len(lab.keys)
            if i + k > len(keys):
                continue
            # One-word labels ("Số", "Tại") are common words: only at a segment's start,
            # and followed by a colon or standing alone (their value across a gap).
            # Any other label must be followed by its colon unless it opens the segment.
            if k == 1 and (i != 0 or not (_colon_after(seg, 0) or len(keys) == 1)):
                continue
            if i > 0 and not _colon_after(seg, i + k - 1):
                continue
            if all(_similar(keys[i + j], lab.keys[j]) for j in range(k)):
                hits.append(_Hit(lab, i, i + k))
                i += k
                break
        else:
            i += 1
    return hits


def _colon_after(seg: Segment, last: int) -> bool:
    """Whether the word at ``last`` ends in a colon (or the next word starts with one).

    A full stop counts too: OCR often reads a colon followed by leader dots as one.
    """
    words = seg.words
    return words[last].text.rstrip("…").endswith((":", ".", ";", "·")) or (
        last + 1 < len(words) and words[last + 1].text.startswith((":", ";")))


_COLON = re.compile(r"^[:;.,]+|[:;]+$")


def clean_value_words(words: list[Word]) -> list[Word]:
    out = []
    for w in words:
        text = _COLON.sub("", w.text)
        # Stray quotes and lone marks ('ˆ', a modifier letter) are scanner dirt.
        if any(c.isalnum() and unicodedata.category(c) != "Lm" for c in text):
            out.append(Word(text, w.confidence, w.x, w.y, w.w, w.h, w.block, w.line))
    return out


@dataclass
class _Anchored:
    seg_index: int
    label: _Label
    words: list[Word]
    x: int  # where the label starts


def extract_raw(doc_type: str, words: list[Word]) -> dict[str, RawField]:
    """Raw field texts of a page already classified as ``doc_type``."""
    segs = segments(words)
    if not segs:
        return {}
    height = statistics.median(w.h for s in segs for w in s.words)
    labels = _labels(doc_type)
    hits_by_seg = [_find_labels(s, labels) for s in segs]
    labelled = {i for i, hits in enumerate(hits_by_seg) if hits}

    anchored: list[_Anchored] = []
    for i, (seg, hits) in enumerate(zip(segs, hits_by_seg, strict=True)):
        for n, hit in enumerate(hits):
            stop = hits[n + 1].start if n + 1 < len(hits) else len(seg.words)
            value = clean_value_words(seg.words[hit.end : stop])
            anchored.append(_Anchored(i, hit.label, value, seg.words[hit.start].x))

    column_split = _column_split(segs, hits_by_seg)
    used: set[int] = set()
    out: dict[str, RawField] = {}
    section: str | None = None
    for a in anchored:
        seg = segs[a.seg_index]
        words_ = a.words
        value_seg = a.seg_index
        last_on_line = a is _last_on_segment(anchored, a.seg_index)
        if not words_ and last_on_line:
            nxt = _right_of(segs, a.seg_index, labelled | used, column_split)
            if nxt is None:
                nxt = _next_below(segs, a.seg_index, labelled | used, height, (a.x,))
            if nxt is not None:
                used.add(nxt)
                value_seg = nxt
                words_ = clean_value_words(segs[nxt].words)
        if a.label.kind == "section":
            section = a.label.name
            name = "full_name"
        else:
            name = a.label.name
        if column_split is not None and seg.y > column_split[1] and name in SECTION_FIELDS["wife"]:
            section = "wife" if a.x >= column_split[0] else "husband"
        out_name = _output_name(doc_type, section, name)
        if out_name is None or not words_:
            continue
        if name in WRAPPING and last_on_line and not _whole_date(out_name, words_):
            xs = (seg.x, a.x, words_[0].x)
            words_ = words_ + _continuation(segs, value_seg, labelled | used, height, xs, used)
        if out_name not in out:
            out[out_name] = RawField(out_name, " ".join(w.text for w in words_), words_)
    return out


def _last_on_segment(anchored: list[_Anchored], seg_index: int) -> _Anchored:
    return [a for a in anchored if a.seg_index == seg_index][-1]


def _output_name(doc_type: str, section: str | None, name: str) -> str | None:
    if name.startswith("_"):
        return None
    if section in ("mother", "father"):
        mapped = SECTION_FIELDS[section].get(name)
        if mapped:
            return mapped
        if name in ("full_name", "date_of_birth", "sex", "personal_id"):
            return None  # a parent's field we do not keep
        return name
    if section in ("husband", "wife"):
        return SECTION_FIELDS[section].get(name, name)
    if doc_type == "marriage" and name in SECTION_FIELDS["husband"]:
        return None  # a person field before any heading: cannot say whose
    if doc_type == "birth" and name in ("birth_year", "residence"):
        return None  # parents' labels outside a parent's block
    return name


def _column_split(segs: list[Segment], hits_by_seg: list[list[_Hit]]) -> tuple[int, int] | None:
    """(x, y) of the wife's column heading when husband and wife headings share a row."""
    heads = {}
    for seg, hits in zip(segs, hits_by_seg, strict=True):
        for hit in hits:
            if hit.label.kind == "section" and hit.label.keys[:2] == ("thong", "tin"):
                heads[hit.label.name] = seg
    if "husband" in heads and "wife" in heads:
        h, w = heads["husband"], heads["wife"]
        if abs(h.y - w.y) < max(h.bottom - h.y, 1) * 2 and w.x > h.right:
            return (h.right + w.x) // 2, max(h.y, w.y)
    return None


def _right_of(segs: list[Segment], index: int, taken: set[int],
              column_split: tuple[int, int] | None) -> int | None:
    """The unlabelled segment right after segment ``index`` on the same row (and column)."""
    j = index + 1
    if j >= len(segs) or j in taken:
        return None
    seg, cand = segs[index], segs[j]
    same_row = seg.y <= (cand.y + cand.bottom) / 2 <= seg.bottom
    if not same_row or cand.x < seg.right:
        return None
    if column_split is not None and seg.y > column_split[1] and (
        (seg.x >= column_split[0]) != (cand.x >= column_split[0])
    ):
        return None
    return j


def _next_below(
    segs: list[Segment], index: int, taken: set[int], height: float, xs: tuple[int, ...]
) -> int | None:
    """The unlabelled segment just below segment ``index`` that starts near one of ``xs``
    (the label's or the value's left edge): the same column, not a block further right."""
    seg = segs[index]
    for j in range(index + 1, len(segs)):
        cand = segs[j]
        if cand.y <= seg.y + 0.5 * height:
            continue
        if cand.y > seg.bottom + 2.0 * height:
            return None
        aligned = any(abs(cand.x - x) < 5 * height for x in xs)
        if cand.x > seg.right or not aligned:
            continue
        return None if j in taken else j
    return None


def _continuation(
    segs: list[Segment], index: int, taken: set[int], height: float, xs: tuple[int, ...],
    used: set[int],
) -> list[Word]:
    """Words of unlabelled lines that continue a wrapped value (at most two lines)."""
    extra: list[Word] = []
    current = index
    for _ in range(2):
        nxt = _next_below(segs, current, taken, height, xs)
        if nxt is None or _names_a_person(segs[nxt]):
            break
        used.add(nxt)
        taken = taken | {nxt}
        extra += clean_value_words(segs[nxt].words)
        current = nxt
    return extra


def _names_a_person(seg: Segment) -> bool:
    """Three capitalised words in a row: a person's name (the next entry, its label
    misread), never the rest of an address, whose words are in title case."""
    run = 0
    for w in seg.words:
        letters = [c for c in w.text if c.isalpha()]
        run = run + 1 if len(letters) >= 2 and all(c.isupper() for c in letters) else 0
        if run >= 3:
            return True
    return False


_WHOLE_DATE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|nam\s*\d{4}")


def _whole_date(name: str, words: list[Word]) -> bool:
    """A date field whose first line already holds a whole date (with its year) does not
    wrap: the line below is the next entry (often the "Số:" line), not its rest."""
    if not (name.endswith("_date") or name.startswith("date_of")) or name.endswith("_words"):
        return False
    return bool(_WHOLE_DATE.search(fold(" ".join(w.text for w in words))))
