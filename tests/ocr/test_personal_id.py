import random

import pytest

from ocr.personal_id import birth_year_of, century_sex_digit, decode_personal_id, make_personal_id


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [
        (1900, "male", 0),
        (1999, "female", 1),
        (2000, "male", 2),
        (2099, "female", 3),
        (2100, "male", 4),
        (2150, "female", 5),
    ],
)
def test_century_sex_digit(year, sex, digit):
    assert century_sex_digit(year, sex) == digit


def test_make_and_decode_round_trip():
    rng = random.Random(9)
    for _ in range(500):
        code = f"{rng.randrange(1, 97):02d}"
        year = rng.randrange(1900, 2200)
        sex = rng.choice(["male", "female"])
        serial = rng.randrange(1_000_000)
        pid = make_personal_id(code, year, sex, serial)
        assert len(pid) == 12 and pid.isdigit() and pid[0] == "0"
        decoded = decode_personal_id(pid)
        assert decoded is not None
        assert (decoded.province_code, decoded.sex, birth_year_of(decoded)) == (code, sex, year)
        assert int(pid[6:]) == serial


@pytest.mark.parametrize(
    ("args", "fault"),
    [
        (("68", 1899, "male", 1), "1899"),  # used to raise a bare KeyError
        (("68", 2200, "male", 1), "2200"),
        (("68", 1990, "nam", 1), "sex"),  # used to encode silently as male
        (("68", 1990, "male", 1_000_000), "serial"),  # used to give a 13-digit ID
        (("68", 1990, "male", -1), "serial"),
        (("6", 1990, "male", 1), "province"),
        (("٦٨", 1990, "male", 1), "province"),  # Arabic-Indic digits
    ],
)
def test_make_refuses_what_the_id_cannot_encode(args, fault):
    with pytest.raises(ValueError, match=fault):
        make_personal_id(*args)


@pytest.mark.parametrize(
    "pid",
    [
        "068187001234\n",  # r"^\d{12}$" accepted a trailing newline
        "٠٦٨١٨٧٠٠١٢٣٤",  # and non-ASCII digits
        "06818700123",
        "168187001234",
        "068787001234",
        "",
    ],
)
def test_decode_rejects_malformed_ids(pid):
    assert decode_personal_id(pid) is None
