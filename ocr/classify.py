"""Document type from the printed title and, for results of procedures, the layout
(docs/documents.md, docs/forms.md).

A dossier result may be any kind of paper (even a reissued certificate), so the
"Mã hồ sơ" marker outranks the title. Matching is fuzzy and accent-blind because titles
are printed large and bold, where Tesseract tends to lose the stacked diacritics.

Most results carry no "Mã hồ sơ": they are known by the standard layout of an official
text instead, the national motto at the top right, "Số: 47/QĐ-UBND" under the agency
at the top left, "<place>, ngày ... tháng ... năm ..." and a title such as QUYẾT ĐỊNH.
A civil-status certificate has the same header, so its title is looked for first, among
the headings printed in capitals (a decision's recitals may name a "giấy khai sinh").
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache

from ocr.engines import Word
from ocr.labels import DOSSIER_MARKERS, TITLES
from ocr.layout import Segment, segments
from ocr.lexicon import DATA_DIR
from ocr.text import fold

_MIN_SCORE = 0.8
_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")
# "Số: 47/QĐ-UBND", also with the digits handwritten and lost ("Số:    /QĐ-UBND").
_RESULT_NUMBER = re.compile(r"^so\s*[:;.,]?\s*[^\s/]{0,8}\s*/\s*[^\W\d_]")
_PLACE_DATE = re.compile(r"\bngay\b.{0,12}\bthang\b.{0,12}\bnam\b")
_CAPITALS = 0.7  # share of capital letters that makes a line a heading


def _score(text: str, title: str) -> float:
    if title in text:
        return 1.0
    if not text:
        return 0.0
    matcher = difflib.SequenceMatcher(None, text, title)
    block = matcher.find_longest_match(0, len(text), 0, len(title))
    start = max(0, block.a - block.b)
    window = text[start : start + len(title)]
    return difflib.SequenceMatcher(None, window, title).ratio()


def classify(words: list[Word]) -> tuple[str, float]:
    """(doc_type, score in 0..1); ``unknown`` when no title or layout is recognised."""
    segs = segments(words)
    texts = [fold(s.text) for s in segs]
    for marker in DOSSIER_MARKERS:
        key = fold(marker)
        if any(_score(t, key) >= 0.9 for t in texts):
            return "dossier_result", 1.0
    headings = [t for s, t in zip(segs, texts, strict=True) if _is_heading(s)]
    found = _best_title(headings)
    if found[1] >= _MIN_SCORE and (found[1] == 1.0 or not _result_heading(headings)):
        return found
    if _result_heading(headings):
        return "dossier_result", 0.9
    if admin_layout(segs):
        return "dossier_result", 0.9
    found = _best_title(texts)
    return found if found[1] >= _MIN_SCORE else ("unknown", found[1])


def _result_heading(headings: list[str]) -> bool:
    """Whether a heading is, word for word, the title of a procedure's result that no
    civil-status paper bears ("GIẤY CHỨNG NHẬN", "QUYẾT ĐỊNH"): such a heading is near
    enough to "GIẤY CHỨNG TỬ" for the fuzzy match, which must not take it for one."""
    return any(h.strip(" .:;,") in _titles_of_results_only() for h in headings)


@lru_cache(maxsize=1)
def _titles_of_results_only() -> frozenset[str]:
    civil = {fold(t) for titles in TITLES.values() for t in titles}
    return frozenset(result_titles()) - civil


def _best_title(texts: list[str]) -> tuple[str, float]:
    best, best_score = "unknown", 0.0
    for doc_type, titles in TITLES.items():
        for title in titles:
            key = fold(title)
            score = max((_score(t, key) for t in texts), default=0.0)
            if score > best_score:
                best, best_score = doc_type, score
    return best, best_score


def _is_heading(seg: Segment) -> bool:
    letters = [c for c in seg.text if c.isalpha()]
    return len(letters) >= 5 and sum(c.isupper() for c in letters) >= _CAPITALS * len(letters)


def admin_layout(segs: list[Segment]) -> bool:
    """Whether the page is laid out as an official text: the national motto in the
    page's upper part with a result number carrying its type suffix ("Số: 47/QĐ-UBND")
    and the place-and-date line, or with either of them and a known result title."""
    if not segs:
        return False
    top, bottom = min(s.y for s in segs), max(s.bottom for s in segs)
    upper = [s for s in segs if s.y < top + 0.45 * (bottom - top)]
    texts = [fold(s.text) for s in upper]
    if not any(_score(t, m) >= _MIN_SCORE for t in texts for m in _MOTTO):
        return False
    numbered = any(_RESULT_NUMBER.match(t) for t in texts)
    dated = any(_PLACE_DATE.search(t) for t in texts)
    titled = any(
        _is_heading(s) and _score(t, title) >= 0.85
        for s, t in zip(upper, texts, strict=True)
        for title in result_titles()
    )
    return (numbered and dated) or ((numbered or dated) and titled)


@lru_cache(maxsize=1)
def result_titles() -> tuple[str, ...]:
    """The first words of the known result titles ("quyet dinh", "giay phep", ...), folded:
    a title such as "GIẤY PHÉP XÂY DỰNG" starts with one."""
    titles = json.loads((DATA_DIR / "result_titles.json").read_text(encoding="utf-8"))
    return tuple(sorted({fold(t) for t in titles}, key=len))
