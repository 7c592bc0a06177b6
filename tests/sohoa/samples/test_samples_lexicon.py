"""Held-out names: real names the corrector never loads, in the shares issue 18 asks for."""

from __future__ import annotations

import json
import random
import re

from sohoa.samples import lexicon
from sohoa.samples.tones import placement_free

VIETNAMESE_SYLLABLE = re.compile(
    r"^[A-ZĐÂĂÊÔƠƯÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
    r"[a-zđâăêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]*$"
)


def _held_out_file() -> dict:
    return json.loads(lexicon.HELD_OUT_FILE.read_text(encoding="utf-8"))


def test_held_out_file_lives_outside_ocr_and_holds_single_real_syllables():
    assert "ocr" not in lexicon.HELD_OUT_FILE.relative_to(lexicon.HELD_OUT_FILE.parents[3]).parts
    data = _held_out_file()
    entries = data["surnames"] + [
        n for part in ("middle", "given") for v in data[part].values() for n in v
    ]
    assert len(entries) > 150
    for name in entries:
        assert VIETNAMESE_SYLLABLE.match(name), name


def test_no_held_out_name_is_in_the_correctors_lexicon():
    """If someone adds one of these to ocr/data/names.json the benchmark would flatter us
    again: this fails so that the name is replaced here."""
    data = _held_out_file()
    known = lexicon.corrector_tokens()
    entries = data["surnames"] + [
        n for part in ("middle", "given") for v in data[part].values() for n in v
    ]
    leaked = [n for n in entries if placement_free(n).lower() in known]
    assert not leaked


def _parts(name: str) -> tuple[str, list[str], str]:
    tokens = name.split()
    return tokens[0], tokens[1:-1], tokens[-1]


def test_held_out_shares_over_many_names():
    held = lexicon.load_held_out()
    surnames = set(held.surnames)
    middles = {m for v in held.middle.values() for m in v}
    given = {g for v in held.given.values() for g in v}
    rng = random.Random(11)
    counts = {"surname": 0, "middle": 0, "given": 0}
    middle_total = 0
    n = 3000
    with lexicon.drawing_from(lexicon.HELD_OUT):
        for _ in range(n):
            surname, mids, last = _parts(lexicon.person_name(rng, rng.choice(["male", "female"])))
            counts["surname"] += surname in surnames
            counts["given"] += last in given
            counts["middle"] += sum(m in middles for m in mids)
            middle_total += len(mids)
    assert counts["given"] / n >= 0.30
    assert counts["surname"] / n >= 0.10
    assert counts["middle"] / middle_total >= 0.10


def test_classic_pool_is_unchanged_outside_the_context():
    rng_a, rng_b = random.Random(3), random.Random(3)
    with lexicon.drawing_from(lexicon.HELD_OUT):
        pass
    assert lexicon.person_name(rng_a, "male") == lexicon.person_name(rng_b, "male")
    held = set(lexicon.load_held_out().surnames)
    rng = random.Random(4)
    assert not any(lexicon.person_name(rng, "female").split()[0] in held for _ in range(500))


def test_name_source_marks_in_and_out_of_the_lexicon_in_either_placement():
    assert lexicon.name_source("NGUYỄN VĂN HÒA") == "lexicon"
    assert lexicon.name_source("NGUYỄN VĂN HOÀ") == "lexicon"
    assert lexicon.name_source("Thuỷ") == "lexicon"
    held = lexicon.load_held_out().given["male"][0]
    assert lexicon.name_source(f"Nguyễn Văn {held}".upper()) == "held_out"
