"""Plausible facts for one record: people, dates, places, numbers (no layout here).

All values are canonical (docs/record.md): upper-case names, ``date`` objects, ``male``/``female``.
Forms decide how each value is printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from ocr.personal_id import make_personal_id
from sohoa.samples import lexicon, places

LATEST = date(2026, 10, 31)  # nothing is dated after the generator's "today"
ID_SINCE = date(2016, 1, 1)  # personal ID numbers appear on records registered from here
NATIONALITY = "Việt Nam"


@dataclass
class Person:
    name: str  # title case, as written by hand; pages usually print it upper case
    sex: str
    dob: date
    ethnicity: str
    nationality: str = NATIONALITY
    personal_id: str | None = None


def random_date(rng: random.Random, start: date, end: date) -> date:
    end = min(end, LATEST)
    if end <= start:
        return end
    return start + timedelta(days=rng.randint(0, (end - start).days))


ERA_SHARES = ((date(1900, 1, 1), 0.35), (date(1999, 1, 1), 0.30), (date(2016, 1, 1), 0.35))


def event_date(rng: random.Random, start: date, end: date = LATEST) -> date:
    """A date in ``[start, end]``, spread so each form era (before 1999, 1999-2015, 2016-)
    gets its share of pages rather than one dominating by calendar length."""
    bounds = [max(start, s) for s, _ in ERA_SHARES] + [end]
    spans = [
        (bounds[i], bounds[i + 1], share)
        for i, (_, share) in enumerate(ERA_SHARES)
        if bounds[i] < bounds[i + 1]
    ]
    lo, hi, _ = rng.choices(spans, weights=[sh for *_, sh in spans])[0]
    return random_date(rng, lo, hi)


def person(
    rng: random.Random,
    sex: str | None,
    born_from: date,
    born_to: date,
    ethnicity: str | None = None,
) -> Person:
    sex = sex or rng.choice(["male", "female"])
    return Person(
        lexicon.person_name(rng, sex),
        sex,
        random_date(rng, born_from, born_to),
        ethnicity or lexicon.ethnicity(rng),
    )


def give_id(rng: random.Random, who: Person, province_code: str) -> None:
    who.personal_id = make_personal_id(province_code, who.dob.year, who.sex, rng.randint(0, 999999))


def registration_after(rng: random.Random, event: date, late_share: float = 0.08) -> date:
    """Most events are registered within weeks; a few years later (late registration)."""
    if rng.random() < late_share:
        return random_date(rng, event + timedelta(days=60), event + timedelta(days=365 * 12))
    return min(event + timedelta(days=rng.randint(0, 45)), LATEST)


def residence(rng: random.Random, on: date, province_code: str | None = None) -> str:
    unit = places.random_unit(rng, on, province_code)
    if rng.random() < 0.6:
        return f"{places.street_prefix(rng, unit)}, {unit.text}"
    return unit.text


def registration_numbers(rng: random.Random, on: date) -> tuple[str, str]:
    """(registration number, book number) as printed: '45' and '03/1987', or '123/2019'."""
    number = rng.randint(1, 420)
    reg = f"{number}/{on.year}" if rng.random() < 0.25 else str(number)
    book = f"{rng.randint(1, 12):02d}"
    if rng.random() < 0.85:
        book += f"/{on.year}"
    return reg, book


COMMITTEE = "Ủy ban nhân dân"


def authority(unit: places.Unit, rng: random.Random, old_style: bool) -> str:
    prefix = "UBND" if old_style and rng.random() < 0.4 else COMMITTEE
    return f"{prefix} {unit.text}"


def spelled_out(place: str) -> str:
    """'UBND Xã …' -> 'Ủy ban nhân dân Xã …': a registration place's canonical value."""
    return COMMITTEE + place[4:] if place.startswith("UBND ") else place


CAUSES_OF_DEATH = [
    "Bệnh già",
    "Già yếu",
    "Tai nạn giao thông",
    "Ung thư phổi",
    "Ung thư gan",
    "Nhồi máu cơ tim",
    "Tai biến mạch máu não",
    "Suy tim",
    "Suy hô hấp",
    "Đuối nước",
    "Xơ gan",
    "Suy thận mạn",
    "Viêm phổi",
    "Đột quỵ",
    "Bệnh hiểm nghèo",
]
