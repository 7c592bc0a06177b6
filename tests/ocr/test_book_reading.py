"""The register book's part in reading a page: its unit, its year, values as printed."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.book import Book
from ocr.book_reading import book_issues, settle
from ocr.pipeline import extract_page
from ocr.record import FieldValue, Issue, PageRecord, Source
from ocr.text import SECOND, with_placement
from ocr.units import place_unit
from sohoa.samples import Knobs, generate_page

SOURCE = Source("test://page", 1, "0" * 64)


def _record(doc_type: str = "birth", **values) -> PageRecord:
    record = PageRecord(SOURCE, doc_type)
    record.fields = {name: FieldValue(value, 0.95) for name, value in values.items()}
    return record


def _rules(record: PageRecord) -> set[tuple[str | None, str]]:
    return {(i.field, i.rule) for i in record.issues}


# --- settling one record ---------------------------------------------------------------------


def test_each_place_carries_its_unit_on_todays_map_and_keeps_its_text():
    record = _record(place_of_birth="Xã Hữu Liên, Huyện Hữu Lũng, Tỉnh Lạng Sơn")
    settle(record)
    field = record.fields["place_of_birth"]
    assert field.value == "Xã Hữu Liên, Huyện Hữu Lũng, Tỉnh Lạng Sơn"
    assert field.unit == {"code": "06400", "name": "Xã Hữu Liên, Tỉnh Lạng Sơn"}
    assert field.to_json()["unit"] == field.unit
    unplaced = _record(place_of_birth="Bangkok, Thái Lan")
    settle(unplaced)
    assert "unit" not in unplaced.fields["place_of_birth"].to_json()


def _commune_only() -> PageRecord:
    record = _record(registration_place="Ủy ban nhân dân xã Hữu Liên")
    record.issues = [
        Issue("place_unresolved", "not found", "registration_place"),
        Issue("low_confidence", "low", "full_name"),
    ]
    return record


def test_a_commune_only_authority_is_placed_by_the_books_unit():
    record = _commune_only()
    settle(record, Book(unit="06400"))
    field = record.fields["registration_place"]
    assert field.value == "Ủy ban nhân dân xã Hữu Liên"
    assert field.unit == {"code": "06400", "name": "Xã Hữu Liên, Tỉnh Lạng Sơn"}
    assert _rules(record) == {("full_name", "low_confidence")}  # not to review for it


def test_a_commune_only_authority_without_the_books_unit_still_goes_to_review():
    for book in (None, Book(year=2024), Book(unit="25920")):  # none, no unit, another unit
        record = _commune_only()
        settle(record, book)
        assert ("registration_place", "place_unresolved") in _rules(record)
        assert record.fields["registration_place"].unit is None


def test_a_registration_outside_the_books_year_is_named():
    record = _record(registration_date="1974-03-02", book_number="01/1974")
    assert {(i.field, i.rule) for i in book_issues(record, Book(year=2024))} == {
        ("registration_date", "registration_year_outside_book"),
        ("book_number", "book_number_outside_book"),
    }
    assert book_issues(_record(registration_date="2024-03-02"), Book(year=2024)) == []
    assert book_issues(record, Book(unit="06400")) == []  # no year: nothing to compare
    result = _record("dossier_result", result_date="1974-03-02")
    assert book_issues(result, Book(year=2024)) == []


def test_a_page_of_another_type_than_its_book_is_named():
    issues = book_issues(_record("death"), Book(book_type="birth"))
    assert [i.rule for i in issues] == ["doc_type_not_book_type"]


def test_a_value_read_otherwise_gets_the_lists_spelling_as_a_suggestion_only():
    record = _record(full_name="NGUYỀN VĂN DŨNG", mother_name="NGÔ THỊ HOÀ")
    settle(record)
    assert record.fields["full_name"].value == "NGUYỀN VĂN DŨNG"
    (issue,) = record.issues
    assert (issue.field, issue.rule, issue.suggestion) == (
        "full_name",
        "spelled_otherwise",
        "NGUYỄN VĂN DŨNG",
    )
    assert "NGUY" not in issue.message  # no personal data in messages
    assert issue.to_json()["suggestion"] == "NGUYỄN VĂN DŨNG"


# --- on generated pages with known truth (real Tesseract) -------------------------------------


@pytest.fixture
def printed_so(monkeypatch):
    """The generator's names and places in the placement with the tone on the second vowel
    (Hoà, Thuỷ), every given name one that the conventions spell differently, and the
    registration authority named by its commune alone."""
    from sohoa.samples import facts, lexicon, places

    name_of = lexicon.person_name
    text_of = places.Unit.text.fget

    def person_name(rng, sex):
        name = name_of(rng, sex).rsplit(" ", 1)[0]
        return with_placement(f"{name} {'Hòa' if sex == 'male' else 'Thủy'}", SECOND)

    monkeypatch.setattr(lexicon, "person_name", person_name)
    monkeypatch.setattr(places.Unit, "text", property(lambda u: with_placement(text_of(u), SECOND)))
    registered_by = []

    def authority(unit, rng, old_style):
        registered_by.append(unit)
        ward = with_placement(unit.ward, SECOND)
        return f"Ủy ban nhân dân {ward[0].lower()}{ward[1:]}"

    monkeypatch.setattr(facts, "authority", authority)
    image, truth = generate_page("birth", 32, knobs=Knobs(dpi=300))
    (unit,) = registered_by
    code = place_unit(unit.text).code  # the book's unit: the commune that registered
    return np.asarray(image.convert("L")), truth, code


def test_old_tone_placement_and_a_commune_only_authority_on_a_generated_page(printed_so):
    image, truth, code = printed_so
    want = truth["fields"]
    assert want["full_name"].endswith(("HOÀ", "THUỶ")) and want["mother_name"].endswith("THUỶ")
    assert want["registration_place"].count(",") == 0  # the commune alone
    bare = extract_page(image, SOURCE, dpi=300).to_json()
    got = {name: f["value"] for name, f in bare["fields"].items()}
    for name in ("full_name", "mother_name", "father_name"):
        assert got[name] == want[name]  # as printed: HOÀ, THUỶ, not HÒA, THỦY
    assert got["registration_place"] == want["registration_place"]
    assert "unit" not in bare["fields"]["registration_place"]
    assert ("registration_place", "place_unresolved") in {
        (i["field"], i["rule"]) for i in bare["issues"]
    }
    year = int(want["registration_date"][:4])
    booked = extract_page(image, SOURCE, dpi=300, book=Book(unit=code, year=year)).to_json()
    place = booked["fields"]["registration_place"]
    assert place["value"] == want["registration_place"]
    assert place["unit"]["code"] == code
    assert not [i for i in booked["issues"] if i["field"] == "registration_place"]
    assert not [i for i in booked["issues"] if i["rule"].endswith("outside_book")]


def test_a_record_of_another_year_than_its_book_is_not_loaded_silently(printed_so):
    image, truth, code = printed_so
    year = int(truth["fields"]["registration_date"][:4])
    book = Book(unit=code, year=year + 50)
    record = extract_page(image, SOURCE, dpi=300, book=book).to_json()
    assert record["status"] == "needs_review"
    assert ("registration_date", "registration_year_outside_book") in {
        (i["field"], i["rule"]) for i in record["issues"]
    }
