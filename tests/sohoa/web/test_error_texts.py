"""The Vietnamese the pages show for the domain's coded errors: found by code, never by
the English text, with a text for every code a raise site can use."""

from __future__ import annotations

import string

import pytest

from sohoa.review import queue
from sohoa.review.queue import ReviewError
from sohoa.web import error_texts
from sohoa.web import review_view as view
from sohoa.web.accounts import AccountError, create_user
from sohoa.web.error_texts import TEXTS, vietnamese
from tests.sohoa.coded_error_sites import coded_error_classes, raise_sites
from tests.sohoa.web.review_fixtures import stage

# A value for each parameter name the raise sites use, as a raise site would pass it.
SAMPLE = {
    "field": "mother_birth_year",
    "fields": ("husband_full_name",),
    "state": "confirmed",
    "doc_type": "death",
    "book_type": "birth",
    "choices": ("birth", "death"),
    "roles": ("admin", "manager"),
}


def _placeholders(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_coded_error_has_a_vietnamese_table():
    assert set(coded_error_classes().values()) == set(TEXTS)


def test_every_code_has_a_vietnamese_text_using_only_its_parameters():
    for cls, texts in TEXTS.items():
        assert set(texts) == set(cls.MESSAGES), cls.__name__
        for code, text in texts.items():
            assert _placeholders(text) <= _placeholders(cls.MESSAGES[code]), code


def test_every_raise_site_is_said_in_vietnamese():
    """Each raise site's error, built with the parameters that site passes, comes out in
    Vietnamese: no English fallback, nothing left unfilled, no raw field names."""
    for site in raise_sites():
        error = site.cls(site.code, **{p: SAMPLE.get(p, "7") for p in site.params})
        said = vietnamese(error)
        assert said != str(error), f"{site.where}: {site.code} falls back to English"
        assert "{" not in said and "mother_birth_year" not in said, site.where
        assert "husband_full_name" not in said and "confirmed" not in said, site.where


def test_rewording_the_english_changes_nothing_on_the_page(monkeypatch):
    before = vietnamese(ReviewError("not_a_date", field="date_of_birth", value="31/02"))
    reworded = {**ReviewError.MESSAGES, "not_a_date": "Invalid date for {field} ({value})"}
    monkeypatch.setattr(ReviewError, "MESSAGES", reworded)
    error = ReviewError("not_a_date", field="date_of_birth", value="31/02")
    assert str(error) == "Invalid date for date_of_birth (31/02)"
    assert vietnamese(error) == before and error.field == "date_of_birth"


def test_a_code_without_a_text_shows_the_english_rather_than_nothing(monkeypatch):
    # A missing translation cannot happen with the tables as they are (tests above), so
    # the fault is made by removing one.
    monkeypatch.delitem(error_texts.REVIEW_TEXTS, "number_missing")
    error = ReviewError("number_missing")
    assert vietnamese(error) == str(error)


# --- what a clerk or an admin reads ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "said"),
    [
        ("full_name", "  ", "Họ, chữ đệm, tên: cần nhập giá trị."),
        ("mother_birth_year", "87", "Năm sinh (mẹ): năm gồm bốn chữ số, ví dụ 1987."),
        ("sex", "x", "Giới tính: nhập Nam hoặc Nữ."),
        ("personal_id", "123", "Số định danh cá nhân: số định danh gồm 12 chữ số."),
    ],
)
def test_queue_value_errors_are_said_in_vietnamese(name, raw, said):
    with pytest.raises(ReviewError) as refused:
        queue.canonical_value(name, raw)
    assert vietnamese(refused.value) == said
    assert refused.value.field == name


def test_an_impossible_typed_date_names_its_field():
    with pytest.raises(ReviewError) as refused:
        queue.canonical_value("date_of_birth", view.from_input("date_of_birth", "31/02/2020"))
    assert refused.value.field == "date_of_birth"
    assert vietnamese(refused.value).startswith("Ngày, tháng, năm sinh: ngày không")


def test_queue_state_errors_are_said_in_vietnamese(sqlite_engine, tmp_path):
    engine, item_id = sqlite_engine, stage(sqlite_engine, tmp_path, "25920").item_id
    with pytest.raises(ReviewError) as no_field:
        queue.correct_field(engine, item_id, "husband_full_name", "A", actor="lan")
    assert vietnamese(no_field.value) == (
        "Loại giấy tờ này không có trường Họ, chữ đệm, tên (chồng)."
    )
    with pytest.raises(ReviewError) as no_reason:
        queue.reject_page(engine, item_id, " ", actor="lan")
    assert vietnamese(no_reason.value) == "Hãy ghi lý do từ chối trang."
    queue.confirm(engine, item_id, actor="lan")
    with pytest.raises(ReviewError) as done:
        queue.confirm(engine, item_id, actor="lan")
    assert done.value.code == "item_resolved" and done.value.state == "confirmed"
    assert vietnamese(done.value) == "Hồ sơ này đã được xử lý (đã xác nhận)."
    with pytest.raises(ReviewError) as missing:
        queue.show(engine, item_id + 1000)
    assert vietnamese(missing.value) == "Không tìm thấy hồ sơ cần duyệt này."


def test_account_errors_are_said_in_vietnamese(sqlite_engine):
    with pytest.raises(AccountError) as short:
        create_user(sqlite_engine, "clerk1", "short", "archive_staff", ["25920"])
    assert vietnamese(short.value) == "Mật khẩu cần ít nhất 10 ký tự."
    with pytest.raises(AccountError) as spaces:
        create_user(sqlite_engine, "clerk1", " a long password ", "archive_staff", ["25920"])
    assert vietnamese(spaces.value).startswith("Mật khẩu không được bắt đầu")
    with pytest.raises(AccountError) as unit:
        create_user(sqlite_engine, "clerk1", "a long password", "archive_staff", ["25920/x"])
    assert vietnamese(unit.value) == "Mã đơn vị không hợp lệ: 25920/x."
