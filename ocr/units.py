"""Administrative units: province codes, places as printed, and their units today.

Units come from the maintained ``vietnamadminunits`` package (docs/reference-data.md),
never from a copy.
Records name places in two eras: three levels before 1 July 2025 (commune, district,
province; table ``admin_units_legacy``, 63 provinces) and two levels after it (commune,
province; table ``admin_units``, 34 provinces). Both are loaded once and indexed by an
accent-, case- and punctuation-free key, because Tesseract often drops the stacked
diacritics of place names ("Lâm Đông" for "Lâm Đồng") or loses them entirely.

The resolver works from the right (province first), the way Vietnamese addresses nest, and
keeps anything it cannot place on the left (house, hamlet, hospital: "Thôn 3, ...") as read.
:func:`read_place` keeps the place as printed (tone placement, abbreviations, type words)
and only puts back marks the reading lost; :func:`resolve_place` gives the lists' own
spelling, which the checks and suggestions use. :func:`place_unit` names the unit on the
map in force since 1 July 2025 (the package's conversion table), and
:func:`place_in_book` places an authority that names only its commune by the unit of the
register book it was read from.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ocr.text import (
    fold,
    letter_marks,
    nfc,
    placement_of,
    spellable,
    squash_spaces,
    with_placement,
)

# Confidence factors of a resolved place (see resolve_place).
EXACT = 1.0
ACCENT_FIXED = 0.9  # same letters, other diacritics or a missing/abbreviated unit type
FUZZY = 0.7  # letters differ too: a person should look
FUZZY_CUTOFF = 0.82

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_NON_KEY = re.compile(r"[^a-z0-9]+")
# Abbreviated unit types as clerks print them: "TP. Huế", "Q.1", "H. Đức Trọng", "X. Tân Phú".
_ABBREVIATIONS = [
    (re.compile(r"^tp\b\.?\s*"), "thanh pho "),
    (re.compile(r"^tx\b\.?\s*"), "thi xa "),
    (re.compile(r"^tt\b\.?\s*"), "thi tran "),
    (re.compile(r"^t\.\s*"), "tinh "),
    (re.compile(r"^h\.\s*"), "huyen "),
    (re.compile(r"^q\.\s*"), "quan "),
    (re.compile(r"^p\.\s*"), "phuong "),
    (re.compile(r"^x\.\s*"), "xa "),
]
_UNIT_TYPES = ("thanhpho", "thixa", "thitran", "dackhu", "tinh", "huyen", "quan", "phuong", "xa")


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Accent-, case-, space- and punctuation-free key: 'Bà Rịa - Vũng Tàu' -> 'bariavungtau'."""
    text = text.replace("Ð", "Đ").replace("ð", "đ")  # Icelandic eth, a common OCR stand-in
    return _NON_KEY.sub("", fold(text))


@lru_cache(maxsize=65536)
def accent_key(text: str) -> str:
    """Case- and punctuation-free key that keeps diacritics but not where the tone mark sits.

    'Hoà' and 'Hòa', 'Thuỷ' and 'Thủy' are the same spelling in two conventions.
    """
    text = text.replace("Ð", "Đ").replace("ð", "đ").lower()
    words = []
    for word in unicodedata.normalize("NFD", text).split():
        tones = "".join(c for c in word if c in _TONE_MARKS)
        kept = "".join(
            c for c in word if c not in _TONE_MARKS and (c.isalnum() or unicodedata.combining(c))
        )
        words.append(kept + tones)
    return "".join(words)


def _expand_abbreviation(folded: str) -> str:
    for pattern, replacement in _ABBREVIATIONS:
        if pattern.match(folded):
            return pattern.sub(replacement, folded, count=1)
    return folded


def part_key(text: str) -> str:
    return _NON_KEY.sub("", _expand_abbreviation(fold(text.replace("Ð", "Đ"))))


@dataclass
class Unit:
    name: str  # full printed name with its type: "Huyện Đức Trọng"
    short: str  # without the type: "Đức Trọng"
    code: str
    slug: str = ""  # the package's own key ("xahuulien"), which its 2025 converter speaks
    children: dict[str, list[Unit]] = field(default_factory=dict)  # key -> units
    child_list: list[Unit] = field(default_factory=list)
    _grandchildren: dict[str, list[Unit]] | None = field(default=None, repr=False)

    def add(self, child: Unit) -> None:
        self.child_list.append(child)
        for k in {key(child.name), key(child.short)}:
            self.children.setdefault(k, []).append(child)

    def grandchildren(self) -> dict[str, list[Unit]]:
        """Communes of a province across its districts, for addresses that skip the district.

        One unit per printed name: without the district, two "Xã Tân Phú" print the same.
        """
        if self._grandchildren is None:
            merged: dict[str, list[Unit]] = {}
            for child in self.child_list:
                for k, units in child.children.items():
                    bucket = merged.setdefault(k, [])
                    bucket.extend(u for u in units if all(u.name != b.name for b in bucket))
            self._grandchildren = merged
        return self._grandchildren


# Type words by level, as keys. "Thành phố" names both provinces and districts.
LEVEL_TYPES = {
    "province": ("thanhpho", "tinh"),
    "district": ("thanhpho", "thixa", "huyen", "quan"),
    "commune": ("thitran", "phuong", "xa", "dackhu"),
}


@dataclass
class Tree:
    provinces: dict[str, list[Unit]]
    province_list: list[Unit]
    kinds: tuple[str, ...]  # ("province", "district", "commune") before 2025, then 2 levels


def short_of(name: str) -> str:
    k = key(name)
    for t in _UNIT_TYPES:
        if k.startswith(t) and len(k) > len(t):
            words = name.split()
            n = 2 if t in ("thanhpho", "thixa", "thitran", "dackhu") else 1
            return " ".join(words[n:])
    return name


def _build(
    rows: list[dict], columns: list[tuple[str, str, str, str]], kinds: tuple[str, ...]
) -> Tree:
    root = Unit("", "", "")
    by_path: dict[tuple[str, ...], Unit] = {(): root}
    for row in rows:
        path: tuple[str, ...] = ()
        for name_col, short_col, code_col, slug_col in columns:
            name = row.get(name_col)
            if not name:
                break
            name = nfc(name)
            child_path = (*path, name)
            if child_path not in by_path:
                short = nfc(row.get(short_col) or short_of(name))
                unit = Unit(name, short, str(row.get(code_col) or ""), row.get(slug_col) or "")
                by_path[path].add(unit)
                by_path[child_path] = unit
            path = child_path
    return Tree(root.children, root.child_list, kinds)


@lru_cache(maxsize=1)
def legacy_tree() -> Tree:
    """The 63-province, three-level list in force before 1 July 2025 (loaded once)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort,"
        " districtCode, districtKey, ward, wardShort, wardCode, wardKey FROM admin_units_legacy"
    )
    return _build(
        rows,
        [
            ("province", "provinceShort", "provinceCode", "provinceKey"),
            ("district", "districtShort", "districtCode", "districtKey"),
            ("ward", "wardShort", "wardCode", "wardKey"),
        ],
        ("province", "district", "commune"),
    )


def load() -> None:
    """Build every list now rather than at the first place read: a process that forks its
    workers afterwards (``sohoa extract --jobs``) builds them once for all of them."""
    legacy_tree()
    current_tree()
    legacy_province_codes()
    _names_by_key()
    _reform()


@lru_cache(maxsize=1)
def current_tree() -> Tree:
    """The 34-province, two-level list from 1 July 2025 (loaded once)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardCode,"
        " wardKey FROM admin_units"
    )
    return _build(
        rows,
        [
            ("province", "provinceShort", "provinceCode", "provinceKey"),
            ("ward", "wardShort", "wardCode", "wardKey"),
        ],
        ("province", "commune"),
    )


@lru_cache(maxsize=1)
def legacy_province_codes() -> frozenset[str]:
    """Two-digit codes of the 63 provinces: digits 2-3 of a personal ID are one of these.
    (Read from the list, not :func:`legacy_tree`: the gate checks IDs without the tree.)"""
    from vietnamadminunits.database import query

    rows = query("SELECT DISTINCT provinceCode FROM admin_units_legacy")
    return frozenset(str(r["provinceCode"]) for r in rows)


# --- resolving ---------------------------------------------------------------------------


@dataclass
class _Step:
    unit: Unit
    factor: float
    full: bool  # the part named the unit type too ("Huyện ...")
    prefix: str  # text left of the unit inside the same comma part, kept as read
    lower: bool = False  # read with a lower-case type word, as inside "Trạm y tế xã ..."
    read: str = ""  # the text that named the unit, as read

    def printed(self) -> str:
        name = self.unit.name
        return name[0].lower() + name[1:] if self.lower else name


_TYPE_WORD = re.compile(r"^(thanh pho|thi xa|thi tran|dac khu|tinh|huyen|quan|phuong|xa)\b\W*")


def _type_of(part: str, kind: str | None = None) -> tuple[str, str] | None:
    """(type key, key of the rest) when ``part`` opens with a type word (of level ``kind``)."""
    folded = _expand_abbreviation(fold(part.replace("Ð", "Đ")))
    match = _TYPE_WORD.match(folded)
    if match is None:
        return None
    type_key = _NON_KEY.sub("", match.group(1))
    if kind and type_key not in LEVEL_TYPES[kind]:
        return None
    rest = _NON_KEY.sub("", folded[match.end() :])
    return (type_key, rest) if rest else None


def _lower_type(part: str) -> bool:
    """Keep a lower-case type word ("xã", "huyện") lower: authority names print it so."""
    return part[:1].islower() and _type_of(part) is not None


def _pick(candidates: list[Unit], part: str) -> tuple[Unit, float]:
    """Choose among units sharing a key by their accents; unsure picks cost confidence."""
    ak = accent_key(part)
    exact = [u for u in candidates if ak in (accent_key(u.name), accent_key(u.short))]
    if len(exact) == 1 or (exact and len(candidates) == 1):
        return exact[0], EXACT
    if len(candidates) == 1:
        unit = candidates[0]
        return unit, EXACT if ak.endswith(accent_key(unit.short)) else ACCENT_FIXED
    best = max(
        candidates,
        key=lambda u: difflib.SequenceMatcher(None, ak, accent_key(u.name)).ratio(),
    )
    return best, FUZZY


def _match(
    part: str, children: dict[str, list[Unit]], kind: str, *, fuzzy: bool = True
) -> _Step | None:
    """Find the unit of level ``kind`` that ``part`` names, among one parent's children."""
    pk = part_key(part)
    if not pk:
        return None
    found = children.get(pk)
    if found:
        unit, factor = _pick(found, part)
        return _Step(unit, factor, pk == key(unit.name), "", _lower_type(part), part)
    # Same name, other type of the same level: "Xã" printed where the list says "Phường".
    own_type = _type_of(part, kind)
    if own_type and own_type[1] in children:
        unit, factor = _pick(children[own_type[1]], part)
        return _Step(unit, min(factor, ACCENT_FIXED), False, "", _lower_type(part), part)
    # "Trạm y tế xã Tân Phú" or a lost comma: the unit (with its type word) ends the part.
    words = part.split()
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        tail_key = part_key(tail)
        found = children.get(tail_key)
        if found and any(tail_key == key(u.name) for u in found):
            unit, factor = _pick(found, tail)
            return _Step(unit, factor, True, " ".join(words[:i]), _lower_type(tail), tail)
    # Letters misread as well: closest unit among this parent's children, if clearly closest.
    # Below province level only parts that announce a type of this level ("Xã ...") qualify,
    # so a hamlet such as "Ấp Tân Phú" is not bent into the commune "Xã Tân Phú".
    if not fuzzy or (kind != "province" and own_type is None):
        return None
    scored = _close(pk, children)
    if not scored or scored[0][0] < FUZZY_CUTOFF:
        return None
    best_ratio, best_key = scored[0]
    best_unit = children[best_key][0]
    if any(r > best_ratio - 0.05 and children[k][0] is not best_unit for r, k in scored[1:]):
        return None  # two units about as close: no guessing
    full = best_key == key(best_unit.name)
    return _Step(best_unit, FUZZY, full, "", _lower_type(part), part)


def _close(pk: str, children: dict[str, list[Unit]]) -> list[tuple[float, str]]:
    """Keys within reach of ``pk``, best first; cheap upper bounds skip most candidates."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(pk)
    floor = FUZZY_CUTOFF - 0.05
    out = []
    for k in children:
        if abs(len(k) - len(pk)) > 2:  # OCR swaps letters; it rarely adds or drops three
            continue
        matcher.set_seq1(k)
        if (
            matcher.real_quick_ratio() >= floor
            and matcher.quick_ratio() >= floor
            and matcher.ratio() >= floor
        ):
            out.append((matcher.ratio(), k))
    return sorted(out, reverse=True)


@dataclass
class _Chain:
    steps: list[_Step]
    leftover: list[str]  # comma parts left of the last matched unit, as read
    resolved: bool
    skipped_district: bool = False

    def score(self) -> tuple[int, int, int, int, float]:
        return (
            int(self.resolved),
            int(not self.skipped_district),  # a full reading of either era is likelier
            len(self.steps),
            sum(s.full for s in self.steps),
            sum(s.factor for s in self.steps),
        )


def _resolve_in(tree: Tree, parts: list[str]) -> _Chain:
    parts = list(parts)
    steps: list[_Step] = []
    skipped = False
    children = tree.provinces
    while parts and len(steps) < len(tree.kinds):
        step = _match(parts[-1], children, tree.kinds[len(steps)])
        if step is None and len(steps) == 1 and len(tree.kinds) == 3:
            # "Xã Hiệp An, Tỉnh Lâm Đồng" on an old record: the district was left out.
            step = _match(parts[-1], steps[0].unit.grandchildren(), "commune", fuzzy=False)
            skipped = step is not None
        if step is None:
            break
        parts.pop()
        steps.append(step)
        children = step.unit.children
        if step.prefix:
            parts.append(step.prefix)
    claims_unit = bool(parts) and _type_of(parts[-1]) is not None
    resolved = bool(steps) and not (claims_unit and len(steps) < len(tree.kinds))
    return _Chain(steps, parts, resolved, skipped)


def _render(chain: _Chain) -> str:
    """Leftover parts as read, then the units; a prefix shares its unit's part (no comma)."""
    names = ", ".join(s.printed() for s in reversed(chain.steps))
    if chain.leftover:
        joiner = " " if chain.steps[-1].prefix else ", "
        names = ", ".join(chain.leftover) + joiner + names
    return names[:1].upper() + names[1:]


def _clean(text: str) -> str:
    text = squash_spaces(nfc(text))
    return text.strip(" .,;:")


@lru_cache(maxsize=8192)
def _best_chain(text: str) -> tuple[str, _Chain | None, int, str | None]:
    """(cleaned text, best chain or None, levels of its era, country part) of a place."""
    cleaned = _clean(text)
    parts = [p.strip() for p in cleaned.split(",") if p.strip()]
    country = parts.pop() if len(parts) > 1 and key(parts[-1]) in _COUNTRY_KEYS else None
    if not parts:
        return cleaned, None, 0, country
    trees = [legacy_tree(), current_tree()]
    chains = [_resolve_in(tree, parts) for tree in trees]
    best = max(chains, key=_Chain.score)  # ties keep the legacy reading, the older forms
    levels = len(trees[chains.index(best)].kinds)
    return cleaned, (best if best.steps else None), levels, country


@lru_cache(maxsize=8192)
def resolve_place(text: str) -> tuple[str, float, bool]:
    """Map an OCR'd place to its canonical printed form.

    Returns ``(text, factor, resolved)``: ``factor`` says how sure the correction is (1.0
    nothing but spacing changed, 0.9 accents/type words fixed, 0.7 letters fixed by
    closeness), ``resolved`` whether the place was found in the unit lists. Unresolved
    text comes back cleaned, with whatever units could be placed written canonically.
    """
    cleaned, best, _levels, country = _best_chain(text)
    if best is None:
        return cleaned, EXACT, False
    factor = min(s.factor for s in best.steps)
    rendered = _render(best) + (f", {country}" if country else "")
    return rendered, factor, best.resolved


@dataclass(frozen=True)
class PlaceReading:
    """A place as the page prints it, and what the unit lists make of it.

    ``value`` is the text as read (spacing cleaned), with the marks the reading lost
    restored from the unit lists in the reading's own tone placement (Hoà Bình stays Hoà
    Bình); abbreviations and type words stay as printed. ``restored`` says the value
    carries marks the reading did not: it is then not a reading, and cannot be sure by
    itself. Where the reading spells a unit otherwise (a mark read that the unit lacks,
    letters that only come close), the value stays as read and ``suggestion`` holds the
    lists' spelling, for a person to choose.
    """

    value: str
    factor: float  # how sure the lists are of the units they found (see resolve_place)
    resolved: bool
    restored: bool = False
    suggestion: str | None = None


AS_READ, RESTORED, OTHERWISE = "as_read", "restored", "otherwise"
PLACE_LETTERS = "abcdđeghiklmnopqrstuvxyjwz"  # Ea Wer, Cư Jút, Zà Hung


def spell_as_read(read: str, printed: str, short: str, style: str | None) -> tuple[str, str]:
    """(text, how) for a unit the reading ``read`` names, whose list spelling is
    ``printed`` ("Huyện Đức Trọng"; ``short``: "Đức Trọng").

    Where the reading has the unit's letters, the unit's own spelling comes back in the
    reading's case and tone placement (``style``, when the reading itself shows none), so
    that spacing, a hyphen or a capital the reading lost ("Bà Rịa Vũng Tàu", "Lào cai")
    do not make another value; words before the unit's name that the list spells
    otherwise (an abbreviated type, "TP.") stay as read. ``how`` is :data:`AS_READ` when
    the reading had every mark, :data:`RESTORED` when it lacked some (they are the
    list's), :data:`OTHERWISE` when a mark or a letter was read otherwise: then ``read``
    comes back unchanged. A reading no Vietnamese spelling can be ('Tñnh', 'Na1') is no
    spelling to keep: the list's comes back, :data:`RESTORED` (not read so).
    """
    lined = _line_up(read, printed, short)
    if lined is not None:
        head, tail, model = lined
        got, want = letter_marks(tail), letter_marks(model)
        if len(got) == len(want) and all(
            g[0] == w[0] and g[1] <= w[1] for g, w in zip(got, want, strict=True)
        ):
            how = AS_READ if got == want else RESTORED
            return head + _in_case(model, tail, placement_of(tail) or style), how
    if not spellable(read, PLACE_LETTERS):
        return _in_case(printed, read, style), RESTORED
    return read, OTHERWISE


def _line_up(read: str, printed: str, short: str) -> tuple[str, str, str] | None:
    """(head, tail, model): the reading cut where the unit's name starts, ``tail`` having
    the letters of ``model`` (the full name, or the short one after a head such as
    "TP."); ``None`` when the letters differ."""
    if key(read) == key(printed):
        return "", read, printed
    words = read.split()
    for i in range(len(words)):
        tail = " ".join(words[i:])
        if key(tail) == key(short):
            return " ".join(words[:i] + [""]), tail, short
    return None


def _in_case(model: str, read: str, style: str | None) -> str:
    """The list's spelling in the reading's case (all capitals, or a lower-case type word
    as authority names print it) and tone placement."""
    if read.isupper():
        model = model.upper()
    elif read[:1].islower():
        model = model[:1].lower() + model[1:]
    return with_placement(model, style) if style else model


def read_place(text: str) -> PlaceReading:
    """The place as printed, with the units the lists find in it (:class:`PlaceReading`)."""
    cleaned, best, _levels, country = _best_chain(text)
    if best is None:
        return PlaceReading(cleaned, EXACT, False)
    style = placement_of(cleaned)
    spelled = [
        spell_as_read(s.read, s.unit.name, s.unit.short, style) for s in reversed(best.steps)
    ]
    names = ", ".join(t for t, _ in spelled)
    if best.leftover:
        joiner = " " if best.steps[-1].prefix else ", "
        names = ", ".join(best.leftover) + joiner + names
    if country:
        names += f", {country}"
    factor = min(s.factor for s in best.steps)
    if any(how == OTHERWISE for _, how in spelled):
        suggestion = resolve_place(text)[0]
        return PlaceReading(names, min(factor, FUZZY), best.resolved, False, suggestion)
    restored = any(how == RESTORED for _, how in spelled)
    return PlaceReading(names, factor, best.resolved, restored)


@lru_cache(maxsize=1)
def _names_by_key() -> dict[str, frozenset[str]]:
    """Every unit's printed name with its type, of both eras, by key."""
    out: dict[str, set[str]] = {}
    stack = [u for tree in (legacy_tree(), current_tree()) for u in tree.province_list]
    while stack:
        unit = stack.pop()
        out.setdefault(key(unit.name), set()).add(unit.name)
        stack.extend(unit.child_list)
    return {k: frozenset(v) for k, v in out.items()}


def unit_names(text: str) -> frozenset[str]:
    """Printed names of the units, anywhere in the country, whose name with its type has
    the letters of ``text`` ("XA HA KY" -> {"Xã Hà Kỳ"}): an authority names its unit
    without the parents that would place it."""
    return _names_by_key().get(key(text), frozenset())


# What an authority's name puts before its unit: "Ủy ban nhân dân Xã ...", "UBND Xã ...".
_AUTHORITY_KEYS = frozenset({"uybannhandan", "ubnd"})
_UNIT_INSIDE = re.compile(r"\b(xa|phuong|thi tran)\s+\w")


def whole_chain(text: str) -> bool:
    """Whether every letter of the place is vouched for by the unit lists.

    True when the place is a full chain of its era ("Xã X, Huyện Y, Tỉnh Z", or "Xã X,
    Tỉnh Z" after 2025), each unit read with its type word and found by its letters (not
    by closeness), none named by a number (Phường 4 and Phường 9 are both real), and
    nothing else on the line but an authority's "Ủy ban nhân dân". Three nested names
    that OCR noise turned into another real chain are not a risk worth counting; the
    marks come from the lists. A hamlet or a house ("Thôn 4, ...") is not vouched for.
    """
    _cleaned, best, levels, _country = _best_chain(text)
    if best is None or not best.resolved or best.skipped_district or len(best.steps) != levels:
        return False
    if any(
        s.factor < ACCENT_FIXED
        or not s.full
        or any(c.isdigit() for c in s.unit.name)
        or (s.prefix and key(s.prefix) not in _AUTHORITY_KEYS)
        for s in best.steps
    ):
        return False
    return all(key(part) in _AUTHORITY_KEYS for part in best.leftover)


# A hamlet, village or street group before the commune: "Thôn 3", "Ấp Tân Lập", "Khu phố 9".
_HAMLET = re.compile(
    r"^(?:thon|ap|xom|ban|buon|khom|khu pho|khu|to dan pho|to|doi|lang|plei|soc)"
    r"\s+(?:\d{1,3}[a-z]?|[a-z]+(?:\s+[a-z]+){0,2})$"
)
_HEALTH_STATION = "tramyte"  # "Trạm Y tế Xã X, ...": the commune's health station


def prefix_before_chain(text: str) -> str | None:
    """What stands before a chain the unit lists vouch for (:func:`whole_chain`): the
    hamlet of "Thôn 3, Xã X, Huyện Y, Tỉnh Z" or the "Trạm Y tế" of a commune's health
    station; ``None`` when the text is not such a place.

    The lists know no hamlets, so only the reading can vouch for that part: callers
    must check how surely each of its words was read.
    """
    parts = [p.strip() for p in _clean(text).split(",")]
    if len(parts) >= 3 and _HAMLET.match(fold(parts[0])):
        return parts[0] if whole_chain(", ".join(parts[1:])) else None
    words = parts[0].split()
    if len(words) > 3 and key(" ".join(words[:3])) == _HEALTH_STATION:
        rest = ", ".join([" ".join(words[3:]), *parts[1:]])
        return " ".join(words[:3]) if whole_chain(rest) else None
    return None


def unit_missed(text: str) -> bool:
    """A place whose text names a commune (", Xã Ea Păi") that its chain did not reach.

    The resolver keeps unplaced text as read, so a misread commune of an authority's
    name ("Ủy ban nhân dân Xã Ea Păi, Huyện Ea Kar, ...") would pass as resolved.
    """
    _cleaned, best, levels, _country = _best_chain(text)
    if best is None or len(best.steps) >= levels or not best.leftover:
        return False
    return _UNIT_INSIDE.search(fold(best.leftover[-1])) is not None


# "..., Tỉnh Lâm Đồng, Việt Nam": the country closes some addresses; it is kept as read.
_COUNTRY_KEYS = frozenset({"vietnam", "vn"})


# --- today's unit (after 1 July 2025) ---------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    """A unit of the map in force since 1 July 2025: its code and its name with its
    province ("Xã Hữu Liên, Tỉnh Lạng Sơn"), or a province alone."""

    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@dataclass
class _Reform:
    """The package's 2025 conversion table, indexed by its unit keys (slugs)."""

    province_of: dict[str, str]  # old province slug -> new province slug
    ward_of: dict[str, str]  # "oldprov_olddistrict_oldward" -> new ward slug (in the province)
    old_keys_of: dict[tuple[str, str], set[str]]  # (new province, new ward) -> old keys
    current: dict[tuple[str, str], tuple[Unit, Unit]]  # (province, ward) slugs -> units
    current_provinces: dict[str, Unit]
    legacy_paths: dict[int, tuple[Unit, Unit, Unit]]  # id(old ward) -> (province, district, ward)
    legacy_by_key: dict[str, tuple[Unit, Unit, Unit]]  # old key -> its path


@lru_cache(maxsize=1)
def _reform() -> _Reform:
    """Loaded once from ``vietnamadminunits``' own data, never from the network: its
    converter would ask a geocoder where a split commune's street lies, so a commune
    split in 2025 maps here to the ward the package names as its default."""
    import json
    from importlib.resources import files

    data = json.loads(
        (files("vietnamadminunits") / "data" / "converter_2025.json").read_text("utf-8")
    )
    province_of = {old: new for new, olds in data["DICT_PROVINCE"].items() for old in olds}
    ward_of: dict[str, str] = {}
    old_keys_of: dict[tuple[str, str], set[str]] = {}
    for prov, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            old_keys_of.setdefault((prov, ward), set()).update(olds)
            ward_of.update(dict.fromkeys(olds, ward))
    for prov, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for new in news:
                old_keys_of.setdefault((prov, new["newWardKey"]), set()).add(old)
                if new["isDefaultNewWard"]:
                    ward_of[old] = new["newWardKey"]
    current = {(p.slug, w.slug): (p, w) for p in current_tree().province_list for w in p.child_list}
    paths = {
        id(w): (p, d, w)
        for p in legacy_tree().province_list
        for d in p.child_list
        for w in d.child_list
    }
    return _Reform(
        province_of,
        ward_of,
        old_keys_of,
        current,
        {p.slug: p for p in current_tree().province_list},
        paths,
        {f"{p.slug}_{d.slug}_{w.slug}": (p, d, w) for p, d, w in paths.values()},
    )


def _today_of_legacy(province: Unit, district: Unit | None, ward: Unit | None) -> UnitRef | None:
    reform = _reform()
    new_province = reform.province_of.get(province.slug)
    if new_province is None:
        return None
    if district is not None and ward is not None:
        new_ward = reform.ward_of.get(f"{province.slug}_{district.slug}_{ward.slug}")
        found = reform.current.get((new_province, new_ward or ""))
        if found is not None:
            return _ref(*found)
    return _ref(reform.current_provinces[new_province])


def _ref(province: Unit, ward: Unit | None = None) -> UnitRef:
    if ward is None:
        return UnitRef(province.code, province.name)
    return UnitRef(ward.code, f"{ward.name}, {province.name}")


def place_unit(text: str) -> UnitRef | None:
    """Today's unit of a place the unit lists resolve by its letters (a commune, or only a
    province when no commune is named); ``None`` for a place they do not resolve, or
    resolve only by closeness (that unit is a guess)."""
    _cleaned, best, levels, _country = _best_chain(text)
    if best is None or not best.resolved or any(s.factor < ACCENT_FIXED for s in best.steps):
        return None
    units = [s.unit for s in best.steps]
    if levels == 2:
        return _ref(*units[:2])
    if len(units) == 2 and best.skipped_district:  # province and commune
        return _today_of_legacy(*_reform().legacy_paths[id(units[1])])
    return _today_of_legacy(units[0], *(units[1:3] + [None, None])[:2])


# --- a book's own unit --------------------------------------------------------------------------


def communes_of_code(code: str) -> list[tuple[Unit, UnitRef, tuple[Unit, ...]]]:
    """The communes a register book's unit code may stand for, each with today's unit and
    the units above it: the commune of that code on either map (codes were reused in
    2025), the old communes merged into it, or every commune of a district or province.
    """
    reform = _reform()
    code = code.strip()
    out: list[tuple[Unit, UnitRef, tuple[Unit, ...]]] = []
    for (prov_slug, _), (province, ward) in reform.current.items():
        if code in (ward.code, province.code):
            today = _ref(province, ward)
            out.append((ward, today, (province,)))
            for old in reform.old_keys_of.get((prov_slug, ward.slug), ()):
                if old in reform.legacy_by_key:
                    p, d, w = reform.legacy_by_key[old]
                    out.append((w, today, (d, p)))
    for p, d, w in reform.legacy_paths.values():
        if code in (w.code, d.code, p.code):
            today = _today_of_legacy(p, d, w)
            if today is not None:
                out.append((w, today, (d, p)))
    return out


_COMMUNE_TYPE = re.compile(r"\b(xa|phuong|thi tran|dac khu)\s+\S")


def place_in_book(text: str, code: str) -> tuple[PlaceReading, UnitRef] | None:
    """A place that names its commune without the district or province ("Ủy ban nhân dân
    xã Hữu Liên"), resolved against the unit of the register book it was read from.

    The commune must be one the book's unit code stands for (:func:`communes_of_code`),
    found by its letters, and name one unit of today's map; any district or province the
    text does name must be that commune's. The value keeps its printed text (marks the
    reading lost restored, as in :func:`read_place`). ``None`` when it is no such place.
    """
    cleaned = _clean(text)
    parts = [p.strip() for p in cleaned.split(",")]
    folded = fold(parts[0])
    found = list(_COMMUNE_TYPE.finditer(folded))
    if not found:
        return None
    head, tail = parts[0][: found[-1].start()], parts[0][found[-1].start() :]
    typed = _type_of(tail, "commune")
    if typed is None:
        return None
    above = [_type_of(p) for p in parts[1:]]
    if any(t is None for t in above):
        return None
    matches = [
        (unit, today)
        for unit, today, parents in communes_of_code(code)
        if key(unit.short) == typed[1]
        and all(any(rest == key(u.short) for u in parents) for _t, rest in filter(None, above))
    ]
    if len({today for _, today in matches}) != 1:
        return None
    unit, today = matches[0]
    spelled, how = spell_as_read(tail, unit.name, unit.short, placement_of(cleaned))
    value = ", ".join([head + spelled, *parts[1:]])
    if how == OTHERWISE:
        suggestion = ", ".join([head + unit.name, *parts[1:]])
        return PlaceReading(cleaned, FUZZY, True, False, suggestion), today
    return PlaceReading(value, EXACT, True, how == RESTORED), today
