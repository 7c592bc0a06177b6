"""Generated records (docs/record.md) for tests and the load benchmark.

Records are built with :class:`ocr.record.PageRecord` so they have exactly the JSON form
``sohoa extract`` prints. Everything derives from a seed: the same call gives the same
records, so a rerun with generated records is byte-for-byte the same input.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ocr.personal_id import make_personal_id
from ocr.record import FieldValue, Issue, PageRecord, Quality, Source
from ocr.rules import Rule

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = {
    "male": ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Mỹ", "Hồng"],
}
GIVEN = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Tuấn",
        "Việt",
        "Hải",
        "Hiếu",
        "Lộc",
        "Trung",
        "Vinh",
        "Đạt",
        "Khôi",
        "Nghĩa",
        "Phúc",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngân",
        "Oanh",
        "Phương",
        "Quyên",
        "Thảo",
        "Trang",
        "Vy",
        "Yến",
        "Hoa",
        "Huyền",
        "Loan",
        "Nhung",
        "Tâm",
    ],
}
PLACES = [
    ("01", "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"),
    ("01", "Xã Đông Dư, Huyện Gia Lâm, Thành phố Hà Nội"),
    ("79", "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh"),
    ("48", "Phường Hải Châu I, Quận Hải Châu, Thành phố Đà Nẵng"),
    ("31", "Xã An Đồng, Huyện An Dương, Thành phố Hải Phòng"),
    ("38", "Xã Hoằng Quỳ, Huyện Hoằng Hóa, Tỉnh Thanh Hóa"),
    ("46", "Phường Thuận Hòa, Thành phố Huế, Tỉnh Thừa Thiên Huế"),
    ("92", "Phường Tân An, Quận Ninh Kiều, Thành phố Cần Thơ"),
]
ETHNICITIES = ["Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa"]


@dataclass(frozen=True)
class Person:
    full_name: str  # upper case, NFC, as on a certificate
    date_of_birth: date
    sex: str
    place_of_birth: str
    province_code: str
    personal_id: str | None


def random_name(rng: random.Random, sex: str) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}".upper()


def random_person(
    rng: random.Random,
    born_from: int = 1950,
    born_to: int = 2024,
    serial: int = 0,
    with_id: bool | None = None,
) -> Person:
    sex = rng.choice(["male", "female"])
    start = date(born_from, 1, 1)
    dob = start + timedelta(days=rng.randrange((date(born_to, 12, 31) - start).days))
    code, place = rng.choice(PLACES)
    has_id = dob.year >= 2016 if with_id is None else with_id
    pid = make_personal_id(code, dob.year, sex, serial % 1_000_000) if has_id else None
    return Person(random_name(rng, sex), dob, sex, place, code, pid)


def _field(rng: random.Random, value: Any, y: int, low: float = 0.85) -> FieldValue:
    return FieldValue(value, round(rng.uniform(low, 0.999), 3), (120, y, 900, 48))


def birth_record(
    rng: random.Random,
    number: int,
    book_year: int,
    volume: str,
    person: Person | None = None,
    *,
    tag: str = "",
) -> dict[str, Any]:
    """A birth certificate registered as entry ``number`` of the book of ``book_year``."""
    reg_date = date(book_year, 1, 1) + timedelta(days=rng.randrange(365))
    if person is None:
        dob = reg_date - timedelta(days=rng.randrange(1, 60))
        sex = rng.choice(["male", "female"])
        code, place = rng.choice(PLACES)
        serial = (int(volume) if volume.isdigit() else 0) * 10_000 + number  # unique per book
        pid = (
            make_personal_id(code, dob.year, sex, serial % 1_000_000) if book_year >= 2016 else None
        )
        person = Person(random_name(rng, sex), dob, sex, place, code, pid)
    mother_year = person.date_of_birth.year - rng.randint(18, 40)
    fields: dict[str, FieldValue] = {
        "full_name": _field(rng, person.full_name, 300),
        "date_of_birth": _field(rng, person.date_of_birth.isoformat(), 360),
        "sex": _field(rng, person.sex, 420),
        "ethnicity": _field(rng, rng.choice(ETHNICITIES), 480),
        "nationality": _field(rng, "Việt Nam", 540),
        "place_of_birth": _field(rng, person.place_of_birth, 600),
        "hometown": _field(rng, rng.choice(PLACES)[1], 660),
        "mother_name": _field(rng, random_name(rng, "female"), 720),
        "mother_birth_year": _field(rng, mother_year, 780),
        "mother_ethnicity": _field(rng, "Kinh", 840),
        "mother_nationality": _field(rng, "Việt Nam", 900),
        "registration_place": _field(
            rng, "Ủy ban nhân dân " + person.place_of_birth.split(",")[0], 1020
        ),
        "registration_date": _field(rng, max(reg_date, person.date_of_birth).isoformat(), 1080),
        "registration_number": _field(rng, str(number), 200),
        "book_number": _field(rng, f"{volume}/{book_year}", 200),
    }
    if person.personal_id:
        fields["personal_id"] = _field(rng, person.personal_id, 960)
    return _page(f"birth/{book_year}/{volume}/{number}{tag}", "birth", fields)


def death_record(
    rng: random.Random, number: int, book_year: int, volume: str, *, tag: str = ""
) -> dict[str, Any]:
    person = random_person(rng, 1920, book_year - 1, serial=number, with_id=book_year >= 2016)
    death = date(book_year, 1, 1) + timedelta(days=rng.randrange(300))
    fields = {
        "full_name": _field(rng, person.full_name, 300),
        "date_of_birth": _field(rng, person.date_of_birth.isoformat(), 360),
        "sex": _field(rng, person.sex, 420),
        "ethnicity": _field(rng, "Kinh", 480),
        "nationality": _field(rng, "Việt Nam", 540),
        "date_of_death": _field(rng, death.isoformat(), 600),
        "place_of_death": _field(rng, person.place_of_birth, 660),
        "registration_place": _field(rng, "Ủy ban nhân dân Phường Phúc Xá", 720),
        "registration_date": _field(rng, (death + timedelta(days=3)).isoformat(), 780),
        "registration_number": _field(rng, str(number), 200),
        "book_number": _field(rng, f"{volume}/{book_year}", 200),
    }
    if person.personal_id:
        fields["personal_id"] = _field(rng, person.personal_id, 840)
    return _page(f"death/{book_year}/{volume}/{number}{tag}", "death", fields)


def marriage_record(
    rng: random.Random, number: int, book_year: int, volume: str, *, tag: str = ""
) -> dict[str, Any]:
    hus = random_person(rng, 1950, book_year - 20, serial=2 * number, with_id=book_year >= 2016)
    wife = random_person(
        rng, 1950, book_year - 18, serial=2 * number + 1, with_id=book_year >= 2016
    )
    reg = date(book_year, 1, 1) + timedelta(days=rng.randrange(365))
    fields: dict[str, FieldValue] = {}
    for prefix, p in (("husband_", hus), ("wife_", wife)):
        fields[prefix + "full_name"] = _field(rng, p.full_name, 300)
        fields[prefix + "date_of_birth"] = _field(rng, p.date_of_birth.isoformat(), 360)
        fields[prefix + "ethnicity"] = _field(rng, "Kinh", 420)
        fields[prefix + "nationality"] = _field(rng, "Việt Nam", 480)
        fields[prefix + "residence"] = _field(rng, p.place_of_birth, 540)
        if p.personal_id:
            fields[prefix + "personal_id"] = _field(rng, p.personal_id, 600)
    fields["registration_place"] = _field(rng, "Ủy ban nhân dân Phường Bến Nghé", 700)
    fields["registration_date"] = _field(rng, reg.isoformat(), 760)
    fields["registration_number"] = _field(rng, str(number), 200)
    fields["book_number"] = _field(rng, f"{volume}/{book_year}", 200)
    return _page(f"marriage/{book_year}/{volume}/{number}{tag}", "marriage", fields)


def _page(key: str, doc_type: str, fields: dict[str, FieldValue]) -> dict[str, Any]:
    sha = hashlib.sha256(key.encode()).hexdigest()
    rec = PageRecord(
        Source(f"landing/{key}.tif", 1, sha),
        doc_type,
        fields,
        Quality(0, 0.4, 0.9, True),
        "auto_accepted",
        [],
    )
    return rec.to_json()


MAKERS = {"birth": birth_record, "death": death_record, "marriage": marriage_record}


def make_book(
    doc_type: str, book_year: int, volume: str, count: int, seed: int = 0, start: int = 1
) -> list[dict[str, Any]]:
    """``count`` auto-accepted records numbered ``start..``, all distinct people and scans."""
    rng = random.Random(f"{seed}:{doc_type}:{book_year}:{volume}")
    maker = MAKERS[doc_type]
    return [maker(rng, n, book_year, volume, tag=f"-s{seed}") for n in range(start, start + count)]


def needs_review(record: dict[str, Any], field: str, rule: str, message: str) -> dict[str, Any]:
    """The same record as the extractor would mark it when ``field`` failed ``rule``."""
    out = dict(record)
    out["status"] = "needs_review"
    out["issues"] = [*record.get("issues", []), Issue(rule, message, field).to_json()]
    return out


def rejected(record: dict[str, Any], message: str) -> dict[str, Any]:
    out = dict(record)
    out.update(
        status="rejected",
        doc_type="unknown",
        fields={},
        issues=[Issue(Rule.UNREADABLE, message).to_json()],
    )
    return out
