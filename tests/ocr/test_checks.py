import random
from datetime import date, timedelta

import pytest

from ocr.checks import REQUIRED, WARNING_RULES, blocking_issues, check_record, label
from ocr.datewords import date_to_words
from ocr.personal_id import make_personal_id
from ocr.units import legacy_province_codes

TODAY = date(2026, 11, 23)
PLACE = "Xã Hiệp An, Huyện Đức Trọng, Tỉnh Lâm Đồng"


def birth(**changes):
    values = {
        "full_name": "NGUYỄN THỊ HƯƠNG",
        "date_of_birth": "1987-03-15",
        "sex": "female",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "place_of_birth": PLACE,
        "hometown": PLACE,
        "personal_id": make_personal_id("68", 1987, "female", 1234),
        "mother_name": "TRẦN THỊ LAN",
        "mother_birth_year": 1960,
        "mother_ethnicity": "Kinh",
        "mother_nationality": "Việt Nam",
        "mother_residence": "Thôn 3, " + PLACE,
        "father_name": "NGUYỄN VĂN HÙNG",
        "father_birth_year": 1958,
        "father_ethnicity": "Kinh",
        "father_nationality": "Việt Nam",
        "father_residence": "Thôn 3, " + PLACE,
        "registration_place": "Ủy ban nhân dân xã Hiệp An, huyện Đức Trọng, tỉnh Lâm Đồng",
        "registration_date": "1987-03-20",
        "registration_number": "45",
        "book_number": "01/1987",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def death(**changes):
    values = {
        "full_name": "LÊ VĂN AN",
        "date_of_birth": "1940-05-01",
        "sex": "male",
        "personal_id": make_personal_id("68", 1940, "male", 77),
        "date_of_death": "2020-03-15",
        "time_of_death": "10:30",
        "place_of_death": PLACE,
        "cause_of_death": "Bệnh già",
        "registration_place": PLACE,
        "registration_date": "2020-03-17",
        "registration_number": "12",
        "book_number": "01/2020",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def marriage(**changes):
    values = {
        "husband_full_name": "PHẠM VĂN DŨNG",
        "husband_date_of_birth": "1990-01-02",
        "husband_ethnicity": "Tày",
        "husband_residence": PLACE,
        "husband_personal_id": make_personal_id("68", 1990, "male", 5),
        "wife_full_name": "VÕ THỊ MAI",
        "wife_date_of_birth": "1992-07-08",
        "wife_ethnicity": "Kinh",
        "wife_residence": PLACE,
        "wife_personal_id": make_personal_id("01", 1992, "female", 6),
        "registration_place": PLACE,
        "registration_date": "2018-10-10",
        "registration_number": "7",
        "book_number": "01/2018",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def dossier(**changes):
    values = {
        "dossier_code": "000.00.20.H40-240605-0001",
        "document_title": "GIẤY CHỨNG NHẬN",
        "result_number": "123/GCN",
        "result_date": "2024-06-10",
        "issuing_authority": "ỦY BAN NHÂN DÂN HUYỆN ĐỨC TRỌNG",
        "applicant_name": "ĐỖ VĂN NAM",
        "applicant_personal_id": make_personal_id("68", 1975, "male", 9),
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def rules(issues):
    return sorted((i.field, i.rule) for i in issues)


@pytest.mark.parametrize(
    ("doc_type", "values"),
    [
        ("birth", birth()),
        ("death", death()),
        ("marriage", marriage()),
        ("dossier_result", dossier()),
    ],
)
def test_clean_records_pass(doc_type, values):
    assert check_record(doc_type, values, today=TODAY) == []


@pytest.mark.parametrize("doc_type", sorted(REQUIRED))
def test_every_required_field_is_reported_when_missing(doc_type):
    full = {"birth": birth, "death": death, "marriage": marriage, "dossier_result": dossier}
    for field in REQUIRED[doc_type]:
        values = full[doc_type](**{field: None})
        issues = check_record(doc_type, values, today=TODAY)
        assert (field, "required_missing") in rules(issues), field
        missing = next(i for i in issues if i.rule == "required_missing")
        assert label(field) in missing.message


def test_unknown_doc_type_is_an_issue():
    assert rules(check_record("unknown", {}, today=TODAY)) == [(None, "doc_type_unknown")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"registration_date": "1987/03/20"}, ("registration_date", "date_format")),
        ({"registration_date": "1987-02-30"}, ("registration_date", "date_invalid")),
        ({"date_of_birth": "1087-03-15"}, ("date_of_birth", "date_too_old")),  # as the gate
        ({"registration_date": "2027-01-01"}, ("registration_date", "date_in_future")),
        ({"registration_date": "1987-03-14"}, ("registration_date", "registration_before_birth")),
        ({"sex": "nữ"}, ("sex", "sex_format")),
        ({"full_name": "NGUYỄN TH1 HƯƠNG"}, ("full_name", "name_format")),
        ({"registration_number": "Số"}, ("registration_number", "number_format")),
        ({"mother_birth_year": 1980}, ("mother_birth_year", "parent_age")),
        ({"father_birth_year": 1910}, ("father_birth_year", "parent_age")),
        ({"mother_birth_year": 3000}, ("mother_birth_year", "year_format")),
        ({"ethnicity": "Zulu"}, ("ethnicity", "ethnicity_unknown")),
        ({"mother_ethnicity": "Kinhh"}, ("mother_ethnicity", "ethnicity_unknown")),
        ({"hometown": "Bangkok, Thái Lan"}, ("hometown", "place_unresolved")),
    ],
)
def test_birth_rules(changes, expected):
    issues = check_record("birth", birth(**changes), today=TODAY)
    assert expected in rules(issues)
    issue = next(i for i in issues if (i.field, i.rule) == expected)
    assert label(expected[0]) in issue.message  # the clerk sees which field


def test_parent_age_bounds_are_inclusive():
    assert check_record("birth", birth(mother_birth_year=1987 - 12), today=TODAY) == []
    assert check_record("birth", birth(father_birth_year=1987 - 70), today=TODAY) == []
    assert rules(check_record("birth", birth(mother_birth_year=1987 - 11), today=TODAY)) == [
        ("mother_birth_year", "parent_age")
    ]


def test_death_order_rules():
    assert ("date_of_death", "death_before_birth") in rules(
        check_record(
            "death", death(date_of_death="1939-01-01", registration_date="1939-01-02"), today=TODAY
        )
    )
    assert ("registration_date", "registration_before_death") in rules(
        check_record("death", death(registration_date="2020-03-14"), today=TODAY)
    )
    assert ("time_of_death", "time_format") in rules(
        check_record("death", death(time_of_death="25:10"), today=TODAY)
    )


def test_unresolved_place_is_a_warning_only():
    issues = check_record("birth", birth(hometown="Bangkok, Thái Lan"), today=TODAY)
    assert [i.rule for i in issues] == ["place_unresolved"]
    assert "place_unresolved" in WARNING_RULES
    assert blocking_issues(issues) == []
    blocking = check_record("birth", birth(ethnicity="Zulu"), today=TODAY)
    assert blocking_issues(blocking) == blocking


# --- personal ID ---------------------------------------------------------------------------


def test_every_generated_personal_id_passes():
    """Property: an ID made for any province, birth date and sex agrees with them."""
    rng = random.Random(42)
    codes = sorted(legacy_province_codes())
    for _ in range(300):
        dob = date(1900, 1, 1) + timedelta(days=rng.randrange((TODAY - date(1900, 1, 1)).days))
        sex = rng.choice(["male", "female"])
        pid = make_personal_id(rng.choice(codes), dob.year, sex, rng.randrange(1_000_000))
        values = birth(
            date_of_birth=dob.isoformat(),
            sex=sex,
            personal_id=pid,
            registration_date=dob.isoformat(),
            mother_birth_year=dob.year - 25,
            father_birth_year=dob.year - 28,
        )
        assert check_record("birth", values, today=TODAY) == [], (dob, sex, pid)


def test_flipping_the_sex_digit_fails_with_id_sex():
    rng = random.Random(7)
    for _ in range(100):
        year = rng.randrange(1900, 2026)
        sex = rng.choice(["male", "female"])
        pid = make_personal_id("68", year, sex, rng.randrange(1_000_000))
        flipped = pid[:3] + str(int(pid[3]) ^ 1) + pid[4:]  # 0<->1, 2<->3, 4<->5
        values = birth(
            date_of_birth=f"{year}-06-15",
            registration_date=f"{year}-06-20",
            sex=sex,
            personal_id=flipped,
            mother_birth_year=year - 25,
            father_birth_year=year - 28,
        )
        assert rules(check_record("birth", values, today=TODAY)) == [("personal_id", "id_sex")]


@pytest.mark.parametrize(
    ("pid", "rule"),
    [
        ("06811870123", "id_format"),  # 11 digits
        ("0681187012345", "id_format"),  # 13 digits
        ("06811870123a", "id_format"),
        ("068787001234", "id_format"),  # digit 4 = 7 is no century/sex code
        ("099187001234", "id_province"),  # 99 is no province code
        ("168187001234", "id_province"),  # must start with 0
        ("068188001234", "id_birth_year"),  # 1988, record says 1987
        ("068387001234", "id_birth_year"),  # 2087: right suffix, wrong century
        ("068087001234", "id_sex"),  # male code, record says female
    ],
)
def test_personal_id_faults(pid, rule):
    issues = check_record("birth", birth(personal_id=pid), today=TODAY)
    assert ("personal_id", rule) in rules(issues)


def test_marriage_ids_are_checked_against_each_spouse():
    wrong = make_personal_id("68", 1990, "female", 5)  # husband's ID with a female code
    issues = check_record("marriage", marriage(husband_personal_id=wrong), today=TODAY)
    assert rules(issues) == [("husband_personal_id", "id_sex")]
    issue = issues[0]
    assert "husband's personal ID number" in issue.message
    older = make_personal_id("01", 1991, "female", 6)
    assert rules(check_record("marriage", marriage(wife_personal_id=older), today=TODAY)) == [
        ("wife_personal_id", "id_birth_year")
    ]
    assert ("registration_date", "registration_before_birth") in rules(
        check_record("marriage", marriage(registration_date="1991-01-01"), today=TODAY)
    )


# --- date in words -------------------------------------------------------------------------


def test_date_in_words_agrees_or_is_reported():
    rng = random.Random(3)
    words = date_to_words(date(1987, 3, 15), rng)
    assert check_record("birth", birth(), words={"date_of_birth": words}, today=TODAY) == []
    other = date_to_words(date(1987, 3, 16), rng)
    issues = check_record("birth", birth(), words={"date_of_birth": other}, today=TODAY)
    assert rules(issues) == [("date_of_birth", "date_words_mismatch")]
    assert "1987-03-16" in issues[0].message and "1987-03-15" in issues[0].message
    garbled = check_record("birth", birth(), words={"date_of_birth": "Ngày xxx yyy"}, today=TODAY)
    assert rules(garbled) == [("date_of_birth", "date_words_unreadable")]


# --- dossier -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("000.00.20.H40-240605", "dossier_code_format"),
        ("000.00.20.H40-240605-01", "dossier_code_format"),
        ("000.00.20.H40-241305-0001", "dossier_code_date"),  # month 13
        ("000.00.20.H40-240230-0001", "dossier_code_date"),  # 30 February
        ("000.00.20.H40-291231-0001", "dossier_code_date"),  # after today
    ],
)
def test_dossier_code_faults(code, rule):
    issues = check_record("dossier_result", dossier(dossier_code=code), today=TODAY)
    assert rules(issues) == [("dossier_code", rule)]


def test_an_entry_read_for_one_spouse_only_is_reported():
    issues = check_record("marriage", marriage(wife_residence=None), today=TODAY)
    assert ("wife_residence", "spouse_entry_missing") in rules(issues)
    assert blocking_issues(issues)
    # Neither spouse's entry on the form: nothing is missing.
    assert (
        check_record("marriage", marriage(wife_residence=None, husband_residence=None), today=TODAY)
        == []
    )


def test_a_parents_block_is_read_whole_and_the_mother_is_named():
    assert check_record("birth", birth(mother_name=None), today=TODAY) != []
    assert ("mother_name", "mother_missing") in rules(
        check_record("birth", birth(mother_name=None), today=TODAY)
    )
    issues = check_record("birth", birth(father_residence=None), today=TODAY)
    assert ("father_residence", "parent_entry_missing") in rules(issues)
    no_father = birth(
        **{
            f"father_{e}": None
            for e in ("name", "birth_year", "ethnicity", "nationality", "residence")
        }
    )
    assert check_record("birth", no_father, today=TODAY) == []
