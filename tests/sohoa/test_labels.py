"""The one catalogue of Vietnamese texts: every rule and field name the code can emit has
one (a new rule without a text fails here), rejection sentences become what a clerk
should do, and no screen is left with a code."""

from __future__ import annotations

import re

import pytest

from ocr.checks import REQUIRED
from ocr.rules import Rule
from sohoa import labels
from sohoa.labels import (
    RULE_LABELS,
    UNKNOWN_REJECTION,
    field_label,
    has_field_label,
    history_note,
    reasons_summary,
    rejection_known,
    rejection_label,
    rejections_by_label,
    rule_label,
)
from tests.sohoa.label_sources import emitted, rejection_sentences, schema_fields, sources


@pytest.fixture(scope="module")
def found():
    return emitted()


def test_the_source_walk_finds_the_known_emitters(found):
    """The walk itself works: rules emitted each way are seen (if it found nothing, the
    catalogue test below would pass for nothing)."""
    assert "parent_entry_missing" in found.rules  # self.add(field, "rule", ...) in checks
    assert "registration_before_birth" in found.rules  # unpacked from tuples in a loop
    assert "unreadable_page" in found.rules  # Issue(rule=...) in the pipeline
    assert "registration_number_taken" in found.rules  # the loader's _issue(...)
    assert "unreadable_file" in found.rules  # {"rule": ...} in the orchestration
    assert "numbering_gap" in found.rules  # the book-level expectation suite
    assert "registration_number" in found.fields
    assert found.unresolved == [], "rule names passed in a way the walk cannot follow"


def test_every_rule_the_code_can_emit_has_a_vietnamese_text(found):
    missing = {rule: where[0] for rule, where in found.rules.items() if rule not in RULE_LABELS}
    assert not missing, f"rules without a text in sohoa.labels.RULE_LABELS: {missing}"


def test_every_rule_of_the_enumeration_has_a_vietnamese_text():
    """Also the rules the walk cannot see emitted (a stored item's retired name, a rule
    set on a record built elsewhere): none shows as "Cần kiểm tra"."""
    assert set(Rule) - set(RULE_LABELS) == set()
    assert set(RULE_LABELS) - set(Rule) == set()


def test_a_new_rule_without_a_text_is_caught():
    """What a helper adding a rule would write: the walk finds it, the catalogue lacks it."""
    module = (
        "from ocr.record import Issue\n"
        "class _Checker:\n"
        "    def add(self, field, rule, message): ...\n"
        "    def run(self):\n"
        "        self.add('hometown', 'hometown_too_far', 'far away')\n"
        "        return [Issue(rule='brand_new_rule', message='x', field='shoe_size')]\n"
    )
    found = emitted({"ocr/new_checks.py": module})
    assert {"hometown_too_far", "brand_new_rule"} <= set(found.rules)
    assert "shoe_size" in found.fields and "hometown" in found.fields
    assert not {"hometown_too_far", "brand_new_rule"} & set(RULE_LABELS)
    assert not has_field_label("shoe_size")


def test_rules_built_in_a_helper_and_read_back_are_followed():
    """A rule in the tuples a helper returns is found where the loop unpacks them; a rule
    read back from an issue (``i.rule``, ``found.items()``) is not an origin."""
    module = (
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Finding:\n"
        "    field: str | None\n"
        "    rule: str\n"
        "    message: str\n"
        "def _book(values):\n"
        "    return [('registration_date', 'year_of_another_book', 'late entry')]\n"
        "def check(values, issues):\n"
        "    found = {}\n"
        "    for field, rule, message in _book(values):\n"
        "        found[(field, rule)] = message\n"
        "    again = [Finding(i.field, i.rule, i.message) for i in issues]\n"
        "    return again + [Finding(f, rule, m) for (f, rule), m in found.items()]\n"
    )
    found = emitted({"plugins/sohoa/review/new.py": module})
    suites = set(emitted({}).rules)  # the expectation suites' rules are always read
    assert set(found.rules) - suites == {"year_of_another_book"} and found.unresolved == []
    odd = emitted({"ocr/odd.py": "def f(rule_of):\n    return Issue(rule=rule_of())\n"})
    assert odd.unresolved == ["ocr/odd.py:2: rule_of()"]  # a new way: reported, not missed


def test_every_field_name_has_a_vietnamese_text(found):
    names = {
        **{n: w[0] for n, w in schema_fields().items()},
        **{n: w[0] for n, w in found.fields.items() if not n.startswith("{")},
        **{n: f"ocr/checks.py REQUIRED[{t}]" for t, ns in REQUIRED.items() for n in ns},
    }
    assert len(names) > 40  # every record type's fields were read
    missing = {n: where for n, where in names.items() if not has_field_label(n)}
    assert not missing, f"fields without a text in sohoa.labels.FIELD_LABELS: {missing}"
    assert all("_" not in field_label(n) for n in names)


def test_every_rejection_sentence_has_its_own_vietnamese_text():
    sentences = rejection_sentences()
    assert len(sentences) > 15  # loading's refusals, the quality gate's, the reader's
    general = {s: where for s, where in sentences.items() if not rejection_known(s)}
    assert not general, f"rejections with only the general text: {general}"
    for sentence in sentences:
        text = rejection_label(sentence)
        assert text and re.search("[ạảấầẩậắằẳặẹẻếềểệỉịọỏốồổộớờởợụủứừửựỳỷỹđ]", text), sentence


def test_rejection_texts_say_what_to_do():
    assert rejection_label(None) is None
    said = rejection_label("x.pdf: the PDF is password-protected; ask the sender")
    assert said and said.startswith("PDF có mật khẩu")
    assert "mờ" in rejection_label("the page is too blurred to read; re-scan")
    assert rejection_label("something new in English") == UNKNOWN_REJECTION  # never English
    assert rejection_label("trang bìa sổ, không phải hồ sơ") == "trang bìa sổ, không phải hồ sơ"
    merged = rejections_by_label(
        {
            "the image is too small to read (300×400 px); scan": 2,
            "the image is too small to read (20×40 px); scan": 1,
            "the page is blank": 1,
        }
    )
    assert merged == {"Ảnh quá nhỏ để đọc: hãy quét lại ở 200–300 dpi.": 3, "Trang trắng.": 1}


def test_field_labels_name_whose_field_it_is():
    assert field_label("registration_place") == "Nơi đăng ký"
    assert field_label("mother_birth_year") == "Năm sinh (mẹ)"
    assert field_label("wife_full_name") == "Họ, chữ đệm, tên (vợ)"


def test_rules_and_reasons_never_show_their_codes():
    assert rule_label("parent_entry_missing") == RULE_LABELS["parent_entry_missing"]
    assert rule_label("not_a_rule_yet") == "Cần kiểm tra"
    line = reasons_summary(
        [
            {"field": "registration_place", "rule": "low_confidence", "message": "low"},
            {"field": "registration_place", "rule": "low_confidence", "message": "again"},
            {"field": None, "rule": "unknown_type", "message": "type?"},
        ]
    )
    assert line == "Đọc chưa chắc chắn: Nơi đăng ký; Không nhận ra loại giấy tờ"
    assert reasons_summary([]) == "Cần kiểm tra"


def test_history_notes_in_vietnamese():
    assert history_note("confirm", "record 3") == "đã nạp thành bản ghi số 3"
    assert history_note("reject", "trang bìa") == "trang bìa"
    assert history_note("correct", None) == ""
    assert history_note("override", "place_unresolved: bệnh viện huyện") == (
        "Không tìm thấy địa danh trong danh mục đơn vị hành chính — lý do: bệnh viện huyện"
    )
    assert labels.action_label("correct") == "sửa"


def test_screens_read_the_one_catalogue():
    """No page keeps a table of its own: the review view and the document-type labels
    are the catalogue's."""
    from sohoa.web import labels as web_labels
    from sohoa.web import review_view

    assert review_view.field_label is labels.field_label
    assert review_view.rule_label is labels.rule_label
    assert web_labels.DOC_TYPE_LABELS is labels.DOC_TYPE_LABELS
    copies = [
        path
        for path, text in sources().items()
        if path != "plugins/sohoa/labels.py" and '"parent_age": "' in text
    ]
    assert copies == [], "a second table of rule texts"
