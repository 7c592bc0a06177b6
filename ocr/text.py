"""Small text helpers shared by extraction, correction and checks."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """ASCII-fold Vietnamese: 'Nguyễn Đức' -> 'Nguyen Duc' (đ/Đ handled explicitly)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Key for diacritic-, case- and spacing-insensitive comparison."""
    return squash_spaces(strip_diacritics(nfc(text)).lower())


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, cut off at ``limit + 1``: callers only ask
    whether two spellings are within ``limit`` edits, so the work stops once they are not."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


# --- tone placement --------------------------------------------------------------------------

TONE_MARKS = frozenset({"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"})
FIRST, SECOND = "first", "second"  # which vowel of oa, oe, uy carries the tone
_TWO_WAY = {("o", "a"), ("o", "e"), ("u", "y")}


def _letters(word: str) -> list[list[str]]:
    """The word's letters as [base, mark, mark...] lists (NFD)."""
    out: list[list[str]] = []
    for c in unicodedata.normalize("NFD", word):
        if unicodedata.combining(c) and out:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _two_way_cluster(letters: list[list[str]]) -> int | None:
    """Index of the first vowel of a word-final oa, oe or uy whose tone the two spelling
    conventions put in different places (hòa / hoà, thủy / thuỷ); ``None`` if there is none.

    Only open syllables differ: with a final consonant (hoàng, thuyền) both put it on the
    second vowel; after q the u is part of the consonant (quý), so the y carries it.
    """
    if len(letters) < 2:
        return None
    first, second = letters[-2], letters[-1]
    plain = [m for m in first[1:] + second[1:] if m not in TONE_MARKS]
    if plain or (first[0].lower(), second[0].lower()) not in _TWO_WAY:
        return None
    if first[0].lower() == "u" and len(letters) > 2 and letters[-3][0].lower() == "q":
        return None
    return len(letters) - 2


def tone_placement(word: str) -> str | None:
    """:data:`FIRST` for hòa, thủy; :data:`SECOND` for hoà, thuỷ; ``None`` when the word
    carries no tone on such a cluster (hoa, hoàng, quý): both conventions spell it alike."""
    letters = _letters(word)
    at = _two_way_cluster(letters)
    if at is None:
        return None
    for offset, style in ((0, FIRST), (1, SECOND)):
        if any(m in TONE_MARKS for m in letters[at + offset][1:]):
            return style
    return None


def with_placement(text: str, style: str) -> str:
    """``text`` with the tone of every two-way cluster on the vowel ``style`` names: the
    same spelling in the other convention ('Hoà Bình' -> 'Hòa Bình' for :data:`FIRST`)."""
    words = []
    for word in re.split(r"(\W+)", text):
        letters = _letters(word)
        at = _two_way_cluster(letters)
        if at is not None:
            tones = [m for m in letters[at][1:] + letters[at + 1][1:] if m in TONE_MARKS]
            if tones:
                for letter in letters[at : at + 2]:
                    letter[1:] = [m for m in letter[1:] if m not in TONE_MARKS]
                letters[at + (style == SECOND)].extend(tones)
                word = "".join("".join(letter) for letter in letters)
        words.append(word)
    return unicodedata.normalize("NFC", "".join(words))


def placement_of(text: str) -> str | None:
    """The convention a text shows (its first two-way cluster with a tone), or ``None``."""
    for word in re.findall(r"\w+", text):
        style = tone_placement(word)
        if style is not None:
            return style
    return None


# --- lost marks ------------------------------------------------------------------------------


def marks_per_letter(word: str) -> list[set[str]]:
    """Diacritics per letter ('Đ' counts as D plus a stroke), tone placement aside (the
    tone is read as sitting where :data:`FIRST` puts it), for comparing readings."""
    word = with_placement(word, FIRST).replace("Đ", "D\u0335").replace("đ", "d\u0335")
    return [set(letter[1:]) for letter in _letters(word)]


def adds_marks(candidate: str, read: str) -> bool:
    """True when ``candidate`` is ``read`` plus marks that the reading lost (THƯ for THU,
    NGUYỄN for NGUYÊN): same letters, every mark read is there, and one more at least.
    A mark read that the candidate lacks makes it another spelling, not a restoration."""
    cand, got = marks_per_letter(candidate), marks_per_letter(read)
    if len(cand) != len(got) or cand == got:
        return False
    bases = [letter[0].lower() for letter in _letters(strip_diacritics(candidate))]
    if bases != [letter[0].lower() for letter in _letters(strip_diacritics(read))]:
        return False
    return all(g <= c for c, g in zip(cand, got, strict=True))


def same_case_as(word: str, like: str) -> str:
    """``word`` with the letter case of ``like`` letter by letter (same letter count)."""
    letters, model = _letters(word), _letters(like)
    if len(letters) != len(model):
        return word.upper() if like.isupper() else word
    out = []
    for letter, other in zip(letters, model, strict=True):
        base = letter[0].upper() if other[0].isupper() else letter[0].lower()
        out.append(base + "".join(letter[1:]))
    return unicodedata.normalize("NFC", "".join(out))


_VIETNAMESE_MARKS = frozenset({*TONE_MARKS, "\u0302", "\u0306", "\u031b"})  # ^, breve, horn
_DIGIT_IN_WORD = re.compile(r"[^\W\d_]\d|\d[^\W\d_]")


def spellable(text: str, letters: str = "abcdđeghiklmnopqrstuvxy") -> bool:
    """Whether ``text`` could be printed Vietnamese: only ``letters`` (place names add
    j, w and z), digits and the punctuation of names and addresses, and marks only of
    Vietnamese kinds and only on vowels, and no digit inside a word. 'Tñnh', 'S¡', 'Na1'
    or 'NGUYFN' cannot be: such a reading is a misreading, not a spelling."""
    if _DIGIT_IN_WORD.search(text):
        return False
    previous = ""
    for c in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(c):
            if c not in _VIETNAMESE_MARKS or previous not in "aeiouy":
                return False
        elif not (c in letters or c.isdigit() or c in " '-.,/"):
            return False
        else:
            previous = c
    return True


def letter_marks(text: str) -> list[tuple[str, frozenset[str]]]:
    """(letter, its marks) for every letter and digit of ``text``, spaces, punctuation and
    case aside, and tone placement too (read as :data:`FIRST` puts it)."""
    out = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFC", text)):
        word = with_placement(word, FIRST).replace("Đ", "D\u0335").replace("đ", "d\u0335")
        out += [(letter[0].lower(), frozenset(letter[1:])) for letter in _letters(word)]
    return out
