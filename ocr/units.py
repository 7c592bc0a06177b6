"""Administrative units: province codes and resolving OCR'd place names to their printed form.

Units come from the maintained ``vietnamadminunits`` package (docs/reference-data.md),
never from a copy.
Records name places in two eras: three levels before 1 July 2025 (commune, district,
province; table ``admin_units_legacy``, 63 provinces) and two levels after it (commune,
province; table ``admin_units``, 34 provinces). Both are loaded once and indexed by an
accent-, case- and punctuation-free key, because Tesseract often drops the stacked
diacritics of place names ("Lâm Đông" for "Lâm Đồng") or loses them entirely.

The resolver works from the right (province first), the way Vietnamese addresses nest, and
keeps anything it cannot place on the left (house, hamlet, hospital: "Thôn 3, ...") as read.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ocr.text import fold, nfc, squash_spaces

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


def _short_of(name: str) -> str:
    k = key(name)
    for t in _UNIT_TYPES:
        if k.startswith(t) and len(k) > len(t):
            words = name.split()
            n = 2 if t in ("thanhpho", "thixa", "thitran", "dackhu") else 1
            return " ".join(words[n:])
    return name


def _build(rows: list[dict], columns: list[tuple[str, str, str]], kinds: tuple[str, ...]) -> Tree:
    root = Unit("", "", "")
    by_path: dict[tuple[str, ...], Unit] = {(): root}
    for row in rows:
        path: tuple[str, ...] = ()
        for name_col, short_col, code_col in columns:
            name = row.get(name_col)
            if not name:
                break
            name = nfc(name)
            child_path = (*path, name)
            if child_path not in by_path:
                short = nfc(row.get(short_col) or _short_of(name))
                unit = Unit(name, short, str(row.get(code_col) or ""))
                by_path[path].add(unit)
                by_path[child_path] = unit
            path = child_path
    return Tree(root.children, root.child_list, kinds)


@lru_cache(maxsize=1)
def legacy_tree() -> Tree:
    """The 63-province, three-level list in force before 1 July 2025 (loaded once)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, provinceShort, provinceCode, district, districtShort, districtCode,"
        " ward, wardShort, wardCode FROM admin_units_legacy"
    )
    return _build(
        rows,
        [
            ("province", "provinceShort", "provinceCode"),
            ("district", "districtShort", "districtCode"),
            ("ward", "wardShort", "wardCode"),
        ],
        ("province", "district", "commune"),
    )


@lru_cache(maxsize=1)
def current_tree() -> Tree:
    """The 34-province, two-level list from 1 July 2025 (loaded once)."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, provinceShort, provinceCode, ward, wardShort, wardCode FROM admin_units"
    )
    return _build(
        rows,
        [("province", "provinceShort", "provinceCode"), ("ward", "wardShort", "wardCode")],
        ("province", "commune"),
    )


@lru_cache(maxsize=1)
def legacy_province_codes() -> frozenset[str]:
    """Two-digit codes of the 63 provinces: digits 2-3 of a personal ID are one of these."""
    return frozenset(u.code for u in legacy_tree().province_list)


# --- resolving ---------------------------------------------------------------------------


@dataclass
class _Step:
    unit: Unit
    factor: float
    full: bool  # the part named the unit type too ("Huyện ...")
    prefix: str  # text left of the unit inside the same comma part, kept as read
    lower: bool = False  # read with a lower-case type word, as inside "Trạm y tế xã ..."

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
        return _Step(unit, factor, pk == key(unit.name), "", _lower_type(part))
    # Same name, other type of the same level: "Xã" printed where the list says "Phường".
    own_type = _type_of(part, kind)
    if own_type and own_type[1] in children:
        unit, factor = _pick(children[own_type[1]], part)
        return _Step(unit, min(factor, ACCENT_FIXED), False, "", _lower_type(part))
    # "Trạm y tế xã Tân Phú" or a lost comma: the unit (with its type word) ends the part.
    words = part.split()
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        tail_key = part_key(tail)
        found = children.get(tail_key)
        if found and any(tail_key == key(u.name) for u in found):
            unit, factor = _pick(found, tail)
            return _Step(unit, factor, True, " ".join(words[:i]), _lower_type(tail))
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
    return _Step(best_unit, FUZZY, best_key == key(best_unit.name), "", _lower_type(part))


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
