"""Fields by anchoring on printed labels.

The reading lines (:mod:`ocr.layout`) are scanned for the labels of the document type
(:mod:`ocr.labels`), matched without regard to accents, case and punctuation and with
some tolerance for OCR misreadings (words run together, a letter misread). The value is
what follows the label on the same line, or the next line when the label ends its line
(up to the next label there); place-like values may wrap onto the following lines.
Section headings (mother, father, husband, wife) decide which person a generic label such
as "Dân tộc" belongs to; on the two-column marriage form, the column does, and lines that
OCR merged across the two columns are cut apart first.
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ocr.engines import Word
from ocr.forms import closes, strip_closing
from ocr.labels import (
    ALIASES,
    FIELDS,
    OPENS_DECLARANT,
    PARENT,
    PERSON,
    PERSON_ENTRIES,
    REGISTRATION_FIELDS,
    SECTION_FIELDS,
    SECTIONS,
    WRAPPING,
)
from ocr.layout import Segment, reading_order, segments, split_glued, word_key
from ocr.normalize import field_kind
from ocr.text import edit_distance, fold


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
    joined: str = field(init=False)  # the keys run together

    def __post_init__(self) -> None:
        object.__setattr__(self, "joined", "".join(self.keys))


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


def allowed_edits(label: str) -> int:
    """Letters a misread label may differ by, counted on the label's words run together.

    Short labels must be exact ("Số", "Tại", "Họ tên"): with an edit they would match
    ordinary words. Longer ones tolerate what Tesseract does to small bold print, such
    as ``Nơi chất`` for ``Nơi chết``; two labels of one form differ by more than this.
    """
    n = len(label)
    return 0 if n < 6 else 1 if n < 12 else 2 if n < 20 else 3


# The same few label spellings are compared on every page.
label_distance = lru_cache(maxsize=65536)(edit_distance)


@dataclass
class _Hit:
    label: _Label
    start: int
    end: int  # word index after the label


def _find_labels(seg: Segment, labels: list[_Label]) -> list[_Hit]:
    keys = [word_key(w) for w in seg.words]
    colons = [_colon_after(seg, m) for m in range(len(keys))]
    hits: list[_Hit] = []
    i = 0
    while i < len(keys):
        hit = _label_at(keys, colons, i, labels)
        if hit is None:
            i += 1
        else:
            hits.append(hit)
            i = hit.end
    return hits


def _label_at(keys: list[str], colons: list[bool], i: int, labels: list[_Label]) -> _Hit | None:
    """The label that starts at word ``i`` of a segment, if any.

    A label is read word for word, each word close to the printed one; or, when OCR ran
    words together (``Nơisinh``, ``Họ vàtên``) or split or misread them, as its letters
    run together, a few edits away. Unless exact, that looser reading must end in the
    label's colon (or be all there is on its line): a value never does, so it is not
    taken for a label.
    """
    if not keys[i]:
        return None  # a dash or a stray mark opens no label
    # A label ends at the first colon: the words after it are not the label's.
    last = next((m for m in range(i, len(keys)) if colons[m]), len(keys) - 1)
    best: tuple[int, _Hit] | None = None
    for lab in labels:
        k = len(lab.keys)
        if k == 1:
            # One-word labels ("Số", "Tại") are common words: only at a segment's start,
            # and followed by a colon or standing alone (their value across a gap).
            if i == 0 and keys[0] == lab.keys[0] and (colons[0] or len(keys) == 1):
                return _Hit(lab, 0, 1)
            continue
        limit = allowed_edits(lab.joined)
        # A long label read word for word may run past a full stop the reader put for a
        # comma ("Ngày. tháng. năm đăng ký"); a shorter one ends at the first colon.
        end = min(len(keys), i + k + 1) if k >= _LONG_LABEL else min(last + 1, i + k + 1)
        for j in range(i + 1, end + 1):
            colon = colons[j - 1]
            if i > 0 and not colon and k < _LONG_LABEL:
                continue  # any label but the segment's first must end in its colon
            read = "".join(keys[i:j])
            if len(read) > len(lab.joined) + limit:
                break
            if j - i == k and all(_similar(keys[i + n], lab.keys[n]) for n in range(k)):
                distance = 0
            else:
                distance = label_distance(read, lab.joined, limit)
                if distance > limit or not (colon or i == 0 and (j == len(keys) or not distance)):
                    continue
            score = len(lab.joined) - 3 * distance
            if best is None or score > best[0]:
                best = (score, _Hit(lab, i, j))
    return best[1] if best else None


# Words from which a label read word for word is a label even inside a line and without
# its colon ("... tỉnh Vĩnh Long Ngày. tháng, năm đăng ký 29/09/2017", the colon lost).
# Four is too few: the signature's "(Ký, ghi rõ họ, chữ đệm, tên, ...)" holds a label of
# four words ("Họ, chữ đệm, tên").
_LONG_LABEL = 5


def _colon_after(seg: Segment, last: int) -> bool:
    """Whether the word at ``last`` ends in a colon (or the next word starts with one).

    A full stop counts too: OCR often reads a colon followed by leader dots as one.
    """
    words = seg.words
    return words[last].text.rstrip("…").endswith((":", ".", ";", "·")) or (
        last + 1 < len(words) and words[last + 1].text.startswith((":", ";"))
    )


_COLON = re.compile(r"^[:;.,]+|[:;]+$")


def clean_value_words(words: list[Word]) -> list[Word]:
    out = []
    for w in words:
        text = _COLON.sub("", w.text)
        width = w.w
        if closes(text):
            # "./." closes an official text's last entry; its box shrinks with it, so
            # that a second reading of the value's crop does not read it again.
            kept = strip_closing(text)
            width = max(1, round(w.w * _ink_width(kept) / max(_ink_width(w.text), 1e-6)))
            text = kept
        # Stray quotes and lone marks ('ˆ', a modifier letter) are scanner dirt.
        if any(c.isalnum() and unicodedata.category(c) != "Lm" for c in text):
            out.append(Word(text, w.confidence, w.x, w.y, width, w.h, w.block, w.line))
    return out


def _ink_width(text: str) -> float:
    """A word's width in letters, punctuation counting for less than half a letter."""
    return sum(1.0 if c.isalnum() else 0.45 for c in text)


@dataclass
class _Anchored:
    seg_index: int
    label: _Label
    words: list[Word]
    x: int  # where the label starts
    label_right: int  # where the label's last word ends
    limit: int | None  # where the next label on its segment starts, if any


@dataclass(frozen=True)
class EmptyLabel:
    """A label of a field found on the page with no value read after it.

    ``box`` (x0, y0, x1, y1 on the prepared page) is where its value would be printed:
    from the label's end to the next label, segment or column on its row (``x1`` is
    ``None`` when nothing bounds it but the page's text).
    """

    field: str
    box: tuple[int, int, int | None, int]


@dataclass(frozen=True)
class LostEntry:
    """A person's entry read where no heading says whose it is: a block whose heading
    line was lost (the father's entries after the mother's, with "Họ, chữ đệm, tên người
    cha" unread), or a parent's entry before any parent. It fills no field."""

    label: str  # the entry's field name ("residence", "birth_year", ...)
    after: str | None  # the block it followed ("mother", ...; None: the record's subject)
    box: tuple[int, int, int, int]


@dataclass
class FormReading:
    """What the labels of a page gave: raw values, labels without one, entries lost."""

    raw: dict[str, RawField]
    empty: list[EmptyLabel] = field(default_factory=list)
    lost: list[LostEntry] = field(default_factory=list)


_LOST = "?"  # the section of entries whose heading was not read
PARENT_ONLY = set(PARENT) - set(PERSON)
PLACES = {"place_of_birth", "hometown", "residence", "registration_place", "place_of_death"}
_FULL_DATE = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ngay\D{0,3}\d{1,2}\D+\d{1,2}\D+\d{4}"
)


def extract_raw(doc_type: str, words: list[Word]) -> dict[str, RawField]:
    """Raw field texts of a page already classified as ``doc_type``."""
    return read_form(doc_type, words).raw


def read_form(doc_type: str, words: list[Word]) -> FormReading:
    """Raw field texts of a page already classified as ``doc_type``, with the labels
    that gave no value and the entries whose owner could not be told."""
    segs = segments(split_glued(words))
    if not segs:
        return FormReading({})
    height = statistics.median(w.h for s in segs for w in s.words)
    labels = _labels(doc_type)
    hits_by_seg = [_find_labels(s, labels) for s in segs]
    columns = _column_split(segs, hits_by_seg, height)
    if columns is not None:
        segs = _split_at_column(segs, columns, height)
        hits_by_seg = [_find_labels(s, labels) for s in segs]
    # Words before a segment's first label are free to be another label's value; a
    # segment that opens with a label has none.
    lead = [
        hits[0].start if hits else len(seg.words)
        for seg, hits in zip(segs, hits_by_seg, strict=True)
    ]
    opens_labelled = {i for i, n in enumerate(lead) if n == 0}

    anchored: list[_Anchored] = []
    for i, (seg, hits) in enumerate(zip(segs, hits_by_seg, strict=True)):
        for n, hit in enumerate(hits):
            stop = hits[n + 1].start if n + 1 < len(hits) else len(seg.words)
            value = clean_value_words(seg.words[hit.end : stop])
            limit = seg.words[stop].x if stop < len(seg.words) else None
            anchored.append(
                _Anchored(
                    i, hit.label, value, seg.words[hit.start].x, seg.words[hit.end - 1].right, limit
                )
            )

    used: set[int] = set()
    reading = FormReading({})
    out = reading.raw
    blocks = _Blocks(doc_type)
    for a in anchored:
        seg = segs[a.seg_index]
        words_ = a.words
        value_seg = a.seg_index
        last_on_line = a is _last_on_segment(anchored, a.seg_index)
        taken = used | opens_labelled
        if not words_ and last_on_line:
            nxt = _right_of(segs, a.seg_index, taken, columns)
            if nxt is None:
                nxt = _next_below(segs, a.seg_index, taken, height, (a.x,))
            if nxt is not None and not (a.label.name in PLACES and _names_a_person(segs[nxt])):
                # (A place's line below is never a person's name: the next block's
                # heading, its label lost.)
                used.add(nxt)
                value_seg = nxt
                words_ = clean_value_words(segs[nxt].words[: lead[nxt]])
        name = "full_name" if a.label.kind == "section" else a.label.name
        by_column = columns is not None and seg.y > columns.top
        if by_column and name in SECTION_FIELDS["wife"]:
            blocks.section = "wife" if a.x >= columns.x else "husband"
        else:
            blocks.enter(a.label, guard=not by_column)
        if blocks.section == _LOST:
            if name in PERSON_ENTRIES and not name.startswith("_"):
                box = (a.x, seg.y, a.label_right, seg.bottom)
                reading.lost.append(LostEntry(name, blocks.lost_after, box))
            continue
        out_name = _output_name(doc_type, blocks.section, name)
        if out_name is None:
            continue
        if not words_:
            if not _pure_heading(a.label):
                right = a.limit if a.limit is not None else _row_limit(segs, a.seg_index, columns)
                box = (a.label_right, seg.y, right, seg.bottom)
                reading.empty.append(EmptyLabel(out_name, box))
            continue
        # A value taken from the first words of a labelled segment ends with them.
        whole_seg = value_seg == a.seg_index or lead[value_seg] == len(segs[value_seg].words)
        if name in WRAPPING and last_on_line and whole_seg and not _whole_date(out_name, words_):
            xs = (_row_start(segs, a.seg_index, columns), seg.x, a.x, words_[0].x)
            words_ = words_ + _continuation(segs, value_seg, used, opens_labelled, lead, height, xs)
        if field_kind(out_name) == "name" and _running_text(words_):
            continue
        if out_name not in out:
            out[out_name] = RawField(out_name, " ".join(w.text for w in words_), words_)
    _parent_dates(out)
    return reading


class _Blocks:
    """Whose block the labels read so far are in: the record's subject (``None``), a
    person named by a heading, the declarant, or nobody known (:data:`_LOST`).

    A person's entry met a second time in one block is the next person's, whose heading
    was not read: it and the entries after it fill no field until a heading or the
    registration's labels say again whose they are. On a birth record, a parent's entry
    before any parent is the same sign.
    """

    def __init__(self, doc_type: str):
        self.doc_type = doc_type
        self.section: str | None = None
        self.lost_after: str | None = None
        self.seen: dict[str | None, set[str]] = {}

    def enter(self, label: _Label, *, guard: bool) -> None:
        name = label.name
        if label.kind == "section":
            self.section = name
            self.seen[name] = {"full_name"}
            return
        if name in OPENS_DECLARANT:
            self.section = "declarant"
            return
        if name in REGISTRATION_FIELDS:
            if self.section in ("declarant", _LOST):
                self.section = None
            return
        if not guard or self.section in ("declarant", _LOST) or name not in PERSON_ENTRIES:
            return
        seen = self.seen.setdefault(self.section, set())
        orphan = self.doc_type == "birth" and self.section is None and name in PARENT_ONLY
        if name in seen or orphan:
            self.lost_after, self.section = self.section, _LOST
            return
        seen.add(name)


def _pure_heading(label: _Label) -> bool:
    """A heading with no value of its own ("Thông tin người chồng"): the name follows
    under its own label."""
    return label.kind == "section" and label.keys[:2] == ("thong", "tin")


def _row_limit(segs: list[Segment], index: int, columns: _Columns | None) -> int | None:
    """Where the row of segment ``index`` ends for its last label's value: the next
    segment to its right, or the right column's edge for a label of the left column."""
    seg = segs[index]
    right = [s.x for s in segs if s.x > seg.right and s.y <= (seg.y + seg.bottom) / 2 <= s.bottom]
    if columns is not None and columns.top < seg.y < columns.bottom and seg.x < columns.x:
        right.append(columns.x)
    return min(right, default=None)


def _parent_dates(out: dict[str, RawField]) -> None:
    """A parent's "Năm sinh" printed as a full date (19/7/1998) gives both the year and
    the date; a date of birth printed alone gives the year too."""
    for parent in ("mother", "father"):
        year, dob = f"{parent}_birth_year", f"{parent}_date_of_birth"
        if year in out and dob not in out and _FULL_DATE.search(fold(out[year].text)):
            out[dob] = RawField(dob, out[year].text, out[year].words)
        elif dob in out and year not in out:
            out[year] = RawField(year, out[dob].text, out[dob].words)


def _row_start(segs: list[Segment], index: int, columns: _Columns | None) -> int:
    """Left edge of the row (of its column) that segment ``index`` is on: a value that
    starts far right, after another entry, wraps back to the margin."""
    seg = segs[index]
    in_row = [s.x for s in segs if s.y <= (seg.y + seg.bottom) / 2 <= s.bottom and s.x <= seg.x]
    if columns is not None and seg.y > columns.top:
        in_row = [x for x in in_row if (x >= columns.x) == (seg.x >= columns.x)]
    return min(in_row, default=seg.x)


def _last_on_segment(anchored: list[_Anchored], seg_index: int) -> _Anchored:
    return [a for a in anchored if a.seg_index == seg_index][-1]


def _output_name(doc_type: str, section: str | None, name: str) -> str | None:
    if name.startswith("_") or section == "declarant":
        return None
    if section in ("mother", "father"):
        mapped = SECTION_FIELDS[section].get(name)
        if mapped:
            return mapped
        if name in ("full_name", "sex", "personal_id", "id_paper"):
            return None  # a parent's field we do not keep
        return name
    if section in ("husband", "wife"):
        return SECTION_FIELDS[section].get(name, ALIASES.get(name, name))
    if doc_type == "marriage" and name in SECTION_FIELDS["husband"]:
        return None  # a person field before any heading: cannot say whose
    if doc_type == "birth" and name in PARENT_ONLY:
        return None  # parents' labels outside a parent's block
    return ALIASES.get(name, name)


@dataclass(frozen=True)
class _Columns:
    """Where the two spouse columns of the marriage form are on the page."""

    x: int  # the right column starts here
    top: int  # below the column headings...
    bottom: int  # ...and above the first entry that spans the page (registration)


def _column_split(
    segs: list[Segment], hits_by_seg: list[list[_Hit]], height: float
) -> _Columns | None:
    """The two spouse columns, when husband and wife headings share a row.

    The right column starts at the left edge of its labels, which are flush left in it
    (a little less, as a skewed scan wobbles); without such a label, halfway between the
    headings.
    """
    heads = {}
    for seg, hits in zip(segs, hits_by_seg, strict=True):
        for hit in hits:
            if hit.label.kind == "section" and hit.label.keys[:2] == ("thong", "tin"):
                heads[hit.label.name] = seg
    if "husband" not in heads or "wife" not in heads:
        return None
    h, w = heads["husband"], heads["wife"]
    if abs(h.y - w.y) >= max(h.bottom - h.y, 1) * 2 or w.x <= h.right:
        return None
    middle, top = (h.right + w.x) // 2, max(h.bottom, w.bottom)
    below = [
        (seg, hit)
        for seg, hits in zip(segs, hits_by_seg, strict=True)
        if seg.y > top
        for hit in hits
        if hit.label.kind == "field"
    ]
    spanning = [
        seg.y
        for seg, hit in below
        if hit.label.name not in SECTION_FIELDS["wife"] and not hit.label.name.startswith("_")
    ]
    bottom = min(spanning, default=max(s.bottom for s in segs) + 1)
    # A label of the right column begins a segment, or follows the left column's text
    # on a merged line: either way, its first word is right of the middle.
    starts = [
        seg.words[hit.start].x
        for seg, hit in below
        if seg.y < bottom and seg.words[hit.start].x > middle - height
    ]
    x = round(min(starts) - height) if starts else middle
    return _Columns(x, top, bottom)


def _split_at_column(segs: list[Segment], columns: _Columns, height: float) -> list[Segment]:
    """Segments between the headings and the registration cut where the right column
    starts.

    The columns of the marriage form are close; a line of the left column that runs
    to its edge leaves too narrow a gap for :func:`ocr.layout.segments` to split it from
    the line beside it. It still leaves more than a space between words.
    """
    out: list[Segment] = []
    for seg in segs:
        left = [w for w in seg.words if w.x < columns.x]
        right = seg.words[len(left) :]
        if (
            not columns.top < seg.y < columns.bottom
            or not left
            or not right
            or right[0].x - left[-1].right < 0.8 * height
        ):
            out.append(seg)
            continue
        out += [Segment(left), Segment(right)]
    return reading_order(out)


def _right_of(
    segs: list[Segment], index: int, taken: set[int], columns: _Columns | None
) -> int | None:
    """The unlabelled segment right after segment ``index`` on the same row (and column)."""
    j = index + 1
    if j >= len(segs) or j in taken:
        return None
    seg, cand = segs[index], segs[j]
    same_row = seg.y <= (cand.y + cand.bottom) / 2 <= seg.bottom
    if not same_row or cand.x < seg.right:
        return None
    if (
        columns is not None
        and seg.y > columns.top
        and ((seg.x >= columns.x) != (cand.x >= columns.x))
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
        # Under a short label ("Tại:") the value may start right of the label's end.
        if cand.x > max(seg.right, seg.x + 3 * height) or not aligned:
            continue
        return None if j in taken else j
    return None


def _continuation(
    segs: list[Segment],
    index: int,
    used: set[int],
    opens_labelled: set[int],
    lead: list[int],
    height: float,
    xs: tuple[int, ...],
) -> list[Word]:
    """Words of the lines below that continue a wrapped value (at most two lines).

    A line that holds a label after its first words ends the value there.
    """
    extra: list[Word] = []
    current = index
    for _ in range(2):
        nxt = _next_below(segs, current, used | opens_labelled, height, xs)
        if nxt is None or _names_a_person(segs[nxt]):
            break
        used.add(nxt)
        extra += clean_value_words(segs[nxt].words[: lead[nxt]])
        if lead[nxt] < len(segs[nxt].words):
            break
        current = nxt
    return extra


def _running_text(words: list[Word]) -> bool:
    """A name's label read in a sentence ("Người được cấp có trách nhiệm thực hiện ..."):
    what follows it starts with a small letter, which no printed name does, and reads
    well as words. A scribble in the name's slot ("v⁄/~/XL WX", at no confidence) is not
    a sentence: it stays the value, for a person to check."""
    first = next((c for c in words[0].text if c.isalpha()), "")
    if not first.islower() or not words[0].text.isalpha():
        return False
    return sum(w.confidence for w in words) / len(words) >= _SENTENCE_CONFIDENCE


_SENTENCE_CONFIDENCE = 0.5


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
