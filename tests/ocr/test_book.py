"""The register book: one type from the upload to the load, and its one set of rules."""

from __future__ import annotations

import pytest

from ocr.book import IDENTITY, Book, BookError, book_problems
from ocr.errors import ConfigurationError

GOOD = {"unit": "25920", "book_type": "birth", "year": 2018, "volume": "01"}


def _faults(required: tuple[str, ...] = (), last_year: int = 2199, **parts):
    found = book_problems(parts, required=required, last_year=last_year, new=True)
    return [(p.part, p.rule) for p in found]


def test_a_book_comes_from_the_upload_metadata_and_may_say_little():
    meta = {"unit": "06400", "book_type": "birth", "year": "2024", "volume": "01", "uploader": "x"}
    assert Book.from_meta(meta) == Book("06400", "birth", 2024, "01", uploader="x")
    assert Book.from_meta({"unit": "06400", "sha256": "ab" * 32}) == Book("06400")
    assert Book.from_meta({}) is None and Book.from_meta(None) is None


def test_a_book_names_itself_by_unit_type_year_and_volume():
    book = Book(**GOOD, declared_entries=40, uploader="lan")
    assert book.key == ("25920", "birth", 2018, "01")
    assert Book.from_meta(book.to_json()) == book


def test_numbers_typed_as_text_are_numbers():
    assert Book(year="2018", declared_entries=" 40 ") == Book(year=2018, declared_entries=40)


def test_every_rule_once():
    assert _faults(**GOOD) == []
    assert _faults(required=("volume",)) == [("volume", "missing")]
    assert _faults(unit=" ") == [("unit", "empty")]
    assert _faults(book_type="divorce") == [("book_type", "choice")]
    assert _faults(year=1899) == [("year", "range")]
    assert _faults(year=2200) == [("year", "range")]
    assert _faults(year="năm") == [("year", "range")]
    assert _faults(year=2027, last_year=2026) == [("year", "range")]
    assert _faults(volume="") == [("volume", "empty")]
    assert _faults(volume="///") == [("volume", "form")]
    assert _faults(volume="1" * 33) == [("volume", "form")]
    assert _faults(declared_entries=-1) == [("declared_entries", "range")]
    assert _faults(declared_entries=100_001) == [("declared_entries", "range")]
    assert _faults(book_type="birth", dossier_code="A-1") == [("dossier_code", "not_dossier_book")]
    assert _faults(book_type="dossier_result", dossier_code="x y") == [("dossier_code", "form")]
    assert _faults(book_type="dossier_result", dossier_code="000.00.20.H40-240605-0001") == []


def test_a_book_read_back_is_held_only_to_the_rules_it_was_uploaded_under():
    # Before one set of rules, `sohoa upload` took any dossier code, volume or count.
    old = {**GOOD, "volume": "1" * 40, "declared_entries": 200_000, "dossier_code": "A 1"}
    assert Book.from_meta(old).complete().volume == "1" * 40
    with pytest.raises(BookError) as caught:
        Book.from_meta(old).check(required=IDENTITY, new=True)
    assert [p.part for p in caught.value.problems] == ["volume", "declared_entries", "dossier_code"]


def test_a_bad_book_is_a_clear_error_naming_every_fault():
    with pytest.raises(BookError) as caught:
        Book(book_type="diary", year=202)
    assert isinstance(caught.value, ConfigurationError)
    assert [p.part for p in caught.value.problems] == ["book_type", "year"]
    assert "book type must be one of birth" in str(caught.value)
    assert "book year out of range: 202" in str(caught.value)


def test_the_loader_and_the_landing_zone_need_the_whole_name():
    assert Book(**GOOD).complete() == Book(**GOOD)
    with pytest.raises(BookError, match="the volume is missing"):
        Book("25920", "birth", 2018).complete()


def test_a_unit_code_must_name_a_unit_when_asked():
    with pytest.raises(ConfigurationError, match="names no commune"):
        Book(unit="99999").check_unit()
    assert Book(unit="06400").check_unit() == Book(unit="06400")
