"""Typed records and pages to type them from, for the manual-entry tests (issue 15).

The pages are generated scans (``sohoa.samples``) loaded by the real loader into review as
a reader that could read nothing would leave them: no type, no fields (a handwritten page).
"""

from __future__ import annotations

from pathlib import Path

from ocr.loading import sha256_of
from tests.sohoa.web.review_fixtures import load_into_review, write_scan

PLACE = "Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình"

# A birth record of 2020 as a clerk types it (day-first dates, "Nữ").
TYPED = {
    "full_name": "Trần Thị Bích",
    "date_of_birth": "04/03/2020",
    "sex": "Nữ",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "place_of_birth": PLACE,
    "mother_name": "Phạm Thị Hoa",
    "mother_birth_year": "1990",
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": f"Thôn 3, {PLACE}",
    "registration_place": f"Ủy ban nhân dân {PLACE}",
    "registration_date": "10/03/2020",
    "registration_number": "99",
}

# The record of issue 15 that was typed in and loaded without a word: a child born in
# 2030, a mother born in 2030, ethnic groups misspelt ("Kihn"; "Mong" for Mông) and a
# place that does not exist.
IMPOSSIBLE = {
    **TYPED,
    "date_of_birth": "01/01/2030",
    "ethnicity": "Kihn",
    "mother_birth_year": "2030",
    "mother_ethnicity": "Mong",
    "place_of_birth": "Xã Không Có, Huyện Ảo, Tỉnh Mơ",
}
# Its fields the checks refuse (the registration date is before that birth date), and
# the one they only warn about.
IMPOSSIBLE_ERRORS = {
    "date_of_birth",
    "ethnicity",
    "mother_birth_year",
    "mother_ethnicity",
    "registration_date",
}
IMPOSSIBLE_WARNINGS = {"place_of_birth"}


def stage_handwritten(
    engine, folder: Path, unit_code: str, *, seed: int = 21, volume: str = "05"
) -> int:
    """A page the reader could not read, in review in the unit's birth book of 2020."""
    path, _ = write_scan(folder, "birth", seed)
    record = {
        "source": {"uri": str(path), "page": 1, "sha256": sha256_of(path)},
        "doc_type": "unknown",
        "fields": {},
        "quality": {"rotation": 0, "skew_deg": 0.0, "sharpness": 0.2, "readable": True},
        "status": "needs_review",
        "issues": [{"field": None, "rule": "no_text", "message": "no printed text"}],
    }
    return load_into_review(engine, record, unit_code, volume)


# One birth record of 2020 with all 22 fields, as printed on its page, for counting the
# key presses of typing it in (in the book of unit 25920, Phường Tân Hiệp).
HOME = "Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
FULL_RECORD = {
    "full_name": "Nguyễn Thị Thu Hằng",
    "date_of_birth": "29/05/2020",
    "sex": "Nữ",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "place_of_birth": "Phường Uyên Hưng, Thành phố Tân Uyên, Tỉnh Bình Dương",
    "hometown": "Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình",
    "personal_id": "074320012345",
    "mother_name": "Trần Thị Mai",
    "mother_birth_year": "1995",
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": f"Khu phố 3, {HOME}",
    "father_name": "Nguyễn Văn Hùng",
    "father_birth_year": "1992",
    "father_ethnicity": "Kinh",
    "father_nationality": "Việt Nam",
    "father_residence": f"Khu phố 3, {HOME}",
    "registration_place": f"Ủy ban nhân dân {HOME}",
    "registration_date": "05/06/2020",
    "registration_number": "125",
    "book_number": "05/2020",
}
