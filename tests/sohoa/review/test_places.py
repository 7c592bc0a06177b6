"""The place picker's suggestions: the official units of the record's era, found by a few
letters without diacritics, the register book's own district and province first."""

from __future__ import annotations

from datetime import date

from sohoa.review.places import CURRENT, ERAS, LEGACY, authority_of, era_of, suggest

BOOK_UNIT = "25920"  # Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương (before 2025)


def _texts(*args, **kwargs) -> list[str]:
    return [p.text for p in suggest(*args, **kwargs)]


def test_a_few_letters_without_diacritics_find_the_commune_with_its_parents():
    assert _texts("uyen hung", (LEGACY,), near=BOOK_UNIT)[0] == (
        "Phường Uyên Hưng, Thành phố Tân Uyên, Tỉnh Bình Dương"
    )
    # Words of the parents narrow it down: Khánh Thiện of Ninh Bình, not of Yên Bái.
    assert _texts("khanh thien ninh", (LEGACY,))[0] == (
        "Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình"
    )


def test_the_books_own_district_comes_first_among_namesakes():
    found = _texts("tan hiep", (LEGACY,), near=BOOK_UNIT)
    assert found[0] == "Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
    assert found[1].endswith("Tỉnh Bình Dương")  # the same province next


def test_the_hierarchy_has_provinces_and_districts_too():
    assert _texts("binh duong", (LEGACY,))[0] == "Tỉnh Bình Dương"
    assert _texts("tan uyen", (LEGACY,), near=BOOK_UNIT)[0] == (
        "Thành phố Tân Uyên, Tỉnh Bình Dương"
    )


def test_after_1_july_2025_there_are_two_levels():
    found = suggest("tan hiep", (CURRENT,), near=BOOK_UNIT)
    assert found[0].text == "Phường Tân Hiệp, Thành phố Hồ Chí Minh"
    assert all(p.era == CURRENT and p.level in ("province", "commune") for p in found)


def test_text_before_the_last_comma_is_kept_as_typed():
    assert _texts("Khu phố 3, tan hiep", (LEGACY,), near=BOOK_UNIT)[0] == (
        "Khu phố 3, Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
    )


def test_words_that_start_no_unit_suggest_nothing():
    assert suggest("benh vien tu du", ERAS) == []
    assert suggest("Thôn 3, ", ERAS) == []


def test_the_era_follows_the_registration_date_then_the_books_year():
    assert era_of(date(2025, 6, 30), 2025) == (LEGACY,)
    assert era_of(date(2025, 7, 1), 2025) == (CURRENT,)
    assert era_of(None, 2020) == (LEGACY,)
    assert era_of(None, 2026) == (CURRENT,)
    assert era_of(None, 2025) == ERAS


def test_the_authority_of_the_books_unit():
    assert authority_of(BOOK_UNIT, (LEGACY,)) == (
        "Ủy ban nhân dân Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
    )
    assert authority_of(BOOK_UNIT, (CURRENT,)) == (
        "Ủy ban nhân dân Phường Tân Hiệp, Thành phố Hồ Chí Minh"
    )
    assert authority_of("99999") is None
