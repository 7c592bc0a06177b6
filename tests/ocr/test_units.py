import random
import time

import pytest

from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import strip_diacritics
from ocr.units import (
    ACCENT_FIXED,
    EXACT,
    accent_key,
    key,
    legacy_province_codes,
    prefix_before_chain,
    resolve_place,
    unit_missed,
    unit_names,
    whole_chain,
)
from tests.reference import reference_rows


def _rows(name: str) -> list[dict[str, str]]:
    return reference_rows(name)


def test_province_codes_are_the_63_of_the_reference_list():
    reference = {r["province_code"] for r in _rows("admin_units_2025-03.csv")}
    assert len(reference) == 63
    assert legacy_province_codes() == frozenset(reference)


def test_keys_ignore_accents_case_punctuation_and_tone_placement():
    assert key("Bà Rịa - Vũng Tàu") == "bariavungtau"
    assert key("ĐỨC TRỌNG") == key("Duc Trong") == key("Ðức Trọng")  # Icelandic eth
    assert accent_key("Hoà") == accent_key("Hòa")
    assert accent_key("Thuỷ") == accent_key("Thủy")
    assert accent_key("Lâm Đông") != accent_key("Lâm Đồng")


@pytest.mark.parametrize(
    "read",
    [
        "Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong",
        "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đông",
        "XÃ HIỆP AN, HUYỆN ĐỨC TRỌNG, TỈNH LÂM ĐỒNG",
        "Xã  Hiệp An ,Huyện Đức Trọng,  Tỉnh Lâm Đồng.",
    ],
)
def test_legacy_three_levels_without_or_with_dropped_diacritics(read):
    value, factor, resolved = resolve_place(read)
    assert value == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert resolved
    assert AUTO_ACCEPT_CONFIDENCE <= factor <= EXACT


def test_exact_text_keeps_full_factor_and_accent_fix_is_capped():
    assert resolve_place("Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng")[1] == EXACT
    assert resolve_place("Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đông")[1] == ACCENT_FIXED


def test_house_or_village_prefix_is_kept_as_read():
    value, _, resolved = resolve_place("Thôn 3, Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong")
    assert value == "Thôn 3, Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert resolved


def test_authority_name_keeps_its_words_and_lower_case_types():
    value, factor, resolved = resolve_place(
        "Ủy ban nhân dân xã Hiệp An, huyện Đức Trọng, tỉnh Lâm Đông"
    )
    assert value == "Ủy ban nhân dân xã Hiệp An, huyện Đức Trọng, tỉnh Lâm Đồng"
    assert resolved and factor == ACCENT_FIXED


def test_a_closing_country_is_kept():
    value, _, resolved = resolve_place("Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong, Việt Nam")
    assert value == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng, Việt Nam"
    assert resolved


def test_lost_commas_are_restored():
    value, _, resolved = resolve_place("Xã Hiệp An Huyện Đức Trọng Tỉnh Lâm Đồng")
    assert value == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert resolved


def test_new_two_level_address_from_2025():
    value, factor, resolved = resolve_place("Xa Tan Phu, Tinh Dong Nai")
    assert value == "Xã Tân Phú, Tỉnh Đồng Nai"
    assert resolved and factor == ACCENT_FIXED


def test_old_commune_with_the_district_left_out():
    # Hiệp An was merged away in 2025: only the old list knows it, under Huyện Đức Trọng.
    assert resolve_place("Xa Hiep An, Tinh Lam Dong") == (
        "Xã Hiệp An, Tỉnh Lâm Đồng",
        ACCENT_FIXED,
        True,
    )


def test_district_only_province_only_and_abbreviations():
    assert resolve_place("Huyen Duc Trong, Tinh Lam Dong")[::2] == (
        "Huyện Đức Trọng, Tỉnh Lâm Đồng",
        True,
    )
    assert resolve_place("Hà Nội")[::2] == ("Thành phố Hà Nội", True)
    assert resolve_place("Phường 5, Quận 3, TP. Hồ Chí Minh")[::2] == (
        "Phường 5, Quận 3, Thành phố Hồ Chí Minh",
        True,
    )


def test_misread_letters_are_corrected_only_below_auto_accept():
    value, factor, resolved = resolve_place("Xã Hiệp Ann, Huyện Đức Trọng, Tỉnh Lârn Đồng")
    assert value == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert resolved
    assert factor < AUTO_ACCEPT_CONFIDENCE


def test_a_hamlet_is_not_bent_into_a_commune_of_similar_name():
    value, _, resolved = resolve_place("Ấp Tân Phú, Tỉnh Đồng Nai")
    assert value == "Ấp Tân Phú, Tỉnh Đồng Nai"
    assert resolved  # the province is placed; the hamlet is below the unit lists


def test_unknown_places_are_unresolved_and_kept():
    assert resolve_place("Bangkok, Thái Lan ...") == ("Bangkok, Thái Lan", EXACT, False)
    # A part that claims to be a commune but is none of the district's communes.
    value, _, resolved = resolve_place("Xã Không Có Thật, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert not resolved
    assert value == "Xã Không Có Thật, Huyện Đức Trọng, Tỉnh Lâm Đồng"


def _agreement(rows: list[dict[str, str]], fmt: str, strip: bool) -> tuple[int, int, list]:
    same_letters = same_accents = 0
    misses = []
    for row in rows:
        printed = fmt.format(**row)
        value, _, resolved = resolve_place(strip_diacritics(printed) if strip else printed)
        if resolved and key(value) == key(printed):
            same_letters += 1
            same_accents += accent_key(value) == accent_key(printed)
        else:
            misses.append((printed, value))
    return same_letters, same_accents, misses


@pytest.mark.parametrize("table", ["admin_units_legacy", "admin_units"])
def test_every_unit_as_the_package_prints_it_resolves_unchanged(table):
    # The run-time source itself: what the generator prints must come back exactly.
    from vietnamadminunits.database import query

    columns = "ward, district, province" if table.endswith("legacy") else "ward, province"
    rows = query(f"SELECT {columns} FROM {table} WHERE ward IS NOT NULL")
    for row in random.Random(table).sample(rows, 300):
        printed = ", ".join(row.values())
        assert resolve_place(printed) == (printed, EXACT, True)


def test_sample_of_legacy_units_resolves_to_the_reference_names():
    rows = random.Random(20250301).sample(_rows("admin_units_2025-03.csv"), 400)
    fmt = "{commune_name}, {district_name}, {province_name}"
    letters, accents, misses = _agreement(rows, fmt, strip=True)
    # The package and the GSO list spell a few ethnic-minority communes differently
    # (Xín/Sín, Tỵ/Ty): allow 2 %, no more.
    assert letters >= 0.98 * len(rows), misses[:10]
    letters, accents, misses = _agreement(rows, fmt, strip=False)
    assert accents >= 0.97 * len(rows), misses[:10]


def test_sample_of_units_from_2025_resolves_without_diacritics():
    rows = random.Random(20250701).sample(_rows("admin_units_2025-07.csv"), 300)
    # The reference (a later build) calls Đồng Nai a city; compare the commune part only.
    letters = 0
    for row in rows:
        value, _, resolved = resolve_place(
            strip_diacritics(f"{row['commune_name']}, {row['province_name']}")
        )
        letters += resolved and key(value.split(",")[0]) == key(row["commune_name"])
    assert letters >= 0.98 * len(rows)


def test_resolving_is_fast_after_warm_up():
    rows = random.Random(3).sample(_rows("admin_units_2025-03.csv"), 100)
    resolve_place.__wrapped__("Tỉnh Lâm Đồng")  # warm-up: loads the unit lists once
    start = time.perf_counter()
    fmt = "{commune_name}, {district_name}, {province_name}"
    for row in rows:
        resolve_place.__wrapped__(strip_diacritics(fmt.format(**row)))
    per_call = (time.perf_counter() - start) / len(rows)
    assert per_call < 0.02  # a few ms, with room for a busy shared machine


def test_a_whole_chain_read_with_its_type_words_is_vouched_for():
    assert whole_chain("Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert whole_chain("Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong")  # marks from the lists
    assert whole_chain("Ủy ban nhân dân Xã Đồng Nai, Huyện Bù Đăng, Tỉnh Bình Phước")
    assert whole_chain("UBND Xã Đồng Nai, Huyện Bù Đăng, Tỉnh Bình Phước")


def test_what_the_lists_cannot_vouch_for_is_not_a_whole_chain():
    # A hamlet's letters and number, a unit named by a number, a part of a chain, a guess.
    assert not whole_chain("Thôn 4, Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert not whole_chain("Phường 4, Quận 5, Thành phố Hồ Chí Minh")
    assert not whole_chain("Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert not whole_chain("Xã Hiệp An, Huyện Đức Trọng, Tỉnh")
    assert not whole_chain("Xã Hiệp Anh, Huyện Đức Trọng, Tỉnh Lâm Đồng")  # no such commune
    assert not whole_chain("Hiệp An, Đức Trọng, Lâm Đồng")  # type words not read


def test_a_hamlet_or_health_station_before_a_whole_chain_is_split_off():
    chain = "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert prefix_before_chain(f"Thôn 4, {chain}") == "Thôn 4"
    assert prefix_before_chain(f"Ấp Tân Lập, {chain}") == "Ấp Tân Lập"
    assert prefix_before_chain(f"Khu phố 9, {chain}") == "Khu phố 9"
    assert prefix_before_chain(f"Trạm Y tế {chain}") == "Trạm Y tế"
    # Nothing before the chain, a house number, a chain the lists do not vouch for.
    assert prefix_before_chain(chain) is None
    assert prefix_before_chain(f"Số 12, {chain}") is None
    assert prefix_before_chain("Ấp 4, Xã Lăng Hiếu, Tỉnh Phú Yên") is None
    assert prefix_before_chain("Thôn 4, Xã Hiệp Anh, Huyện Đức Trọng, Tỉnh Lâm Đồng") is None


def test_a_commune_named_but_not_found_is_noticed():
    assert unit_missed("Ủy ban nhân dân Xã Hiệp Ax, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert unit_missed("Trạm y tế xã Hiệp Ax, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert not unit_missed("Ủy ban nhân dân Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert not unit_missed("Bệnh viện Đa khoa, Huyện Đức Trọng, Tỉnh Lâm Đồng")


def test_unit_names_are_found_by_their_letters_anywhere():
    assert unit_names("HUYEN QUY HOP") == {"Huyện Quỳ Hợp"}
    assert unit_names("Xã Không Có Thật") == frozenset()


# --- as printed, and today's unit ----------------------------------------------------------


def test_a_place_is_kept_as_printed_with_lost_marks_restored_in_its_own_placement():
    from ocr.units import read_place

    printed = "Xã Hoà Sơn, Huyện Lương Sơn, Tỉnh Hoà Bình"  # the lists spell Hòa
    assert read_place(printed).value == printed
    assert not read_place(printed).restored
    lost = read_place("XA HOA SON, HUYEN LUONG SON, TỈNH HOÀ BÌNH")
    assert lost.value == "XÃ HOÀ SƠN, HUYỆN LƯƠNG SƠN, TỈNH HOÀ BÌNH" and lost.restored
    other = read_place("Xã Hòa Sơn, Huyện Lương Sơn, Tỉnh Hòa Bình")
    assert other.value == "Xã Hòa Sơn, Huyện Lương Sơn, Tỉnh Hòa Bình"
    # Type words and abbreviations stay as printed; the list's rendering is only for checks.
    assert read_place("Phường 5, Quận 3, TP. Hồ Chí Minh").value == (
        "Phường 5, Quận 3, TP. Hồ Chí Minh"
    )
    assert resolve_place("Phường 5, Quận 3, TP. Hồ Chí Minh")[0].endswith("Thành phố Hồ Chí Minh")


def test_a_unit_read_otherwise_is_kept_and_the_lists_spelling_suggested():
    from ocr.units import read_place

    reading = read_place("Xã Hiệp Ann, Huyện Đức Trọng, Tỉnh Lâm Đồng")
    assert reading.value == "Xã Hiệp Ann, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.suggestion == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.factor < AUTO_ACCEPT_CONFIDENCE
    # A reading no Vietnamese spelling can be is a misreading: the list's comes back.
    repaired = read_place("Xã Thanh Bình Thịnh, Huyện Đức Thọ, Tỉnh Hà Tñnh")
    assert repaired.value == "Xã Thanh Bình Thịnh, Huyện Đức Thọ, Tỉnh Hà Tĩnh"
    assert repaired.restored and repaired.suggestion is None


@pytest.mark.parametrize(
    ("place", "code", "name"),
    [
        # An old commune merged in 2025: today's commune of the package's 2025 table.
        ("Xã Hữu Liên, Huyện Hữu Lũng, Tỉnh Lạng Sơn", "06400", "Xã Hữu Liên, Tỉnh Lạng Sơn"),
        ("Xã Yên Thịnh, Huyện Hữu Lũng, Tỉnh Lạng Sơn", "06400", "Xã Hữu Liên, Tỉnh Lạng Sơn"),
        ("Thôn 3, Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong", "24967", None),
        ("Xã Hiệp An, Tỉnh Lâm Đồng", "24967", None),  # the district left out
        ("Xã Tân Phú, Tỉnh Đồng Nai", "26116", "Xã Tân Phú, Tỉnh Đồng Nai"),  # today's map
        ("Tỉnh Hoà Bình", "25", "Tỉnh Phú Thọ"),  # a province merged into another
    ],
)
def test_a_resolved_place_carries_its_unit_on_todays_map(place, code, name):
    from ocr.units import place_unit

    unit = place_unit(place)
    assert unit is not None and unit.code == code
    assert name is None or unit.name == name


def test_no_unit_for_a_place_the_lists_do_not_resolve_by_its_letters():
    from ocr.units import place_unit

    assert place_unit("Bangkok, Thái Lan") is None
    assert place_unit("Xã Không Có Thật, Huyện Đức Trọng, Tỉnh Lâm Đồng") is None
    assert place_unit("Xã Hiệp Ann, Huyện Đức Trọng, Tỉnh Lâm Đồng") is None  # by closeness


def test_todays_units_are_those_of_the_reference_list():
    from ocr.units import place_unit

    today = {r["commune_code"]: r for r in _rows("admin_units_2025-07.csv")}
    rows = random.Random(71).sample(_rows("admin_units_2025-03.csv"), 150)
    found = 0
    for row in rows:
        unit = place_unit(f"{row['commune_name']}, {row['district_name']}, {row['province_name']}")
        if unit is None:
            continue
        assert unit.code in today, (row, unit)
        assert accent_key(unit.name.split(",")[0]) == accent_key(today[unit.code]["commune_name"])
        found += 1
    assert found >= 0.97 * len(rows)


def test_a_commune_only_authority_resolves_against_the_books_unit():
    from ocr.units import place_in_book

    # Today's code of the commune, its own old code, or its province's: one commune.
    for code in ("06400", "06388", "20"):
        found = place_in_book("Ủy ban nhân dân xã Hữu Liên", code)
        assert found is not None, code
        reading, unit = found
        assert reading.value == "Ủy ban nhân dân xã Hữu Liên" and not reading.restored
        assert (unit.code, unit.name) == ("06400", "Xã Hữu Liên, Tỉnh Lạng Sơn")
    # An old commune merged into the book's commune in 2025 is the book's too.
    assert place_in_book("UBND xã Yên Thịnh", "06400")[1].code == "06400"
    # Marks the reading lost come back from the book's unit (then not a reading).
    reading, _ = place_in_book("UBND xa Huu Lien", "06400")
    assert reading.value == "UBND xã Hữu Liên" and reading.restored
    # A district the text names must be the commune's.
    assert place_in_book("Ủy ban nhân dân xã Hữu Liên, huyện Hữu Lũng", "06400") is not None
    assert place_in_book("Ủy ban nhân dân xã Hữu Liên, huyện Bắc Sơn", "06400") is None


def test_a_commune_only_authority_is_not_placed_without_a_book_that_has_it():
    from ocr.units import place_in_book

    assert resolve_place("Ủy ban nhân dân xã Hữu Liên")[2] is False
    assert place_in_book("Ủy ban nhân dân xã Hữu Liên", "25920") is None  # another commune
    # Many communes of a province share a name: the province's code cannot place it.
    assert place_in_book("Ủy ban nhân dân xã Tân Phú", "75") is None
    assert place_in_book("Ủy ban nhân dân", "06400") is None
