import json
import random
import unicodedata

import pytest

from ocr.lexicon import (
    ACCENT_CAP,
    DATA_DIR,
    GUESS_CAP,
    ISOLATED_CONFIDENCE,
    RESTORED_CAP,
    UNKNOWN_CAP,
    chain_prefix,
    chain_vouched,
    clean_name,
    correct_authority,
    correct_ethnicity,
    correct_name,
    correct_place,
    correct_title,
    ethnic_groups,
    is_ethnic_group,
    name_lexicon,
    read_authority,
    read_cause_of_death,
    read_ethnicity,
    read_name,
    read_place_value,
    read_title,
    token_has_siblings,
    token_is_isolated,
)
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import strip_diacritics
from ocr.units import key
from tests.reference import reference_rows


def _reference_groups() -> list[dict[str, str]]:
    return reference_rows("ethnic_groups.csv")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- the data files ------------------------------------------------------------------------


def test_ethnic_groups_match_the_official_list_by_code_and_name():
    ours = [(g.code, g.name) for g in ethnic_groups()]
    reference = [(r["code"], _nfc(r["name"])) for r in _reference_groups()]
    assert len(ours) == 54
    assert ours == reference


def test_every_reference_spelling_reads_as_its_group():
    for row in _reference_groups():
        name = _nfc(row["name"])
        for spelling in [name, *filter(None, row["aliases"].split("|"))]:
            assert correct_ethnicity(spelling, 0.95)[0] == name, spelling
            assert correct_ethnicity(strip_diacritics(spelling), 0.95)[0] == name, spelling


def test_no_two_groups_share_a_spelling_once_accents_are_dropped():
    seen: dict[str, str] = {}
    for group in ethnic_groups():
        for spelling in (group.name, *group.aliases):
            assert seen.setdefault(key(spelling), group.code) == group.code, spelling


def test_names_file_is_title_case_nfc_without_duplicates():
    data = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    assert len(data["surnames"]) >= 100
    assert len(data["middle"]) >= 60
    assert len(data["given"]) >= 400
    assert data["surnames"][:3] == ["Nguyễn", "Trần", "Lê"]
    for kind, words in data.items():
        assert len(words) == len(set(words)), kind
        for w in words:
            assert w == _nfc(w) and w == w[0].upper() + w[1:].lower() and " " not in w, w


# --- names ---------------------------------------------------------------------------------


def test_dropped_diacritics_are_restored_but_not_sure_by_themselves():
    reading = read_name("NGUYÊN VĂN DŨNG", 0.95)
    assert reading.value == "NGUYỄN VĂN DŨNG"
    assert reading.restored and reading.suggestion is None
    assert reading.confidence == RESTORED_CAP < AUTO_ACCEPT_CONFIDENCE


def test_a_valid_reading_is_doubted_once_the_name_shows_lost_accents():
    # NGUYÊN and THI lost their tone marks, so HƯƠNG may be HƯỜNG with its grave lost too.
    value, conf = correct_name("NGUYÊN THI HƯƠNG", 0.95)
    assert value == "NGUYỄN THỊ HƯƠNG"
    assert conf < AUTO_ACCEPT_CONFIDENCE
    # A name read with no diacritic at all is suspect as a whole.
    assert correct_name("PHAN THANH NGA", 0.95)[1] < AUTO_ACCEPT_CONFIDENCE


def test_exact_lexicon_hit_keeps_the_ocr_confidence_and_the_printed_tone_placement():
    assert correct_name("TRẦN VĂN DŨNG", 0.93) == ("TRẦN VĂN DŨNG", 0.93)
    # The lexicon spells Thủy and Hòa; the page's placement is the value's.
    assert correct_name("hoàng thị thuỷ", 0.91) == ("HOÀNG THỊ THUỶ", 0.91)
    assert correct_name("NGÔ HỮU HOÀ", 0.92) == ("NGÔ HỮU HOÀ", 0.92)
    assert correct_name("NGÔ HỮU HÒA", 0.92) == ("NGÔ HỮU HÒA", 0.92)
    reading = read_name("NGÔ HỮU HOÀ", 0.92)
    assert not reading.restored and reading.suggestion is None


def test_marks_restored_in_a_name_take_the_placement_the_name_is_printed_in():
    # The lexicon spells Hòa; HOÀ shows the convention the page uses.
    assert read_name("NGUYEN HUU HOÀ", 0.95).value == "NGUYỄN HỮU HOÀ"
    assert read_name("NGÔ THUY HOÀ", 0.95).value.split()[1] in ("THUỶ", "THUÝ", "THUỲ")
    assert read_name("NGÔ THUY HÒA", 0.95).value.split()[1] in ("THỦY", "THÚY", "THÙY")


def test_a_reading_is_never_rewritten_to_another_spelling():
    # THỤY read where the lexicon would have THỦY; DƯ where given names hold DỰ.
    for name in ("HUỲNH MINH THỤY", "NGUYỄN VĂN DƯ", "NGÔ HỮU HOÀ", "TRẦN THỊ THUỶ"):
        assert correct_name(name, 0.9)[0] == name


def test_valid_reading_of_an_ambiguous_token_is_kept():
    # THU / THƯ share letters; THU itself is a given name, so it stays.
    assert correct_name("LÊ THỊ THU", 0.92) == ("LÊ THỊ THU", 0.92)


def test_ambiguous_correction_goes_to_review():
    value, conf = correct_name("LE VAN TUONG", 0.97)  # Tường or Tưởng?
    assert value.split()[:2] == ["LÊ", "VĂN"]
    assert value.split()[2] in ("TƯỜNG", "TƯỞNG")
    assert conf < AUTO_ACCEPT_CONFIDENCE


def test_unknown_token_is_kept_and_confidence_not_raised():
    assert correct_name("PHẠM MINH ZORG", 0.6) == ("PHẠM MINH ZORG", 0.6)


@pytest.mark.parametrize("name", ["NGUYỄN QUANG CHX", "TRẦN VĂN KHOẢNG"])
def test_unknown_token_sends_a_confident_reading_to_review(name):
    assert all(key(t) not in name_lexicon().given for t in name.split()[-1:])
    value, conf = correct_name(name, 0.95)
    assert value == name
    assert conf < AUTO_ACCEPT_CONFIDENCE


def test_i_read_as_t_is_repaired_only_where_no_syllable_is_left():
    reading = read_name("NGUYỄN QUANG CHT", 0.95)  # no vowel: not a syllable, the T is an I
    assert reading.value == "NGUYỄN QUANG CHI"
    assert reading.restored and reading.confidence < AUTO_ACCEPT_CONFIDENCE


@pytest.mark.parametrize(
    ("read", "suggestion"),
    [("TRẦN VĂN HỢT", "TRẦN VĂN HỢI"), ("LÊ MAT HOÀN", "LÊ MAI HOÀN")],
)
def test_i_read_as_t_in_a_real_syllable_is_only_suggested(read, suggestion):
    # HỢT (hời hợt) and MAT are syllables: the page may say so; a person decides.
    reading = read_name(read, 0.95)
    assert reading.value == read and reading.suggestion == suggestion
    assert reading.confidence < AUTO_ACCEPT_CONFIDENCE


def test_a_tone_mark_read_otherwise_is_kept_and_the_lexicons_spelling_only_suggested():
    reading = read_name("NGUYỀN VĂN DŨNG", 0.95)  # grave read for tilde
    assert reading.value == "NGUYỀN VĂN DŨNG"
    assert reading.suggestion == "NGUYỄN VĂN DŨNG" and not reading.restored
    assert reading.confidence < AUTO_ACCEPT_CONFIDENCE


@pytest.mark.parametrize("given", ["TRẤN", "LỢT", "CỪ", "NGHỈ"])
def test_real_names_missing_from_the_lexicon_are_never_confidently_replaced(given):
    assert key(given) not in name_lexicon().given or all(
        f != given for f in name_lexicon().given[key(given)]
    )
    value, conf = correct_name(f"TRẦN VĂN {given}", 0.95)
    assert value == f"TRẦN VĂN {given}" or conf < AUTO_ACCEPT_CONFIDENCE


def test_well_formed_name_missing_from_the_lexicon_is_not_bent_to_a_neighbour():
    value, conf = correct_name("PHẠM QUANG HOẠCH", 0.93)
    assert value == "PHẠM QUANG HOẠCH"
    assert conf == UNKNOWN_CAP  # kept as read, but a person confirms it once


def test_misread_letters_are_guessed_only_for_review():
    value, conf = correct_name("NGUYFN VĂN AN", 0.95)
    assert value == "NGUYỄN VĂN AN"
    assert conf < AUTO_ACCEPT_CONFIDENCE


def test_punctuation_digits_and_spacing_are_cleaned():
    assert correct_name(" nguyễn   thị  hương. ", 0.9)[0] == "NGUYỄN THỊ HƯƠNG"


def test_corrections_are_never_confidently_wrong():
    """Property: strip every accent from lexicon names; any reading that does not come back
    exactly as written must be below the auto-accept threshold."""
    lex = name_lexicon()
    rng = random.Random(11)
    surnames = [f for forms in lex.surnames.values() for f in forms]
    middles = [f for forms in lex.middle.values() for f in forms]
    givens = [f for forms in lex.given.values() for f in forms]
    wrong_but_sure = []
    for _ in range(600):
        truth = f"{rng.choice(surnames)} {rng.choice(middles)} {rng.choice(givens)}"
        value, conf = correct_name(strip_diacritics(truth), 0.99)
        assert key(value) == key(truth)  # letters are never changed
        if value != truth and conf >= AUTO_ACCEPT_CONFIDENCE:
            wrong_but_sure.append((truth, value, conf))
    assert wrong_but_sure == []


# --- ethnicity and places ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "expected", "max_conf"),
    [
        ("Kinh", "Kinh", 0.95),
        ("kinh.", "Kinh", 0.95),
        ("Dân tộc Tày", "Tày", 0.95),
        ("Tay", "Tày", ACCENT_CAP),
        ("H'Mông", "Mông", 0.95),  # an alias read exactly: the group, as sure as read
        ("Ede", "Ê Đê", ACCENT_CAP),
        ("Kinhh", "Kinh", AUTO_ACCEPT_CONFIDENCE - 0.01),
    ],
)
def test_ethnicity_readings(read, expected, max_conf):
    value, conf = correct_ethnicity(read, 0.95)
    assert value == expected
    assert conf <= max_conf


def test_unknown_ethnicity_is_kept_for_the_check_to_report():
    assert correct_ethnicity("Zulu", 0.9) == ("Zulu", 0.9)
    assert not is_ethnic_group("Zulu")
    assert is_ethnic_group("Ê Đê") and not is_ethnic_group("Ede")


def test_place_correction_caps_confidence_by_how_sure_the_unit_match_is():
    assert correct_place("Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong", 0.97) == (
        "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng",
        RESTORED_CAP,
    )
    assert correct_place("Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng", 0.85)[1] == 0.85
    assert correct_place("Bangkok, Thái Lan", 0.88) == ("Bangkok, Thái Lan", 0.88)


def test_cause_of_death_regains_dropped_marks_and_unknown_causes_go_to_review():
    from ocr.lexicon import correct_cause_of_death

    assert correct_cause_of_death("Đột quy", 0.95) == ("Đột quỵ", RESTORED_CAP)
    other = read_cause_of_death("Đột quý", 0.95)  # a mark read otherwise: kept
    assert (other.value, other.suggestion) == ("Đột quý", "Đột quỵ")
    assert other.confidence < AUTO_ACCEPT_CONFIDENCE
    assert correct_cause_of_death("Viêm phổi .....", 0.95) == ("Viêm phổi", 0.95)
    value, conf = correct_cause_of_death("Bị rắn cắn", 0.95)
    assert value == "Bị rắn cắn" and conf < AUTO_ACCEPT_CONFIDENCE


# --- per-token confidence ------------------------------------------------------------------


def test_an_isolated_token_is_settled_by_its_letters_whatever_its_ocr_confidence():
    # NGUYỄN is the only surname spelt n-g-u-y-e-n and no surname is one letter away.
    assert token_is_isolated("NGUYÊN", 0, 3) and token_is_isolated("NGUYỄN", 0, 3)
    value, conf = correct_name("NGUYỄN XUÂN KHIẾT", 0.1, [0.1, 0.91, 0.93])
    assert value == "NGUYỄN XUÂN KHIẾT"
    assert conf == min(ISOLATED_CONFIDENCE, 0.91) >= AUTO_ACCEPT_CONFIDENCE
    # Read without its tilde, the lexicon supplies it: not a reading, not sure alone.
    value, conf = correct_name("NGUYÊN XUÂN KHIẾT", 0.1, [0.1, 0.91, 0.93])
    assert value == "NGUYỄN XUÂN KHIẾT" and conf == RESTORED_CAP
    # Without per-token confidences the weakest word still decides.
    assert correct_name("NGUYÊN XUÂN KHIẾT", 0.1)[1] == 0.1


def test_tokens_with_siblings_or_close_neighbours_are_not_isolated():
    assert not token_is_isolated("THỦY", 2, 3)  # THỤY, THÚY, THÙY
    assert not token_is_isolated("VÕ", 0, 3)  # VŨ is one letter away
    assert not token_is_isolated("NGUYỀN", 0, 3)  # marks swapped, not just dropped
    value, conf = correct_name("TRẦN VĂN THỦY", 0.3, [0.95, 0.95, 0.3])
    assert conf == 0.3


def test_horn_before_y_is_a_speck():
    assert correct_name("HƯỲNH KIM TRÂN", 0.95)[0] == "HUỲNH KIM TRÂN"


def test_lone_modifier_marks_are_not_name_tokens():
    assert clean_name("ˆ VÕ CÔNG QUANG") == "VÕ CÔNG QUANG"


def test_specks_glued_to_a_token_edge_are_dropped_but_inner_apostrophes_stay():
    assert clean_name("'NGUYÊN THANH SEN-") == "NGUYÊN THANH SEN"
    assert clean_name("-NGUYÊN HUYỂN SẢNG") == "NGUYÊN HUYỂN SẢNG"
    assert clean_name("H'HEN NIÊ") == "H'HEN NIÊ"
    assert correct_name("'NGUYÊN THANH SEN", 0.9)[0] == "NGUYỄN THANH SEN"


def test_result_titles_are_restored_whole():
    assert correct_title("QUYẾT ĐỊNH", 0.95) == ("QUYẾT ĐỊNH", 0.95)
    assert correct_title("QUYET ĐỊNH", 0.6) == ("QUYẾT ĐỊNH", 0.6)
    assert correct_title("GIAY PHEP XAY DUNG", 0.95) == ("GIẤY PHÉP XÂY DỰNG", RESTORED_CAP)
    assert read_title("GIAY PHEP XAY DUNG", 0.95).restored
    assert correct_title("BIÊN BẢN HỌP", 0.9) == ("BIÊN BẢN HỌP", 0.9)  # unknown: as read


def test_digits_read_for_letters_in_an_ethnic_group():
    assert correct_ethnicity("S1 La", 0.95)[0] == "Si La"
    assert correct_ethnicity("Thá1", 0.95)[0] == "Thái"


def test_ia_read_as_la_in_a_unit_name():
    value, _ = correct_place("Trạm Y tế Xã la Chia, Tỉnh Gia Lai", 0.9)
    assert value == "Trạm Y tế Xã Ia Chia, Tỉnh Gia Lai"


def test_a_place_the_unit_lists_vouch_for_is_sure_and_a_missed_commune_is_not():
    sure = correct_place("Ủy ban nhân dân Xã Đồng Nai, Huyện Bù Đăng, Tỉnh Bình Phước", 0.6)
    assert sure[1] >= AUTO_ACCEPT_CONFIDENCE
    assert correct_place("Xã Đồng Nai, Huyện Bù Đăng, Tỉnh Bình Phước", 0.2)[1] == 0.2  # garbage
    hamlet = correct_place("Thôn 4, Xã Đồng Nai, Huyện Bù Đăng, Tỉnh Bình Phước", 0.6)
    assert hamlet[1] == 0.6
    missed = correct_place("Ủy ban nhân dân Xã Đồng Naj, Huyện Bù Đăng, Tỉnh Bình Phước", 0.95)
    assert missed[1] < AUTO_ACCEPT_CONFIDENCE


def test_an_authority_gets_the_committee_phrase_and_its_units_marks():
    value, conf = correct_authority("ỦY BAN NHÂN DÂN HUYỆN QUỲ HỢP", 0.6)
    assert value == "ỦY BAN NHÂN DÂN HUYỆN QUỲ HỢP" and conf >= AUTO_ACCEPT_CONFIDENCE
    # Marks lost come back from the lists, but not sure by themselves.
    lost = read_authority("UY BAN NHAN DAN HUYEN QUY HOP", 0.9)
    assert lost.value == "ỦY BAN NHÂN DÂN HUYỆN QUỲ HỢP" and lost.restored
    assert lost.confidence == RESTORED_CAP
    # The committee's fixed name is given whole; the unit's marks read otherwise (QUỶ
    # for QUỲ) stay as read, the lists' spelling only suggested.
    other = read_authority("ỦY BẠN NHÂN DẪN HUYỆN QUỶ HỢP", 0.6)
    assert other.value == "ỦY BAN NHÂN DÂN HUYỆN QUỶ HỢP"
    assert other.suggestion == "ỦY BAN NHÂN DÂN HUYỆN QUỲ HỢP"
    assert other.confidence <= GUESS_CAP
    assert correct_authority("ỦY BAN NHÂN ĐÂN XÃ HÀ KỲ", 0.9)[0] == "ỦY BAN NHÂN DÂN XÃ HÀ KỲ"
    # Too weak a reading, a unit named by a number, an unknown unit: confidence as read.
    assert correct_authority("ỦY BAN NHÂN DÂN HUYỆN QUỲ HỢP", 0.2)[1] == 0.2
    assert correct_authority("ỦY BAN NHÂN DÂN PHƯỜNG 4", 0.6) == ("ỦY BAN NHÂN DÂN PHƯỜNG 4", 0.6)
    assert correct_authority("ỦY BAN NHÂN DẪN XÃ QWZ", 0.6) == ("ỦY BAN NHÂN DÂN XÃ QWZ", 0.6)
    # The committee without its unit: a line was lost.
    assert correct_authority("ỦY BAN NHÂN DÂN", 0.95)[1] < AUTO_ACCEPT_CONFIDENCE
    # Another authority is left alone.
    assert correct_authority("SỞ TƯ PHÁP TỈNH LÂM ĐỒNG", 0.6) == ("SỞ TƯ PHÁP TỈNH LÂM ĐỒNG", 0.6)


@pytest.mark.parametrize(
    "name",
    [
        "HUỲNH MINH THỤY",
        "PHẠM TRỌNG THIỀU",
        "PHẠM MINH NGỌ",
        "HOÀNG ĐỨC HUỀ",
        "NGUYỄN VĂN SÍNH",
        "NGUYỄN HỒNG KHỞI",
    ],
)
def test_common_given_names_are_in_the_lexicon_and_kept_as_read(name):
    assert correct_name(name, 0.93) == (name, 0.93)


def test_a_surnames_spelling_read_as_a_given_name_does_not_take_a_given_names_marks():
    # Given names hold TRƯỜNG only, surnames TRƯƠNG: surnames are given as first names
    # too, so the horn-only reading is not "restored" to TRƯỜNG on the lexicon's word.
    value, conf = correct_name("NGUYỄN VĂN TRƯƠNG", 0.95)
    assert value == "NGUYỄN VĂN TRƯƠNG"
    assert conf < AUTO_ACCEPT_CONFIDENCE
    assert correct_name("TRƯƠNG VĂN AN", 0.95)[0] == "TRƯƠNG VĂN AN"


def test_tokens_whose_letters_several_names_share_have_siblings():
    assert token_has_siblings("HIẾN", 2, 3)  # HIỀN, HIỂN
    assert token_has_siblings("THỦY", 2, 3)
    assert not token_has_siblings("SEN", 2, 3)
    assert not token_has_siblings("ZORG", 2, 3)


def test_an_ethnic_group_spelled_by_letters_no_other_group_is_near_is_vouched_for():
    value, conf = correct_ethnicity("Ra Glai", 0.6)
    assert value == "Ra Glai" and conf >= AUTO_ACCEPT_CONFIDENCE
    # Digits for letters, or marks lost: the group is given, but it was not read so.
    assert read_ethnicity("S1 La", 0.9).value == "Si La"
    assert read_ethnicity("S1 La", 0.9).confidence < AUTO_ACCEPT_CONFIDENCE
    tay = read_ethnicity("Tay", 0.9)
    assert (tay.value, tay.restored, tay.confidence) == ("Tày", True, RESTORED_CAP)
    # Mông is a letter from Mường and Mnông, Dao from Lào: the reading's doubt stands.
    assert correct_ethnicity("Mông", 0.6) == ("Mông", 0.6)
    assert correct_ethnicity("Dao", 0.6)[1] == 0.6
    assert correct_ethnicity("Ra Glai", 0.3)[1] == 0.3  # too weak a reading to place


def test_a_chain_found_only_by_closeness_is_not_vouched_for():
    # "Hiệp Ah" is no commune: the resolver's closest guess, Hiệp An, is only suggested.
    reading = read_place_value("Xã Hiệp Ah, Huyện Đức Trọng, Tỉnh Lâm Đồng", 0.6)
    assert reading.value == "Xã Hiệp Ah, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.suggestion == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.confidence < AUTO_ACCEPT_CONFIDENCE
    # Read with every mark, the lists vouch for it; with marks lost, they restore them.
    assert correct_place("Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng", 0.6)[1] >= (
        AUTO_ACCEPT_CONFIDENCE
    )
    assert correct_place("Xa Hiep An, Huyen Duc Trong, Tinh Lam Dong", 0.6)[1] == 0.6


def test_a_place_keeps_its_printed_tone_placement_and_type_words():
    printed = "Xã Hoà Sơn, Huyện Lương Sơn, Tỉnh Hoà Bình"
    assert correct_place(printed, 0.9) == (printed, 0.9)
    assert correct_place("tỉnh Hoà Bình", 0.9)[0] == "tỉnh Hoà Bình"
    # Lost marks come back in the placement the rest of the place is printed in.
    lost = read_place_value("Xa Hoa Son, Huyen Luong Son, Tỉnh Hoà Bình", 0.9)
    assert lost.value == printed and lost.restored
    # An abbreviation stays as printed.
    assert correct_place("Phường 5, Quận 3, TP. Hồ Chí Minh", 0.9)[0] == (
        "Phường 5, Quận 3, TP. Hồ Chí Minh"
    )


def test_a_unit_spelled_otherwise_stays_as_read_with_the_lists_spelling_suggested():
    reading = read_place_value("Xã Hiệp Án, Huyện Đức Trọng, Tỉnh Lâm Đồng", 0.95)
    assert reading.value == "Xã Hiệp Án, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.suggestion == "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"
    assert reading.confidence < AUTO_ACCEPT_CONFIDENCE


def test_a_reading_vouches_for_a_chain_only_by_its_letters():
    assert chain_vouched("Phường Phan Si Păng, Thị xã Sa Pa, Tỉnh Lào Cai")
    assert chain_vouched("Thị trấn la Kha, Huyện la Grai, Tỉnh Gia Lai")  # Ia read as la
    assert not chain_vouched("Phường Phan S¡ Păng, Thị xã Sa Pa, Tỉnh Lào Cai")  # closeness
    assert chain_prefix("Khu phố 2, Phường Phan Si Păng, Thị xã Sa Pa, Tỉnh Lào Cai") == (
        "Khu phố 2"
    )
    assert chain_prefix("Khu phố 2, Phường Phan S¡ Păng, Thị xã Sa Pa, Tỉnh Lào Cai") is None
