"""Coded errors: a stable code and parameters for the pages, the same English message as
before for the CLI, and every raise site using a registered code with its parameters."""

from __future__ import annotations

import pickle
import string

import pytest

from sohoa.coded_errors import CodedError
from sohoa.review.queue import ReviewError
from sohoa.web.accounts import AccountError
from tests.sohoa.coded_error_sites import coded_error_classes, raise_sites

# What `sohoa review` and `sohoa users` printed before the errors had codes: the English
# must not change with them.
PRINTED = [
    (ReviewError("value_required", field="full_name"), "full_name: a value is required"),
    (
        ReviewError("year_digits", field="mother_birth_year", value="87"),
        "mother_birth_year: a year is four digits, got '87'",
    ),
    (
        ReviewError("not_a_date", field="date_of_birth", value="2020-02-31"),
        "date_of_birth: not a real date in YYYY-MM-DD form: '2020-02-31'",
    ),
    (ReviewError("sex_value", field="sex"), "sex: must be male or female"),
    (
        ReviewError("personal_id_digits", field="personal_id"),
        "personal_id: a personal ID is 12 digits",
    ),
    (
        ReviewError("unknown_field", doc_type="birth", fields=("a_field", "shoe_size")),
        "a birth record has no field a_field, shoe_size",
    ),
    (
        ReviewError("doc_type_choice", choices=("birth", "death", "marriage", "dossier_result")),
        "doc type must be one of birth, death, marriage, dossier_result",
    ),
    (ReviewError("no_item", item=7), "no review item 7"),
    (ReviewError("item_resolved", item=7, state="confirmed"), "review item 7 is already confirmed"),
    (ReviewError("no_book", item=7), "review item 7 has no register book"),
    (
        ReviewError("type_mismatch", doc_type="death", book_type="birth"),
        "a death record cannot go into a birth book; enter it with the right type or reject "
        "the page",
    ),
    (ReviewError("number_missing"), "the registration number is missing; correct it first"),
    (
        ReviewError("number_taken", number="12", record=3),
        "number 12 is already loaded in this book (record 3)",
    ),
    (ReviewError("reason_required"), "a rejection needs a reason a person can read"),
    (ReviewError("actor_required"), "every change needs the name of the person making it"),
    (ReviewError("no_flag", flag=4), "no duplicate flag 4"),
    (
        ReviewError("flag_resolved", flag=4, state="different"),
        "flag 4 is already resolved (different)",
    ),
    (
        ReviewError("value_refused", field="sex", message="The sex must be Nam or Nữ.", rule="r"),
        "sex: The sex must be Nam or Nữ. (r)",
    ),
    (
        ReviewError("double_entry_book", item=7),
        "review item 7 is in a book typed twice: two people key it in the web app and a "
        "reviewer settles where they differ",
    ),
    (
        ReviewError("already_keyed", item=7),
        "you keyed review item 7 already; the second keying is another's",
    ),
    (ReviewError("keying_done", item=7), "review item 7 was keyed twice already"),
    (ReviewError("not_arbitrable", item=7), "review item 7 has no two keyings to arbitrate"),
    (ReviewError("not_double", item=7), "review item 7 is not in a book typed twice"),
    (ReviewError("arbiter_keyed", item=7), "a keyer of review item 7 cannot arbitrate it"),
    (ReviewError("choice_missing", fields=("sex",)), "no value chosen for sex"),
    (
        ReviewError("default_invalid", field="ethnicity", value="Kihn"),
        "ethnicity: 'Kihn' is not in its list and cannot be a default",
    ),
    (
        ReviewError("checks_failed", fields=("date_of_birth",), problems="date_of_birth: x"),
        "not loaded, the checks refuse date_of_birth: date_of_birth: x",
    ),
    (
        ReviewError("warnings_unanswered", fields=("hometown",), problems="hometown: x"),
        "not loaded without a reason for hometown: hometown: x; if the page says so, give the "
        "reason with --override FIELD=REASON",
    ),
    (AccountError("password_short", min_length=10), "a password needs at least 10 characters"),
    (AccountError("password_spaces"), "a password cannot start or end with a space"),
    (AccountError("unit_code", unit="25920/x"), "not a unit code: '25920/x'"),
    (AccountError("admin_units"), "an admin manages accounts and has no units"),
    (AccountError("staff_one_unit"), "archive staff belong to exactly one unit (--unit CODE)"),
    (AccountError("staff_all_units"), "archive staff belong to one unit, not all of them"),
    (
        AccountError("units_required", role="manager"),
        "a manager needs at least one unit (a commune or province code)",
    ),
    (
        AccountError("username_format"),
        "a username is 3-64 characters: lower-case letters, digits, '.', '_' or '-'",
    ),
    (
        AccountError("role_unknown", roles=("admin", "manager"), role="boss"),
        "role must be one of admin, manager, got 'boss'",
    ),
    (AccountError("username_taken", username="boss"), "the username 'boss' is taken"),
    (AccountError("no_account", account=9), "no account 9"),
]


@pytest.mark.parametrize(("error", "printed"), PRINTED, ids=lambda e: getattr(e, "code", ""))
def test_the_english_message_is_what_the_cli_printed_before(error, printed):
    assert str(error) == printed
    assert error.exit_code == 2


def test_every_code_keeps_its_english_message_pinned():
    pinned = {(type(e), e.code) for e, _ in PRINTED}
    registered = {(cls, code) for cls in (ReviewError, AccountError) for code in cls.MESSAGES}
    assert registered == pinned


def test_code_and_parameters_are_kept_for_the_pages():
    error = ReviewError("number_taken", number="12", record=3)
    assert error.code == "number_taken"
    assert error.params == {"number": "12", "record": 3}
    assert error.number == "12" and error.record == 3
    assert error.field is None
    assert ReviewError("sex_value", field="mother_sex").field == "mother_sex"
    with pytest.raises(AttributeError):
        error.state  # noqa: B018  (not a parameter of this error)


def test_an_unregistered_code_is_refused_where_it_is_raised():
    with pytest.raises(ValueError, match="no code 'no_such_code'"):
        ReviewError("no_such_code")


def test_a_coded_error_survives_pickling():
    error = AccountError("unit_code", unit="25920/x")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is AccountError and again.code == "unit_code"
    assert again.params == {"unit": "25920/x"} and str(again) == str(error)


def test_the_coded_errors_are_found_in_the_source():
    classes = coded_error_classes()
    assert classes["ReviewError"] is ReviewError and classes["AccountError"] is AccountError
    assert all(issubclass(c, CodedError) for c in classes.values())


def test_every_raise_site_uses_a_registered_code_with_the_parameters_it_needs():
    sites = raise_sites()
    assert len(sites) >= 25  # the queue and the accounts module, as of this test
    for site in sites:
        assert isinstance(site.code, str), f"{site.where}: the code must be a literal"
        assert site.code in site.cls.MESSAGES, f"{site.where}: unregistered {site.code!r}"
        needed = {f for _, f, _, _ in string.Formatter().parse(site.cls.MESSAGES[site.code]) if f}
        assert needed <= site.params, f"{site.where}: {site.code} needs {needed}"


def test_every_registered_code_is_raised_somewhere():
    raised = {(s.cls, s.code) for s in raise_sites()}
    for cls in coded_error_classes().values():
        for code in cls.MESSAGES:
            assert (cls, code) in raised, f"{cls.__name__} code {code!r} is never raised"
