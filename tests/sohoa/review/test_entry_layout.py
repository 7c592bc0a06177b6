"""The manual-entry form follows its paper form: the order of each generation, and the
kind of each input."""

from __future__ import annotations

import pytest

from sohoa.review.entry_layout import (
    field_order,
    generation_of,
    input_kind,
    other_block,
)
from sohoa.web.review_view import field_names


@pytest.mark.parametrize(
    ("year", "generation"), [(1990, "very_old"), (1999, "old"), (2015, "old"), (2016, "new")]
)
def test_the_books_year_picks_the_generation(year, generation):
    assert generation_of(year) == generation


def test_new_birth_forms_start_with_the_number_and_put_the_mother_first():
    order = field_order("birth", "new", field_names("birth"))
    assert sorted(order) == sorted(field_names("birth"))
    assert order[:3] == ["registration_number", "book_number", "full_name"]
    assert order.index("mother_name") < order.index("father_name")
    assert order[-2:] == ["registration_place", "registration_date"]


def test_old_birth_forms_put_the_father_first_and_the_number_last():
    order = field_order("birth", "old", field_names("birth"))
    assert order[0] == "full_name"
    assert order.index("father_name") < order.index("mother_name")
    assert order[-2:] == ["registration_number", "book_number"]


@pytest.mark.parametrize("doc_type", ["death", "marriage", "dossier_result"])
def test_every_field_keeps_a_place(doc_type):
    for generation in ("new", "old", "very_old"):
        assert sorted(field_order(doc_type, generation, field_names(doc_type))) == sorted(
            field_names(doc_type)
        )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("date_of_birth", "date"),
        ("date_of_death", "date"),
        ("mother_birth_year", "year"),
        ("sex", "sex"),
        ("father_ethnicity", "ethnicity"),
        ("wife_nationality", "nationality"),
        ("hometown", "place"),
        ("registration_place", "place"),
        ("personal_id", "id"),
        ("full_name", "name"),
        ("cause_of_death", "text"),
    ],
)
def test_each_input_says_its_kind(name, kind):
    assert input_kind(name) == kind


def test_a_residence_is_copied_from_the_other_parent_or_spouse():
    assert other_block("birth", "father_") == "mother_"
    assert other_block("marriage", "husband_") == "wife_"
    assert other_block("death", "mother_") is None
