"""Names, ethnic groups, places and set phrases read by OCR, checked against lists.

A value is what the page says. Tesseract reads Vietnamese letters well but often drops
the stacked diacritics ("NGUYÊN" for "NGUYỄN"), so the lists (``data/names.json``, the 54
groups, the unit lists, result titles, common causes of death) look a reading up by its
letters, tone placement aside (HOÀ and HÒA are one entry), and what comes back is:

- the reading as printed, placement included, when a list knows it so: the OCR
  confidence is kept (a list may vouch for it, see :data:`ISOLATED_CONFIDENCE`);
- marks the reading lost, put back from the one spelling its letters fit (NGUYÊN ->
  NGUYỄN), in the tone placement the value is printed in: ``restored``, and capped at
  :data:`RESTORED_CAP`, below acceptance: no reading gave that value, so it is not sure
  by itself; a second reading that agrees makes it so (:mod:`ocr.rereading`). Several
  spellings fit (TUONG: TƯỜNG or TƯỞNG): the closest, at :data:`GUESS_CAP`;
- a reading with a mark or a letter no spelling of the list has (THỤY where the names
  hold THỦY, NGUYỀN, DƯ where given names hold DỰ, HỢT): kept as read, at
  :data:`GUESS_CAP`, with the list's spelling only as a ``suggestion`` for review. Only a
  reading no Vietnamese spelling can be (NGUYFN, CHT, Tñnh, HƯỲNH) is repaired, and then
  it is ``restored``, never sure by itself;
- a closed list's entry (an ethnic group, the committee's fixed name, a result title)
  for a reading of its letters whatever its marks: the page can print nothing else
  there, but it is sure only when read exactly;
- a token no list knows (a rare name, HOẠCH): kept as read, capped at
  :data:`UNKNOWN_CAP`, just below acceptance, so a person looks at it once.

Each ``read_*`` function returns a :class:`Reading` (value, confidence, restored,
suggestion); the ``correct_*`` ones, the (value, confidence) pair extraction uses.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import (
    adds_marks,
    fold,
    nfc,
    placement_of,
    spellable,
    squash_spaces,
    with_placement,
)
from ocr.units import (
    OTHERWISE,
    RESTORED,
    accent_key,
    key,
    prefix_before_chain,
    read_place,
    short_of,
    spell_as_read,
    unit_missed,
    unit_names,
    whole_chain,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
ACCENT_CAP = 0.9
GUESS_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.1, 2)  # 0.7: below the auto-accept threshold
FUZZY_NAME_CUTOFF = 0.8
UNKNOWN_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.01, 2)  # a token no lexicon knows
# Marks (or a letter) a list supplied that the reading lacked: the value is then not a
# reading, and cannot be sure by itself; another reading that agrees can make it so.
RESTORED_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.02, 2)
# A token whose letters fit exactly one lexicon spelling, with no other entry one letter
# away, is settled by its letters alone: Tesseract's doubt about its stacked marks (the
# tilde of NGUYỄN) does not matter, the lexicon restores them.
ISOLATED_CONFIDENCE = round(AUTO_ACCEPT_CONFIDENCE + 0.05, 2)
ISOLATED_MIN_LETTERS = 4  # shorter keys (VÕ/VŨ, LÊ/LÝ) have too many near neighbours
CHAIN_CONFIRMED = round(AUTO_ACCEPT_CONFIDENCE + 0.05, 2)  # a place the unit lists vouch for...
CHAIN_FLOOR = 0.4  # ...read with at least this much word confidence

_HORN_Y = re.compile("Ư(?=[YÝỲỶỸỴ])")
_NAME_JUNK = re.compile(r"[^\w\s'-]|[\d_]")


@dataclass(frozen=True)
class NameLexicon:
    surnames: dict[str, list[str]]  # folded key -> upper-case accented forms, commonest first
    middle: dict[str, list[str]]
    given: dict[str, list[str]]


def _index(words: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in words:
        upper = nfc(w).upper()
        forms = out.setdefault(key(upper), [])
        if upper not in forms:
            forms.append(upper)
    return out


@lru_cache(maxsize=1)
def name_lexicon() -> NameLexicon:
    data = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    return NameLexicon(_index(data["surnames"]), _index(data["middle"]), _index(data["given"]))


def load() -> None:
    """Read every list now rather than at first use (see :func:`ocr.units.load`)."""
    name_lexicon()
    _ethnic_index()
    _titles_index()
    _causes_index()


@dataclass(frozen=True)
class EthnicGroup:
    code: str
    name: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def ethnic_groups() -> tuple[EthnicGroup, ...]:
    """The 54 official groups in official code order (the project keeps this list: see
    docs/reference-data.md)."""
    data = json.loads((DATA_DIR / "ethnic_groups.json").read_text(encoding="utf-8"))
    return tuple(
        EthnicGroup(g["code"], nfc(g["name"]), tuple(nfc(a) for a in g["aliases"])) for g in data
    )


VIETNAM = "Việt Nam"
# CLDR territory codes that are not countries a person holds the nationality of.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"})


@lru_cache(maxsize=1)
def nationalities() -> tuple[str, ...]:
    """Countries by their Vietnamese names (CLDR, through Babel), Việt Nam first: the
    closed list a nationality is typed from and an agreed reading is checked against."""
    from babel import Locale

    names = {
        nfc(name)
        for code, name in Locale("vi").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    names.discard(VIETNAM)
    return (VIETNAM, *sorted(names, key=fold))


@lru_cache(maxsize=1)
def _ethnic_index() -> dict[str, EthnicGroup]:
    index: dict[str, EthnicGroup] = {}
    for group in ethnic_groups():
        for spelling in (group.name, *group.aliases):
            index.setdefault(key(spelling), group)
    return index


def is_ethnic_group(name: str) -> bool:
    """True when ``name`` is the canonical name of an official group (tone placement aside)."""
    ak = accent_key(name)
    return any(accent_key(g.name) == ak for g in ethnic_groups())


# --- names -------------------------------------------------------------------------------


def _lists_for(position: int, count: int) -> tuple[dict[str, list[str]], ...]:
    """Which lexicon lists a token is looked up in, most likely first, by its position."""
    lex = name_lexicon()
    if position == 0:
        return lex.surnames, lex.middle, lex.given
    if position == count - 1:
        return lex.given, lex.middle, lex.surnames
    return lex.middle, lex.given, lex.surnames


def _closest_form(token: str, forms: list[str]) -> str:
    """Among forms sharing the letters, the one whose accents look most like what was read."""
    ak = accent_key(token)
    return max(forms, key=lambda f: difflib.SequenceMatcher(None, ak, accent_key(f)).ratio())


def _list_name(lst: dict[str, list[str]]) -> str:
    lex = name_lexicon()
    return next(n for n in ("surnames", "middle", "given") if getattr(lex, n) is lst)


@lru_cache(maxsize=4096)
def _isolated(k: str, list_name: str) -> bool:
    """Whether key ``k`` has one spelling in the list and no other key one edit away
    (a letter changed, added or dropped), so a reading of its letters cannot be another
    name with a misread letter."""
    lst: dict[str, list[str]] = getattr(name_lexicon(), list_name)
    if len(k) < ISOLATED_MIN_LETTERS or len(lst.get(k, ())) != 1:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    near = {k[:i] + k[i + 1 :] for i in range(len(k))}
    near |= {k[:i] + c + k[i + 1 :] for i in range(len(k)) for c in letters}
    near |= {k[:i] + c + k[i:] for i in range(len(k) + 1) for c in letters}
    near.discard(k)
    return not any(n in lst for n in near)


def token_is_isolated(token: str, position: int, count: int) -> bool:
    """The token's letters name one lexicon spelling, which keeps every mark read."""
    k = key(token)
    lst = next((lst for lst in _lists_for(position, count) if k in lst), None)
    if lst is None or not _isolated(k, _list_name(lst)):
        return False
    form = lst[k][0]
    return accent_key(form) == accent_key(token) or adds_marks(form, token)


def token_has_siblings(token: str, position: int, count: int) -> bool:
    """Other spellings share the token's letters in its list (THỦY, THỤY, THÚY, THÙY):
    its marks, not its letters, decide which name it is."""
    k = key(token)
    lst = next((lst for lst in _lists_for(position, count) if k in lst), None)
    return lst is not None and len(lst[k]) > 1


@dataclass(frozen=True)
class TokenReading:
    """What the lexicon makes of one name token (see :func:`read_token`)."""

    value: str
    confidence: float
    doubtful: bool = False  # kept as read, though sibling spellings share its letters
    restored: bool = False  # carries marks (or a letter) the reading did not: not a reading
    suggestion: str | None = None  # a lexicon spelling the token was NOT changed to


def _in_style(form: str, style: str | None) -> str:
    return with_placement(form, style) if style else form


def read_token(
    token: str, position: int, count: int, confidence: float, style: str | None = None
) -> TokenReading:
    """One upper-case name token at ``position`` of ``count`` tokens, as the page prints it.

    The token is looked up by its letters, tone placement aside (HOÀ and HÒA are one
    entry). What comes back:

    - a token the lexicon knows as read: kept as read, placement included;
    - marks the reading lost, where its letters fit one spelling (NGUYÊN -> NGUYỄN):
      restored in the name's own tone placement ``style``, ``restored``, and capped at
      :data:`RESTORED_CAP` (not a reading, so not sure by itself); several spellings
      fit (TUONG: TƯỜNG, TƯỞNG): the closest, at :data:`GUESS_CAP`;
    - a mark read that no spelling of its letters has (THỤY where the lexicon holds only
      THỦY, NGUYỀN for NGUYỄN): kept as read at :data:`GUESS_CAP`, the lexicon's spelling
      only offered as ``suggestion``;
    - a reading no Vietnamese syllable can be (Ư before Y, no vowel, F or J): repaired,
      ``restored``, at :data:`GUESS_CAP`;
    - a token no list knows: kept as read at :data:`UNKNOWN_CAP`.
    """
    if _HORN_Y.search(token):
        # No Vietnamese syllable has Ư before Y: the horn is a speck (HƯỲNH is HUỲNH).
        fixed = read_token(_HORN_Y.sub("U", token), position, count, confidence, style)
        return replace(fixed, confidence=min(fixed.confidence, RESTORED_CAP), restored=True)
    k = key(token)
    if not k:
        return TokenReading(token, confidence)
    lists = _lists_for(position, count)
    primary = next((lst[k] for lst in lists if k in lst), None)
    if primary is None:
        return _unknown_token(token, k, lists, confidence, style)
    ak = accent_key(token)
    if any(accent_key(f) == ak for f in primary):
        return TokenReading(token, confidence, any(adds_marks(f, token) for f in primary))
    # Only the list for this position counts: "THI" in middle position is "THỊ", even though
    # Thi is also a given name.
    fits = [f for f in primary if adds_marks(f, token)]
    if len(primary) == 1 and fits:
        if position == count - 1 and count > 1 and _spelled_elsewhere(token, k, lists):
            # A given name read as a surname's spelling (DƯ, where the given names
            # hold only DỰ) may be right as it stands: surnames are given as first
            # names too, so the lexicon's marks are not restored on its word alone.
            return TokenReading(token, min(confidence, GUESS_CAP), suggestion=fits[0])
        return TokenReading(_in_style(fits[0], style), min(confidence, RESTORED_CAP), restored=True)
    if fits:
        guess = _in_style(_closest_form(token, fits), style)
        return TokenReading(guess, min(confidence, GUESS_CAP), restored=True)
    # Marks were read that no spelling of these letters has: a name the lexicon lacks
    # (THỤY beside THỦY) or a misread mark (NGUYỀN): which, only a person can say.
    suggestion = _in_style(_closest_form(token, primary), style)
    return TokenReading(token, min(confidence, GUESS_CAP), suggestion=suggestion)


def _unknown_token(
    token: str,
    k: str,
    lists: tuple[dict[str, list[str]], ...],
    confidence: float,
    style: str | None,
) -> TokenReading:
    """A token whose letters no list holds: kept as read, unless it cannot be Vietnamese."""
    fixed = _i_read_as_t(token, lists)
    if fixed is not None:
        fixed = _in_style(fixed, style)
        if not _has_vowel(token):  # VTNH, CHT: no syllable, so the T was an I
            return TokenReading(fixed, min(confidence, GUESS_CAP), restored=True)
        return TokenReading(token, min(confidence, UNKNOWN_CAP), suggestion=fixed)
    guess = _fuzzy_token(token, k, lists[0])
    if guess is not None:
        return TokenReading(_in_style(guess, style), min(confidence, GUESS_CAP), restored=True)
    return TokenReading(token, min(confidence, UNKNOWN_CAP))


def correct_token(
    token: str, position: int, count: int, confidence: float
) -> tuple[str, float, bool]:
    """(value, confidence, doubtful) of :func:`read_token`, for callers that need no more."""
    reading = read_token(token, position, count, confidence)
    return reading.value, reading.confidence, reading.doubtful


def _spelled_elsewhere(token: str, k: str, lists: tuple[dict[str, list[str]], ...]) -> bool:
    """The reading is, exactly as read, a name of another list (another position)."""
    ak = accent_key(token)
    return any(accent_key(f) == ak for lst in lists[1:] for f in lst.get(k, ()))


def _i_read_as_t(token: str, lists: tuple[dict[str, list[str]], ...]) -> str | None:
    """The lexicon spelling when one T of an unknown token read as I makes a name.

    In bold capitals Tesseract often reads I, and Ị with its dot, as T (VTNH, CHT, HỢT);
    the I's marks are lost with it, so the guess is only offered for review.
    """
    found = set()
    for i, c in enumerate(token):
        if c != "T":
            continue
        candidate = token[:i] + "I" + token[i + 1 :]
        forms = next((lst[key(candidate)] for lst in lists if key(candidate) in lst), None)
        if forms is not None:
            found.add(_closest_form(candidate, forms))
    return found.pop() if len(found) == 1 else None


def _has_vowel(token: str) -> bool:
    return any(c in "aeiouy" for c in key(token))


def _fuzzy_token(token: str, k: str, lst: dict[str, list[str]]) -> str | None:
    """Letters misread as well (e.g. 'NGUYFN'): a close entry to offer, but only for
    tokens that cannot be Vietnamese (letters such as F, J, W, Z or foreign marks): a
    well-formed syllable missing from the lexicon (HOẠCH) is a rare name, kept as read.
    """
    if len(k) < 4 or spellable(token):
        return None
    close = difflib.get_close_matches(k, list(lst), n=2, cutoff=FUZZY_NAME_CUTOFF)
    if len(close) != 1:
        return None
    return _closest_form(token, lst[close[0]])


def clean_name(text: str) -> str:
    """Upper-case NFC name with single spaces; digits, stray punctuation and leaders dropped."""
    # An apostrophe or hyphen belongs inside a token (H'Hen); at its edges it is a speck
    # glued to the word ("'NGUYÊN", "-NGUYÊN") that would hide the token from the lexicon.
    tokens = [t.strip("'-") for t in _NAME_JUNK.sub(" ", nfc(text)).split()]
    return " ".join(t for t in tokens if any(is_letter(c) for c in t)).upper()


def is_letter(char: str) -> bool:
    """A real letter: not a lone modifier mark such as 'ˆ' that scanner dirt reads as."""
    return char.isalpha() and unicodedata.category(char) != "Lm"


def name_is_known(name: str) -> bool:
    """Every token is a lexicon entry exactly as written (accented siblings allowed)."""
    tokens = name.split()
    return bool(tokens) and all(
        correct_token(t, i, len(tokens), 1.0)[:2] == (t, 1.0) for i, t in enumerate(tokens)
    )


def name_is_confirmed(name: str) -> bool:
    """Every token of an upper-case name is a lexicon entry, exactly as written, with no
    other accented form that OCR could have lost marks from (HƯƠNG has HƯỜNG: not
    confirmed). Such a reading is what the lexicon vouches for, whatever Tesseract's
    confidence in the bold capitals."""
    tokens = name.split()
    if len(tokens) < 2:
        return False
    for i, token in enumerate(tokens):
        value, conf, doubtful = correct_token(token, i, len(tokens), 1.0)
        if value != token or conf < 1.0 or doubtful:
            return False
    return True


def _has_diacritics(text: str) -> bool:
    return key(text) != re.sub(r"[^a-z0-9]", "", text.lower())


def read_name(
    text: str, confidence: float, token_confidences: Sequence[float] | None = None
) -> Reading:
    """'NGUYÊN THI HƯƠNG' -> NGUYỄN THỊ HƯƠNG, restored, below acceptance; 'NGÔ HỮU HOÀ'
    stays NGÔ HỮU HOÀ. Each token as :func:`read_token` reads it.

    A valid but ambiguous reading (THU, which could be THƯ) is kept with its confidence,
    unless the name shows that accents were lost: another token needed its accents
    restored, or no token carries a diacritic at all. Then it goes to review.

    ``token_confidences`` (one per cleaned token, when the caller knows them) lets each
    token stand on its own OCR confidence; an isolated token (:func:`token_is_isolated`)
    read with its marks is then as sure as :data:`ISOLATED_CONFIDENCE` whatever Tesseract
    thought of them. One whose marks the lexicon restores is not (:func:`_token_floor`):
    it was not read so.
    """
    tokens = clean_name(text).split()
    style = placement_of(" ".join(tokens))
    confs = list(token_confidences or ())
    if len(confs) != len(tokens):
        confs = [confidence] * len(tokens)
    else:
        confs = [
            _token_floor(t, i, len(tokens), c)
            for i, (t, c) in enumerate(zip(tokens, confs, strict=True))
        ]
        confidence = min(confs, default=confidence)
    results = [
        read_token(t, i, len(tokens), c, style)
        for i, (t, c) in enumerate(zip(tokens, confs, strict=True))
    ]
    changed = (accent_key(r.value) != accent_key(t) for r, t in zip(results, tokens, strict=True))
    accents_lost = any(changed) or (len(tokens) > 1 and not any(_has_diacritics(t) for t in tokens))
    conf = confidence
    for r in results:
        conf = min(conf, GUESS_CAP if r.doubtful and accents_lost else r.confidence)
    suggestion = None
    if any(r.suggestion for r in results):
        suggestion = " ".join(r.suggestion or r.value for r in results)
    return Reading(
        " ".join(r.value for r in results), conf, any(r.restored for r in results), suggestion
    )


def _token_floor(token: str, position: int, count: int, confidence: float) -> float:
    """A token's confidence once the lexicon has spoken for its letters: an isolated token
    (:func:`token_is_isolated`) read with every mark is as sure as
    :data:`ISOLATED_CONFIDENCE`; one whose lost marks it restores, as sure as a value the
    lexicon alone supplies can be (:data:`RESTORED_CAP`, below acceptance)."""
    if not token_is_isolated(token, position, count):
        return confidence
    k = key(token)
    lst = next(lst for lst in _lists_for(position, count) if k in lst)
    if accent_key(lst[k][0]) == accent_key(token):
        return max(confidence, ISOLATED_CONFIDENCE)
    return max(confidence, RESTORED_CAP)


def correct_name(
    text: str, confidence: float, token_confidences: Sequence[float] | None = None
) -> tuple[str, float]:
    """(value, confidence) of :func:`read_name`."""
    reading = read_name(text, confidence, token_confidences)
    return reading.value, reading.confidence


# --- closed lists and places -----------------------------------------------------------------

_LEADERS = re.compile(r"[._…]{2,}|…|_")
_DIGIT_LETTERS = str.maketrans({"1": "i", "0": "o"})
_ETHNIC_PREFIX = re.compile(r"^\s*(dan toc|dt\.?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What a list makes of a value read from the page.

    ``restored``: the value carries marks (or letters) the reading lacked, so it is not a
    reading and its confidence stays below acceptance until another reading agrees.
    ``suggestion``: the list's spelling where the reading spells it otherwise; the value
    then stays as read, for a person to choose.
    """

    value: str
    confidence: float
    restored: bool = False
    suggestion: str | None = None


def _as_entry(read: str, entry: str, spellings: Sequence[str], confidence: float) -> Reading:
    """A reading of a closed list's ``entry`` (one of its ``spellings``) whose letters
    match: as read, its confidence stands; marks lost come back, below acceptance; marks
    read otherwise (NHÂN DẪN in the committee's fixed name) are not a spelling of anything
    the list can hold, so the entry is given, for review."""
    ak = accent_key(read)
    if style := placement_of(read):
        entry = with_placement(entry, style)  # "UỶ BAN NHÂN DÂN" stays so
    if any(accent_key(s) == ak for s in spellings):
        return Reading(entry, confidence)
    if any(adds_marks(s, read) for s in spellings):
        return Reading(entry, min(confidence, RESTORED_CAP), restored=True)
    return Reading(entry, min(confidence, GUESS_CAP), restored=True)


def read_ethnicity(text: str, confidence: float) -> Reading:
    """The official name of the group a reading names: by its name, an alias (H'Mông),
    or its letters with marks lost. The 54 groups are a closed, coded list, so the value
    is the group's official name; it is as sure as the reading only when that spelled one
    of the group's names exactly. A reading that matches no group comes back cleaned and
    unchanged (the record check then reports it), with its confidence not raised.
    """
    cleaned = squash_spaces(_LEADERS.sub(" ", nfc(text))).strip(" .,;:-")
    folded = fold(cleaned)
    match = _ETHNIC_PREFIX.match(folded)
    if match:
        cleaned = cleaned[len(cleaned) - len(folded[match.end() :]) :]  # same length as folded
    index = _ethnic_index()
    k = key(cleaned)
    group = index.get(k)
    if group is None and key(unlike := cleaned.translate(_DIGIT_LETTERS)) in index:
        # No group's name has a digit: 'S1 La', 'Thá1' are 'Si La', 'Thái' misread.
        group = index[key(unlike)]
        return Reading(group.name, min(confidence, RESTORED_CAP), restored=True)
    if group is not None:
        spellings = [s for s in (group.name, *group.aliases) if key(s) == k]
        reading = _as_entry(cleaned, group.name, spellings, confidence)
        if not reading.restored and confidence >= CHAIN_FLOOR and _ethnic_key_isolated(k):
            # The 54 names are a closed list: a reading that spells one of them exactly,
            # with no other group a letter away, is vouched for by the list.
            return replace(reading, confidence=max(reading.confidence, CHAIN_CONFIRMED))
        return reading
    close = difflib.get_close_matches(k, list(index), n=2, cutoff=0.8) if len(k) >= 3 else []
    groups = {index[c].code for c in close}
    if len(groups) == 1:
        return Reading(index[close[0]].name, min(confidence, GUESS_CAP), restored=True)
    return Reading(cleaned, confidence)


def correct_ethnicity(text: str, confidence: float) -> tuple[str, float]:
    """(value, confidence) of :func:`read_ethnicity`."""
    reading = read_ethnicity(text, confidence)
    return reading.value, reading.confidence


@lru_cache(maxsize=256)
def _ethnic_key_isolated(k: str) -> bool:
    """No other group's spelling is one letter (changed, added or dropped) from ``k``:
    Mông and Mường, Dao and Lào are not; Kinh, Tày and Khmer are."""
    index = _ethnic_index()
    code = index[k].code
    letters = "abcdefghijklmnopqrstuvwxyz"
    near = {k[:i] + k[i + 1 :] for i in range(len(k))}
    near |= {k[:i] + c + k[i + 1 :] for i in range(len(k)) for c in letters}
    near |= {k[:i] + c + k[i:] for i in range(len(k) + 1) for c in letters}
    return not any(n in index and index[n].code != code for n in near)


# Unit names are title case, so a lower-case "la" opening one is the Jarai "Ia" (Xã Ia
# Chia) with its capital I read as l: in the faces of the forms the two are one glyph, so
# the reading did not tell them apart, and "Ia" is what it saw.
_IA_READ_AS_LA = re.compile(r"\b(Xã|Phường|Thị trấn|Huyện|Thị xã) la\b")


def read_place_value(text: str, confidence: float) -> Reading:
    """A place as printed (:func:`ocr.units.read_place`), and how sure it is.

    Marks the reading lost come back from the unit lists, but the value is then not a
    reading (below acceptance until another reading agrees); a unit spelled otherwise
    than the lists spell it stays as read, with their spelling as the suggestion. A
    place the lists vouch for by its letters (:func:`chain_vouched`), read with all its
    marks, is sure whatever Tesseract thought of them.
    """
    text = _IA_READ_AS_LA.sub(r"\1 Ia", text)
    place = read_place(text)
    confidence = min(confidence, place.factor)
    if unit_missed(place.value):  # a commune read but not found: misread
        return Reading(place.value, min(confidence, GUESS_CAP), place.restored, place.suggestion)
    if place.suggestion is not None:
        return Reading(place.value, min(confidence, GUESS_CAP), suggestion=place.suggestion)
    if place.restored:
        return Reading(place.value, min(confidence, RESTORED_CAP), restored=True)
    # The reading, not a corrected value, must be the chain: a unit found only by
    # closeness ("Xã Hiệp Ah" for Xã Hiệp An) is a guess the lists cannot vouch for.
    if chain_vouched(text) and confidence >= CHAIN_FLOOR:
        return Reading(place.value, max(confidence, CHAIN_CONFIRMED))
    return Reading(place.value, confidence)


def correct_place(text: str, confidence: float) -> tuple[str, float]:
    """(value, confidence) of :func:`read_place_value`."""
    reading = read_place_value(text, confidence)
    return reading.value, reading.confidence


def chain_vouched(text: str) -> bool:
    """The place reading is, by its letters, a whole chain of units (:func:`whole_chain`)."""
    return whole_chain(_IA_READ_AS_LA.sub(r"\1 Ia", text))


def chain_prefix(text: str) -> str | None:
    """The hamlet (or health station) a place reading puts before a whole chain of units
    (:func:`ocr.units.prefix_before_chain`), judged on the reading itself."""
    return prefix_before_chain(_IA_READ_AS_LA.sub(r"\1 Ia", text))


PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"


def read_authority(text: str, confidence: float) -> Reading:
    """A result's issuing authority, "ỦY BAN NHÂN DÂN XÃ HÀ KỲ", as printed.

    The committee's name is a fixed phrase: a reading of its letters can only be it, so
    it is given whole (NHÂN DẪN, NHÂN ĐÂN are misread marks), below acceptance when the
    reading did not spell it. The unit after it is looked up by its letters among all
    units: when they spell one name, marks the reading lost come back from the lists
    (then below acceptance), and a reading with every mark is as sure as a whole chain
    (:func:`whole_chain`); a unit spelled otherwise stays as read with the lists' spelling
    as the suggestion. A unit named by a number or spelled several ways keeps the
    reading's confidence.
    """
    words = text.split()
    if key(text) == key(PEOPLES_COMMITTEE):  # the unit's line was lost
        committee = _as_entry(text, PEOPLES_COMMITTEE, [PEOPLES_COMMITTEE], confidence)
        return replace(committee, confidence=min(committee.confidence, GUESS_CAP))
    if len(words) < 5 or key(" ".join(words[:4])) != key(PEOPLES_COMMITTEE):
        return Reading(text, confidence)
    committee = _as_entry(" ".join(words[:4]), PEOPLES_COMMITTEE, [PEOPLES_COMMITTEE], 1.0)
    confidence = min(confidence, committee.confidence)
    rest = " ".join(words[4:])
    spelled = {accent_key(n): n for n in unit_names(rest)}
    if len(spelled) != 1 or any(c.isdigit() for c in rest):
        return Reading(f"{committee.value} {rest}", confidence, committee.restored)
    name = next(iter(spelled.values())).upper()
    unit, how = spell_as_read(rest, name, short_of(name), placement_of(text))
    value = f"{committee.value} {unit}"
    if how == OTHERWISE:
        suggestion = f"{committee.value} {name}"
        return Reading(value, min(confidence, GUESS_CAP), committee.restored, suggestion)
    if how == RESTORED or committee.restored:
        return Reading(value, min(confidence, RESTORED_CAP), restored=True)
    if confidence >= CHAIN_FLOOR:
        confidence = max(confidence, CHAIN_CONFIRMED)
    return Reading(value, confidence)


def authority_is_known(text: str) -> bool:
    """Whether the reading is the committee's name and one unit's, each exactly as the
    lists spell it: a reading that chooses among others, never a rewrite."""
    words = text.split()
    if len(words) < 5 or key(" ".join(words[:4])) != key(PEOPLES_COMMITTEE):
        return False
    rest = " ".join(words[4:])
    if len({accent_key(n) for n in unit_names(rest)}) != 1:
        return False
    reading = read_authority(text, 1.0)
    return reading.value == text and not reading.restored and reading.suggestion is None


def correct_authority(text: str, confidence: float) -> tuple[str, float]:
    """(value, confidence) of :func:`read_authority`."""
    reading = read_authority(text, confidence)
    return reading.value, reading.confidence


# --- titles of dossier results ------------------------------------------------------------


@lru_cache(maxsize=1)
def _titles_index() -> dict[str, str]:
    titles = json.loads((DATA_DIR / "result_titles.json").read_text(encoding="utf-8"))
    return {key(t): nfc(t) for t in titles}


def read_title(text: str, confidence: float) -> Reading:
    """A result's title: titles are a short list of set phrases, so one whose letters
    match is given whole (QUYET ĐỊNH -> QUYẾT ĐỊNH), below acceptance unless it was read
    with its marks (:func:`_as_entry`). Other titles are kept as read."""
    cleaned = squash_spaces(_LEADERS.sub(" ", nfc(text))).strip(" .,;:-")
    title = _titles_index().get(key(cleaned))
    if title is None:
        return Reading(cleaned, confidence)
    return _as_entry(cleaned, title, [title], confidence)


def correct_title(text: str, confidence: float) -> tuple[str, float]:
    """(value, confidence) of :func:`read_title`."""
    reading = read_title(text, confidence)
    return reading.value, reading.confidence


def is_result_title(text: str) -> bool:
    return text in _titles_index().values()


# --- causes of death ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _causes_index() -> dict[str, str]:
    phrases = json.loads((DATA_DIR / "causes_of_death.json").read_text(encoding="utf-8"))
    return {key(p): p for p in phrases}


def read_cause_of_death(text: str, confidence: float) -> Reading:
    """Common causes in their printed spelling: Tesseract drops the dot of 'quỵ' and the
    like, and free text has no other check to catch it. A cause is free text, not a
    closed list: marks lost come back (below acceptance), marks read otherwise stay as
    read with the common phrase as the suggestion. Unknown phrases are kept as read but
    sent to review, since nothing could confirm their accents."""
    cleaned = squash_spaces(_LEADERS.sub(" ", nfc(text))).strip(" .,;:-")
    phrase = _causes_index().get(key(cleaned))
    if phrase is None:
        return Reading(cleaned, min(confidence, GUESS_CAP))
    if accent_key(cleaned) == accent_key(phrase):
        return Reading(cleaned, confidence)
    if adds_marks(phrase, cleaned):
        restored = with_placement(phrase, style) if (style := placement_of(cleaned)) else phrase
        return Reading(restored, min(confidence, RESTORED_CAP), restored=True)
    return Reading(cleaned, min(confidence, GUESS_CAP), suggestion=phrase)


def correct_cause_of_death(text: str, confidence: float) -> tuple[str, float]:
    """(value, confidence) of :func:`read_cause_of_death`."""
    reading = read_cause_of_death(text, confidence)
    return reading.value, reading.confidence
