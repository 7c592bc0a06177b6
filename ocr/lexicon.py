"""Vietnamese-aware correction of names, ethnic groups and places read by OCR.

Tesseract reads Vietnamese letters well but often drops or swaps the stacked diacritics
("NGUYÊN" for "NGUYỄN"). Names come from a closed-enough lexicon (``data/names.json``), so a
token is matched without its accents and the accented form is chosen from the lexicon.

Every corrector returns ``(value, confidence)`` where the confidence says how sure the
*correction* is, never more than the OCR confidence it was given:

- exact lexicon hit (same accents; tone placement aside): the OCR confidence is kept;
- one accented form restores marks the reading lacks (NGUYÊN -> NGUYỄN): corrected,
  capped at :data:`ACCENT_CAP`;
- several forms fit, marks were swapped rather than dropped (NGUYỀN), or letters had to
  change (NGUYFN): best guess, capped at :data:`GUESS_CAP`, which is below
  ``AUTO_ACCEPT_CONFIDENCE`` so a person reviews it;
- a valid but ambiguous reading (THU could be THƯ) is kept; its confidence drops to
  :data:`GUESS_CAP` only when the name shows lost accents elsewhere;
- not in the lexicon at all (a rare name, or a misreading such as CHT for CHI): kept as
  read, capped at :data:`UNKNOWN_CAP`, just below ``AUTO_ACCEPT_CONFIDENCE``. Nothing can
  confirm such a token, and a wrong name accepted silently is the worst outcome, so a
  person looks at it once.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import fold, nfc, squash_spaces
from ocr.units import (
    accent_key,
    key,
    prefix_before_chain,
    resolve_place,
    unit_missed,
    unit_names,
    whole_chain,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
ACCENT_CAP = 0.9
GUESS_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.1, 2)  # 0.7: below the auto-accept threshold
FUZZY_NAME_CUTOFF = 0.8
UNKNOWN_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.01, 2)  # a token no lexicon knows
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
    return accent_key(form) == accent_key(token) or _adds_marks(form, token)


def token_has_siblings(token: str, position: int, count: int) -> bool:
    """Other spellings share the token's letters in its list (THỦY, THỤY, THÚY, THÙY):
    its marks, not its letters, decide which name it is."""
    k = key(token)
    lst = next((lst for lst in _lists_for(position, count) if k in lst), None)
    return lst is not None and len(lst[k]) > 1


def correct_token(
    token: str, position: int, count: int, confidence: float
) -> tuple[str, float, bool]:
    """Correct one upper-case name token at ``position`` of ``count`` tokens.

    Returns (value, confidence, doubtful): ``doubtful`` marks a reading kept because it is
    valid although other accented forms share its letters (THU / THƯ); :func:`correct_name`
    lowers it when the name shows that accents were lost.
    """
    if _HORN_Y.search(token):
        # No Vietnamese syllable has Ư before Y: the horn is a speck (HƯỲNH is HUỲNH).
        token = _HORN_Y.sub("U", token)
        confidence = min(confidence, ACCENT_CAP)
    k = key(token)
    if not k:
        return token, confidence, False
    lists = _lists_for(position, count)
    primary = next((lst[k] for lst in lists if k in lst), None)
    if primary is None:
        fixed = _i_read_as_t(token, lists)
        if fixed is not None:
            return fixed, min(confidence, GUESS_CAP), False
        value, conf = _fuzzy_token(token, k, lists[0], confidence)
        return value, min(conf, UNKNOWN_CAP), False
    ak = accent_key(token)
    same = next((f for f in primary if accent_key(f) == ak), None)
    if same is not None:
        return same, confidence, any(_adds_marks(f, same) for f in primary)
    # Only the list for this position counts: "THI" in middle position is "THỊ", even though
    # Thi is also a given name. Restoring dropped marks is safe; replacing marks that were
    # read (KHỞI -> KHÔI) may be a name the lexicon lacks, so a person decides.
    if len(primary) == 1:
        if _adds_marks(primary[0], token):
            if position == count - 1 and count > 1 and _spelled_elsewhere(token, k, lists):
                # A given name read as a surname's spelling (DƯ, where the given names
                # hold only DỰ) may be right as it stands: surnames are given as first
                # names too, so the lexicon's marks are not restored on its word alone.
                return token, min(confidence, GUESS_CAP), False
            return primary[0], min(confidence, ACCENT_CAP), False
        # Tone marks are small and often misread (ờ/ở); the vowel shapes (ơ/ô) rarely are.
        guess = primary[0] if _same_vowels(primary[0], token) else token
        return guess, min(confidence, GUESS_CAP), False
    return _closest_form(token, primary), min(confidence, GUESS_CAP), False


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


def _marks(word: str) -> list[set[str]]:
    """Diacritics per letter ('Đ' counts as D plus a stroke), for comparing readings."""
    out: list[set[str]] = []
    for c in unicodedata.normalize("NFD", word.replace("Đ", "D\u0335").replace("đ", "d\u0335")):
        if unicodedata.combining(c) and out:
            out[-1].add(c)
        else:
            out.append(set())
    return out


def _adds_marks(candidate: str, read: str) -> bool:
    """True when ``candidate`` is ``read`` plus marks OCR may have dropped (THƯ vs THU)."""
    cand, got = _marks(candidate), _marks(read)
    if len(cand) != len(got) or cand == got:
        return False
    return all(g <= c for c, g in zip(cand, got, strict=True))


_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def _looks_vietnamese(token: str) -> bool:
    """Only Vietnamese letters and marks (no F, J, W, Z; no diaeresis, cedilla...)."""
    for c in unicodedata.normalize("NFD", token.upper()):
        if unicodedata.combining(c):
            if c not in _VIETNAMESE_MARKS:
                return False
        elif c not in "ABCDĐEGHIKLMNOPQRSTUVXY'-":
            return False
    return True


def _same_vowels(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ at most in tone marks (NGUYỀN vs NGUYỄN)."""
    strip = [[m - _TONES for m in marks] for marks in (_marks(a), _marks(b))]
    return strip[0] == strip[1]


def _fuzzy_token(
    token: str, k: str, lst: dict[str, list[str]], confidence: float
) -> tuple[str, float]:
    """Letters misread as well (e.g. 'NGUYFN'): offer a close entry, but only for review.

    Only for tokens that cannot be Vietnamese (letters such as F, J, W, Z or foreign marks):
    a well-formed syllable missing from the lexicon (HOẠCH) is a rare name, kept as read.
    """
    if len(k) < 4 or _looks_vietnamese(token):
        return token, confidence
    close = difflib.get_close_matches(k, list(lst), n=2, cutoff=FUZZY_NAME_CUTOFF)
    if len(close) != 1:
        return token, confidence
    return _closest_form(token, lst[close[0]]), min(confidence, GUESS_CAP)


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


def correct_name(
    text: str, confidence: float, token_confidences: Sequence[float] | None = None
) -> tuple[str, float]:
    """'NGUYÊN THI HƯƠNG' -> ('NGUYỄN THỊ HƯƠNG', <= 0.9). See the module doc for confidences.

    A valid but ambiguous reading (THU, which could be THƯ) is kept with its confidence,
    unless the name shows that accents were lost: another token needed its accents
    restored, or no token carries a diacritic at all. Then it goes to review.

    ``token_confidences`` (one per cleaned token, when the caller knows them) lets each
    token stand on its own OCR confidence; an isolated token (:func:`token_is_isolated`)
    is then as sure as :data:`ISOLATED_CONFIDENCE` whatever Tesseract thought of its marks.
    """
    tokens = clean_name(text).split()
    confs = list(token_confidences or ())
    if len(confs) != len(tokens):
        confs = [confidence] * len(tokens)
    else:
        confs = [
            max(c, ISOLATED_CONFIDENCE) if token_is_isolated(t, i, len(tokens)) else c
            for i, (t, c) in enumerate(zip(tokens, confs, strict=True))
        ]
        confidence = min(confs, default=confidence)
    results = [
        correct_token(t, i, len(tokens), c)
        for i, (t, c) in enumerate(zip(tokens, confs, strict=True))
    ]
    changed = (accent_key(v) != accent_key(t) for (v, _, _), t in zip(results, tokens, strict=True))
    accents_lost = any(changed) or (len(tokens) > 1 and not any(_has_diacritics(t) for t in tokens))
    conf = confidence
    for _value, c, doubtful in results:
        conf = min(conf, GUESS_CAP if doubtful and accents_lost else c)
    return " ".join(v for v, _, _ in results), conf


# --- ethnicity and places ----------------------------------------------------------------

_LEADERS = re.compile(r"[._…]{2,}|…|_")
_DIGIT_LETTERS = str.maketrans({"1": "i", "0": "o"})
_ETHNIC_PREFIX = re.compile(r"^\s*(dan toc|dt\.?)\s+", re.IGNORECASE)


def correct_ethnicity(text: str, confidence: float) -> tuple[str, float]:
    """Canonical group name for a spelling, alias or accent-stripped reading of it.

    A reading that matches no group comes back cleaned and unchanged (the record check
    then reports it), with its confidence not raised.
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
        k, group = key(unlike), index[key(unlike)]
    if group is not None:
        exact = accent_key(cleaned) == accent_key(group.name) and key(cleaned) == k
        conf = confidence if exact else min(confidence, ACCENT_CAP)
        if confidence >= CHAIN_FLOOR and _ethnic_key_isolated(k):
            # The 54 names are a closed list: letters that spell one of them, with no
            # other group a letter away, are vouched for by the list, marks included.
            conf = max(conf, CHAIN_CONFIRMED)
        return group.name, conf
    close = difflib.get_close_matches(k, list(index), n=2, cutoff=0.8) if len(k) >= 3 else []
    groups = {index[c].code for c in close}
    if len(groups) == 1:
        return index[close[0]].name, min(confidence, GUESS_CAP)
    return cleaned, confidence


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


_IA_READ_AS_LA = re.compile(r"\b(Xã|Phường|Thị trấn|Huyện|Thị xã) la\b")


def correct_place(text: str, confidence: float) -> tuple[str, float]:
    """Canonical unit names via :func:`ocr.units.resolve_place`; unplaced text kept as read.

    Unit names are title case, so a lower-case "la" opening one is the Jarai "Ia" (Xã Ia
    Chia) with its capital I read as l, also where the unit is not in the lists.
    """
    text = _IA_READ_AS_LA.sub(r"\1 Ia", text)
    value, factor, _resolved = resolve_place(text)
    confidence = min(confidence, factor)
    if unit_missed(value):
        return value, min(confidence, GUESS_CAP)  # a commune read but not found: misread
    # The reading, not the corrected value, must be the chain: a unit found only by
    # closeness ("Xã Hiệp Ah" for Xã Hiệp An) is a guess the lists cannot vouch for.
    if chain_vouched(text) and confidence >= CHAIN_FLOOR:
        # Every letter is vouched for by the unit lists; Tesseract's doubt was about marks
        # the lists supply.
        return value, max(confidence, CHAIN_CONFIRMED)
    return value, confidence


def chain_vouched(text: str) -> bool:
    """The place reading is, by its letters, a whole chain of units (:func:`whole_chain`)."""
    return whole_chain(_IA_READ_AS_LA.sub(r"\1 Ia", text))


def chain_prefix(text: str) -> str | None:
    """The hamlet (or health station) a place reading puts before a whole chain of units
    (:func:`ocr.units.prefix_before_chain`), judged on the reading itself."""
    return prefix_before_chain(_IA_READ_AS_LA.sub(r"\1 Ia", text))


_PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"


def correct_authority(text: str, confidence: float) -> tuple[str, float]:
    """A result's issuing authority, "ỦY BAN NHÂN DÂN XÃ HÀ KỲ", with its marks restored.

    The committee's name is a fixed phrase, so its letters are enough to print it (NHÂN
    DẪN, NHÂN ĐÂN are misread marks). The unit after it is looked up by its letters among
    all units: when they spell one name, its marks come from the lists and the authority
    is as sure as a whole chain (:func:`whole_chain`); a unit named by a number or
    spelled several ways keeps the marks as read, and the reading's confidence.
    """
    words = text.split()
    if key(text) == key(_PEOPLES_COMMITTEE):
        return _PEOPLES_COMMITTEE, min(confidence, GUESS_CAP)  # the unit's line was lost
    if len(words) < 5 or key(" ".join(words[:4])) != key(_PEOPLES_COMMITTEE):
        return text, confidence
    rest = " ".join(words[4:])
    names = unit_names(rest)
    spelled = {accent_key(n): n for n in names}
    if len(spelled) == 1 and not any(c.isdigit() for c in rest):
        name = next(iter(spelled.values())).upper()
        if confidence >= CHAIN_FLOOR:
            confidence = max(confidence, CHAIN_CONFIRMED)
        return f"{_PEOPLES_COMMITTEE} {name}", confidence
    return f"{_PEOPLES_COMMITTEE} {rest}", confidence


# --- titles of dossier results ------------------------------------------------------------


@lru_cache(maxsize=1)
def _titles_index() -> dict[str, str]:
    titles = json.loads((DATA_DIR / "result_titles.json").read_text(encoding="utf-8"))
    return {key(t): nfc(t) for t in titles}


def correct_title(text: str, confidence: float) -> tuple[str, float]:
    """A result's title in its printed spelling: titles are a short list of set phrases,
    so one whose letters match is restored whole (QUYET ĐỊNH -> QUYẾT ĐỊNH). Other titles
    are kept as read."""
    cleaned = squash_spaces(_LEADERS.sub(" ", nfc(text))).strip(" .,;:-")
    title = _titles_index().get(key(cleaned))
    if title is None:
        return cleaned, confidence
    if accent_key(cleaned) == accent_key(title):
        return title, confidence
    return title, min(confidence, ACCENT_CAP)


def is_result_title(text: str) -> bool:
    return text in _titles_index().values()


# --- causes of death ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _causes_index() -> dict[str, str]:
    phrases = json.loads((DATA_DIR / "causes_of_death.json").read_text(encoding="utf-8"))
    return {key(p): p for p in phrases}


def correct_cause_of_death(text: str, confidence: float) -> tuple[str, float]:
    """Common causes in their printed spelling: Tesseract drops the dot of 'quỵ' and the
    like, and free text has no other check to catch it. Unknown phrases are kept as read
    but sent to review, since nothing could confirm their accents."""
    cleaned = squash_spaces(_LEADERS.sub(" ", nfc(text))).strip(" .,;:-")
    phrase = _causes_index().get(key(cleaned))
    if phrase is None:
        return cleaned, min(confidence, GUESS_CAP)
    if accent_key(cleaned) == accent_key(phrase):
        return phrase, confidence
    return phrase, min(confidence, ACCENT_CAP)
