"""Names and ethnic groups the generator draws from, loaded from ``ocr/data``.

The generator reads the same lexicon files the OCR corrector uses, so most names on a
synthetic page are ones the corrector knows; :data:`UNSEEN_GIVEN` adds a few given names
the lexicon lacks, so correction is never tested on a closed world.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ocr
from ocr.errors import MissingDependencyError

DATA_DIR = Path(ocr.__file__).resolve().parent / "data"

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


def person_name(rng: random.Random, sex: str) -> str:
    """Surname + middle + given, title case as people write it."""
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


def ethnicity(rng: random.Random) -> str:
    lex = load_lexicon()
    if "Kinh" in lex.ethnic_names and rng.random() < KINH_SHARE:
        return "Kinh"
    others = [e for e in lex.ethnic_names if e != "Kinh"] or lex.ethnic_names
    # The official list runs roughly from the largest group down: weight by rank.
    return rng.choices(others, weights=[1 / (i + 1) for i in range(len(others))])[0]
