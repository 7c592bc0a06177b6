"""The closed lists of manual entry: 54 ethnic groups with their other spellings, and
nationalities in Vietnamese, Việt Nam first."""

from __future__ import annotations

from sohoa.review.lists import ethnic_choices, nationality_choices


def test_the_54_ethnic_groups_with_what_else_they_are_called():
    choices = dict(ethnic_choices())
    assert len(choices) == 54 and next(iter(choices)) == "Kinh"
    assert "hmong" in choices["Mông"].split()  # "Mong" finds Mông


def test_nationalities_in_vietnamese_vietnam_first():
    names = nationality_choices()
    assert names[0] == "Việt Nam" and names.count("Việt Nam") == 1
    assert {"Lào", "Campuchia", "Trung Quốc", "Pháp", "Hoa Kỳ"} <= set(names)
    assert "Thế giới" not in names and len(names) > 190
