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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import fold, nfc, squash_spaces
from ocr.units import accent_key, key, resolve_place

DATA_DIR = Path(__file__).resolve().parent / "data"
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
ACCENT_CAP = 0.9
GUESS_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.1, 2)  # 0.7: below the auto-accept threshold
FUZZY_NAME_CUTOFF = 0.8
UNKNOWN_CAP = round(AUTO_ACCEPT_CONFIDENCE - 0.01, 2)  # a token no lexicon knows

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
    """The 54 official groups in official code order (SPEC 10: the project keeps this list)."""
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


def correct_token(
    token: str, position: int, count: int, confidence: float
) -> tuple[str, float, bool]:
    """Correct one upper-case name token at ``position`` of ``count`` tokens.

    Returns (value, confidence, doubtful): ``doubtful`` marks a reading kept because it is
    valid although other accented forms share its letters (THU / THƯ); :func:`correct_name`
    lowers it when the name shows that accents were lost.
    """
    k = key(token)
    if not k:
        return token, confidence, False
    lists = _lists_for(position, count)
    primary = next((lst[k] for lst in lists if k in lst), None)
    if primary is None:
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
            return primary[0], min(confidence, ACCENT_CAP), False
        # Tone marks are small and often misread (ờ/ở); the vowel shapes (ơ/ô) rarely are.
        guess = primary[0] if _same_vowels(primary[0], token) else token
        return guess, min(confidence, GUESS_CAP), False
    return _closest_form(token, primary), min(confidence, GUESS_CAP), False


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


_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306",
                     "\u031b"}


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
    tokens = _NAME_JUNK.sub(" ", nfc(text)).split()
    return " ".join(t for t in tokens if any(c.isalpha() for c in t)).upper()


def name_is_known(name: str) -> bool:
    """Every token is a lexicon entry exactly as written (accented siblings allowed)."""
    tokens = name.split()
    return bool(tokens) and all(
        correct_token(t, i, len(tokens), 1.0)[:2] == (t, 1.0) for i, t in enumerate(tokens))


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


def correct_name(text: str, confidence: float) -> tuple[str, float]:
    """'NGUYÊN THI HƯƠNG' -> ('NGUYỄN THỊ HƯƠNG', <= 0.9). See the module doc for confidences.

    A valid but ambiguous reading (THU, which could be THƯ) is kept with its confidence,
    unless the name shows that accents were lost: another token needed its accents
    restored, or no token carries a diacritic at all. Then it goes to review.
    """
    tokens = clean_name(text).split()
    results = [correct_token(t, i, len(tokens), confidence) for i, t in enumerate(tokens)]
    changed = (accent_key(v) != accent_key(t) for (v, _, _), t in zip(results, tokens, strict=True))
    accents_lost = any(changed) or (
        len(tokens) > 1 and not any(_has_diacritics(t) for t in tokens)
    )
    conf = confidence
    for _value, c, doubtful in results:
        conf = min(conf, GUESS_CAP if doubtful and accents_lost else c)
    return " ".join(v for v, _, _ in results), conf


# --- ethnicity and places ----------------------------------------------------------------

_LEADERS = re.compile(r"[._…]{2,}|…|_")
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
    if group is not None:
        if accent_key(cleaned) == accent_key(group.name):
            return group.name, confidence
        return group.name, min(confidence, ACCENT_CAP)
    close = difflib.get_close_matches(k, list(index), n=2, cutoff=0.8) if len(k) >= 3 else []
    groups = {index[c].code for c in close}
    if len(groups) == 1:
        return index[close[0]].name, min(confidence, GUESS_CAP)
    return cleaned, confidence


def correct_place(text: str, confidence: float) -> tuple[str, float]:
    """Canonical unit names via :func:`ocr.units.resolve_place`; unplaced text kept as read."""
    value, factor, _resolved = resolve_place(text)
    return value, min(confidence, factor)


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
