"""Names and ethnic groups the generator draws from.

Two sources of names:

- the corrector's own lexicon (``ocr/data/names.json``): a page made only from it flatters
  the reader, whose corrector knows every name on it. The classic profiles draw from it,
  plus a few given names it lacks (:data:`UNSEEN_GIVEN`, 5 %);
- a *held-out* list kept in the generator's own data (``data/heldout_names.json``), real
  names the lexicon does not hold and that nothing under ``ocr/`` ever loads. The
  realistic profile draws :data:`HELD_OUT` shares of surnames, middle and given names
  from it, so the benchmark can report names in and out of the lexicon separately
  (:func:`name_source`).

Which pool is in force is set per page with :func:`drawing_from` (the builders only ask
for a name).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ocr
from ocr.errors import MissingDependencyError
from sohoa.samples.tones import placement_free

DATA_DIR = Path(ocr.__file__).resolve().parent / "data"
HELD_OUT_FILE = Path(__file__).resolve().parent / "data" / "heldout_names.json"

# Real Vietnamese given names, filtered at load time against the lexicon so they stay unseen.
UNSEEN_GIVEN = [
    "Khuê",
    "Diệp",
    "Thụy",
    "Quyên",
    "Vỹ",
    "Tường",
    "Nhiên",
    "Khải",
    "Doãn",
    "Triều",
    "Tiệp",
    "Huyên",
    "Ẩn",
    "Giáp",
    "Thục",
    "Luyến",
    "Xoan",
    "Cừ",
    "Khiêm",
    "Uyển",
    "Đệ",
    "Thiều",
    "Hoạch",
    "Tuệ",
    "Yên",
    "Sương",
    "Nhạn",
    "Quyết",
    "Lụa",
    "Thắm",
    "Tịnh",
    "Lãm",
    "Quới",
    "Xuyến",
    "Sính",
    "Ngạn",
    "Thoa",
    "Nhàn",
    "Lài",
    "Vọng",
    "Dư",
    "Mến",
    "Lực",
    "Tạo",
    "Thìn",
    "Dần",
    "Tý",
    "Ngọ",
    "Khởi",
    "Đoan",
    "Cúc",
    "Huề",
    "Ước",
    "Nghĩa Hiệp",
    "Trâm Anh",
]
UNSEEN_SHARE = 0.05

# Rough shares of the ten commonest surnames (Nguyễn alone is close to 40%).
_TOP_SURNAME_WEIGHTS = [38, 11, 9.5, 7, 5.1, 5, 4.5, 3.9, 3.9, 2.1]
_MALE_MIDDLE = ["Văn", "Đức", "Hữu", "Quang", "Minh", "Công", "Đình", "Xuân", "Thanh", "Quốc"]
_FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Thùy", "Kim", "Mai", "Hồng"]
KINH_SHARE = 0.8


@dataclass(frozen=True)
class HeldOut:
    """Shares of each name part drawn from the held-out list (0 = lexicon only).

    Above the floors of issue 18 (30 % of given names, 10 % of surnames and middle names)
    with a margin, so a few hundred pages stay above them.
    """

    surname: float = 0.0
    middle: float = 0.0
    given: float = 0.0


CLASSIC = HeldOut()
HELD_OUT = HeldOut(surname=0.13, middle=0.13, given=0.36)
_POOL: ContextVar[HeldOut] = ContextVar("sohoa_samples_name_pool", default=CLASSIC)


@contextmanager
def drawing_from(pool: HeldOut) -> Iterator[None]:
    """Draw the names made inside the ``with`` with ``pool``'s held-out shares."""
    token = _POOL.set(pool)
    try:
        yield
    finally:
        _POOL.reset(token)


@dataclass(frozen=True)
class HeldOutNames:
    surnames: list[str]
    middle: dict[str, list[str]]  # by sex
    given: dict[str, list[str]]  # by sex


@dataclass(frozen=True)
class Lexicon:
    surnames: list[str]
    surname_weights: list[float]
    middle: list[str]
    given: list[str]
    unseen_given: list[str]
    ethnic_names: list[str]


def _read_json(name: str) -> object:
    path = DATA_DIR / name
    if not path.exists():
        raise MissingDependencyError(f"{path} is missing; the sample generator needs it")
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    names = _read_json("names.json")
    groups = _read_json("ethnic_groups.json")
    surnames = list(names["surnames"])
    weights = [
        _TOP_SURNAME_WEIGHTS[i] if i < len(_TOP_SURNAME_WEIGHTS) else 1.5 / (i - 8)
        for i in range(len(surnames))
    ]
    given = list(names["given"])
    known = {g.lower() for g in given}
    unseen = [g for g in UNSEEN_GIVEN if g.lower() not in known]
    ethnic = [g["name"] for g in groups]
    return Lexicon(surnames, weights, list(names["middle"]), given, unseen, ethnic)


@lru_cache(maxsize=1)
def corrector_tokens() -> frozenset[str]:
    """Every name syllable the corrector's lexicon holds, lower case, either placement."""
    names = _read_json("names.json")
    return frozenset(
        placement_free(token).lower()
        for part in ("surnames", "middle", "given")
        for entry in names[part]
        for token in entry.split()
    )


@lru_cache(maxsize=1)
def load_held_out() -> HeldOutNames:
    """The held-out list, less anything the corrector's lexicon has learnt since (so a
    held-out name is never one the corrector knows)."""
    if not HELD_OUT_FILE.exists():
        raise MissingDependencyError(f"{HELD_OUT_FILE} is missing; the sample generator needs it")
    data = json.loads(HELD_OUT_FILE.read_text(encoding="utf-8"))
    known = corrector_tokens()

    def keep(names: list[str]) -> list[str]:
        return [n for n in names if placement_free(n).lower() not in known]

    return HeldOutNames(
        keep(data["surnames"]),
        {sex: keep(v) for sex, v in data["middle"].items()},
        {sex: keep(v) for sex, v in data["given"].items()},
    )


def name_source(name: str) -> str:
    """``"lexicon"`` when the corrector's lexicon holds every syllable of ``name`` (in
    either tone placement), else ``"held_out"``."""
    known = corrector_tokens()
    tokens = placement_free(name).lower().split()
    return "lexicon" if all(t in known for t in tokens) else "held_out"


def person_name(rng: random.Random, sex: str) -> str:
    """Surname + middle + given, title case as people write it."""
    pool = _POOL.get()
    if pool != CLASSIC:
        return _split_name(rng, sex, pool)
    lex = load_lexicon()
    surname = rng.choices(lex.surnames, weights=lex.surname_weights)[0]
    if rng.random() < 0.7:
        middle = rng.choice(_FEMALE_MIDDLE if sex == "female" else _MALE_MIDDLE)
    else:
        middle = rng.choice(lex.middle)
    if sex == "male" and middle == "Thị":
        middle = "Văn"
    if lex.unseen_given and rng.random() < UNSEEN_SHARE:
        given = rng.choice(lex.unseen_given)
    else:
        given = rng.choice(lex.given)
    parts = [surname, middle, given]
    if rng.random() < 0.08:  # some names carry a second middle name
        parts.insert(2, rng.choice(lex.middle))
    return " ".join(parts)


def _split_name(rng: random.Random, sex: str, pool: HeldOut) -> str:
    """A name whose parts come from the held-out list with ``pool``'s shares."""
    lex, held = load_lexicon(), load_held_out()
    if rng.random() < pool.surname:
        surname = rng.choice(held.surnames)
    else:
        surname = rng.choices(lex.surnames, weights=lex.surname_weights)[0]

    def middle_name() -> str:
        if rng.random() < pool.middle:
            return rng.choice(held.middle[sex])
        if rng.random() < 0.7:
            return rng.choice(_FEMALE_MIDDLE if sex == "female" else _MALE_MIDDLE)
        pick = rng.choice(lex.middle)
        return "Văn" if sex == "male" and pick == "Thị" else pick

    middles = [middle_name()]
    if rng.random() < 0.08:
        middles.append(middle_name())
    given = rng.choice(held.given[sex]) if rng.random() < pool.given else rng.choice(lex.given)
    return " ".join([surname, *middles, given])


def ethnicity(rng: random.Random) -> str:
    lex = load_lexicon()
    if "Kinh" in lex.ethnic_names and rng.random() < KINH_SHARE:
        return "Kinh"
    others = [e for e in lex.ethnic_names if e != "Kinh"] or lex.ethnic_names
    # The official list runs roughly from the largest group down: weight by rank.
    return rng.choices(others, weights=[1 / (i + 1) for i in range(len(others))])[0]
