"""Old tone placement: HÒA -> HOÀ on a quarter of realistic pages, truth as printed."""

from __future__ import annotations

import random

import pytest

from sohoa.samples import tones
from sohoa.samples.realistic import OLD_TONE_SHARE, draw_style, render_realistic


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("NGÔ HỮU HÒA", "NGÔ HỮU HOÀ"),
        ("Thủy", "Thuỷ"),
        ("KHỎE", "KHOẺ"),
        ("tỉnh Hòa Bình", "tỉnh Hoà Bình"),
        ("Ủy ban nhân dân", "Uỷ ban nhân dân"),
        ("Thanh Hóa", "Thanh Hoá"),
        ("Lũy", "Luỹ"),
    ],
)
def test_open_syllables_move_their_mark_and_back(new, old):
    assert tones.to_old(new) == old
    assert tones.to_new(old) == new


@pytest.mark.parametrize("word", ["Hoàng", "thuyền", "Quý", "QUỲNH", "khoét", "toàn"])
def test_closed_syllables_and_qu_stay_as_they_are(word):
    assert tones.to_old(word) == word


def test_about_a_quarter_of_pages_use_the_old_placement():
    draws = [draw_style("birth", random.Random(f"{s}/birth/style")).old_tones for s in range(1200)]
    share = sum(draws) / len(draws)
    assert abs(share - OLD_TONE_SHARE) < 0.04


def _seed_with(doc_type: str, old: bool) -> int:
    return next(
        s
        for s in range(500)
        if (st := draw_style(doc_type, random.Random(f"{s}/{doc_type}/style"))).old_tones == old
        and st.capture == "scan"
    )


def test_an_old_placement_page_prints_and_keeps_hoa_as_hoa():
    """The truth is the value as printed: every Hòa-like spelling on the page is Hoà."""
    seed = _seed_with("birth", old=True)
    _, truth = render_realistic("birth", seed, dpi=100)
    assert truth["tone_placement"] == "old"
    text = " ".join(str(v) for v in truth["fields"].values())
    assert tones.to_old(text) == text  # nothing left in the new placement
    assert "Ủy ban" not in text and "ỦY BAN" not in text
    assert any(w in text for w in ("Uỷ ban", "UỶ BAN")) or "UBND" in text


def test_a_new_placement_page_keeps_the_generator_spelling():
    seed = _seed_with("birth", old=False)
    _, truth = render_realistic("birth", seed, dpi=100)
    assert truth["tone_placement"] == "new"
    text = " ".join(str(v) for v in truth["fields"].values())
    assert tones.to_new(text) == text
