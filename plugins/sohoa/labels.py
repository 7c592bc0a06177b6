"""The one catalogue of what a person reads, in Vietnamese, for the codes the code emits:
field names, rule names, rejection reasons, document types, review actions.

Every screen and every report takes its words from here, so a rule or a field never shows
as ``parent_entry_missing`` or ``registration_place``. Rules are keyed by their member
of :class:`ocr.rules.Rule`; a member is its string, so the name an issue or a stored
review item carries (``Issue.rule``, ``meta.rule`` of the expectation suites) finds it.
``tests/sohoa/test_labels.py`` walks the code for every rule and field name it can emit
and fails when one has no text here.

Rejection reasons are different: the pipeline stores an English sentence (for engineers
and the CLI), not a code, so they are recognised by a phrase of that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ocr import doctypes
from ocr.rules import Rule

# --- document types --------------------------------------------------------------------

DOC_TYPE_LABELS = {t.name: t.vi for t in doctypes.REGISTRY.values()} | {
    doctypes.UNKNOWN: "Chưa rõ loại"
}

# --- fields ----------------------------------------------------------------------------

FIELD_LABELS = {
    "full_name": "Họ, chữ đệm, tên",
    "name": "Họ, chữ đệm, tên",
    "date_of_birth": "Ngày, tháng, năm sinh",
    "birth_year": "Năm sinh",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "place_of_birth": "Nơi sinh",
    "hometown": "Quê quán",
    "personal_id": "Số định danh cá nhân",
    "residence": "Nơi cư trú",
    "date_of_death": "Ngày chết",
    "time_of_death": "Giờ chết",
    "place_of_death": "Nơi chết",
    "cause_of_death": "Nguyên nhân chết",
    "registration_place": "Nơi đăng ký",
    "registration_date": "Ngày đăng ký",
    "registration_number": "Số",
    "book_number": "Quyển số",
    "dossier_code": "Mã hồ sơ",
    "document_title": "Tên giấy tờ",
    "result_number": "Số kết quả",
    "result_date": "Ngày kết quả",
    "issuing_authority": "Cơ quan cấp",
}
# Whose field it is: ``mother_birth_year`` is the mother's "Năm sinh".
FIELD_OWNERS = {
    "mother_": "mẹ",
    "father_": "cha",
    "husband_": "chồng",
    "wife_": "vợ",
    "applicant_": "người nộp hồ sơ",
}


def field_label(name: str) -> str:
    """The Vietnamese label of a field, naming whose it is (``mother_birth_year`` ->
    "Năm sinh (mẹ)"); an unknown name is returned as it is (the catalogue test keeps
    that from happening for every name the code emits)."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    for prefix, who in FIELD_OWNERS.items():
        if name.startswith(prefix) and name[len(prefix) :] in FIELD_LABELS:
            return f"{FIELD_LABELS[name[len(prefix) :]]} ({who})"
    return name


def has_field_label(name: str) -> bool:
    return field_label(name) != name


# --- rules -----------------------------------------------------------------------------

RULE_LABELS = {
    # the reader and the checks of ocr/
    Rule.REQUIRED_MISSING: "Thiếu thông tin bắt buộc",
    Rule.REQUIRED: "Thiếu thông tin bắt buộc",
    Rule.LOW_CONFIDENCE: "Đọc chưa chắc chắn",
    Rule.MARK_OVER_VALUE: "Dấu hoặc chữ ký đè lên giá trị",
    Rule.DATE_FORMAT: "Ngày sai định dạng",
    Rule.DATE_INVALID: "Ngày không có thật",
    Rule.DATE_IN_FUTURE: "Ngày ở tương lai",
    Rule.DATE_TOO_OLD: "Ngày quá xa (trước năm 1850)",
    Rule.DATE_WORDS_MISMATCH: "Ngày bằng chữ không khớp ngày bằng số",
    Rule.DATE_WORDS_UNREADABLE: "Không đọc được ngày bằng chữ",
    Rule.REGISTRATION_BEFORE_BIRTH: "Ngày đăng ký trước ngày sinh",
    Rule.REGISTRATION_BEFORE_DEATH: "Ngày đăng ký trước ngày chết",
    Rule.DEATH_BEFORE_BIRTH: "Ngày chết trước ngày sinh",
    Rule.PARENT_AGE: "Năm sinh của cha/mẹ không hợp lý",
    Rule.MOTHER_MISSING: "Không có họ tên mẹ (trẻ bị bỏ rơi mới không có)",
    Rule.PARENT_ENTRY_MISSING: "Thiếu thông tin này dù các thông tin khác của cha/mẹ đều có",
    Rule.SPOUSE_ENTRY_MISSING: "Thiếu thông tin này dù bên vợ/chồng kia có",
    Rule.ID_FORMAT: "Số định danh sai định dạng",
    Rule.ID_PROVINCE: "Mã tỉnh trong số định danh không đúng",
    Rule.ID_SEX: "Số định danh không khớp giới tính",
    Rule.ID_BIRTH_YEAR: "Số định danh không khớp năm sinh",
    Rule.ETHNICITY_UNKNOWN: "Dân tộc không có trong danh mục",
    Rule.PLACE_UNRESOLVED: "Không tìm thấy địa danh trong danh mục đơn vị hành chính",
    Rule.NAME_FORMAT: "Họ tên sai định dạng",
    Rule.SEX_FORMAT: "Giới tính không hợp lệ",
    Rule.YEAR_FORMAT: "Năm không hợp lệ (sai dạng, chưa tới hoặc trước 1850)",
    Rule.TIME_FORMAT: "Giờ sai định dạng",
    Rule.NUMBER_FORMAT: "Số sai định dạng",
    Rule.DOSSIER_CODE_FORMAT: "Mã hồ sơ sai định dạng",
    Rule.DOSSIER_CODE_DATE: "Ngày trong mã hồ sơ không hợp lệ",
    Rule.QR_MISMATCH: "Mã QR không khớp mã hồ sơ",
    Rule.DOSSIER_CODE_MISSING: "Chưa có mã hồ sơ (trên trang hay khi tải lên): chọn hồ sơ",
    Rule.PARENT_DATE_YEAR: "Năm sinh không khớp ngày sinh của cha/mẹ",
    Rule.VALUE_UNREADABLE: "Có chữ sau nhãn nhưng không đọc ra được giá trị",
    Rule.VALUE_UNREAD: "Có chữ sau nhãn nhưng máy không đọc được",
    Rule.ENTRY_OWNER_UNKNOWN: "Không rõ thông tin của ai (mất dòng họ tên): chưa dùng",
    Rule.HANDWRITTEN_UNREAD: "Không đọc được số viết tay",
    # the page as a whole
    Rule.DOC_TYPE_UNKNOWN: "Không nhận ra loại giấy tờ",
    Rule.UNKNOWN_TYPE: "Không nhận ra loại giấy tờ",
    Rule.UNKNOWN_DOC_TYPE: "Không nhận ra loại giấy tờ",
    Rule.DOC_TYPE_MISMATCH: "Loại giấy tờ khác loại sổ",
    Rule.BOOK_YEAR_MISMATCH: "Năm đăng ký khác năm của quyển sổ",
    Rule.NO_TEXT: "Không đọc được chữ (có thể viết tay)",
    Rule.UNREADABLE: "Trang không đọc được",
    Rule.UNREADABLE_PAGE: "Trang không đọc được",
    Rule.UNREADABLE_FILE: "Tệp không đọc được",
    Rule.SCAN_REPLACED: "Tệp trong kho tiếp nhận khác tệp đã tải lên",
    Rule.NEEDS_REVIEW: "Cần người kiểm tra",
    # the load and the book-level suite
    Rule.DUPLICATE_REGISTRATION_NUMBER: "Trùng số đăng ký trong quyển",
    Rule.REGISTRATION_NUMBER_TAKEN: "Số đăng ký đã có trong quyển sổ",
    Rule.SCAN_LOADED_TWICE: "Một trang được tải lên hai lần với nội dung khác nhau",
    Rule.NUMBERING_GAP: "Số đăng ký trong quyển bị đứt quãng",
    Rule.NUMBER_BEYOND_DECLARED_ENTRIES: "Số đăng ký vượt quá số mục đã khai của quyển",
    Rule.DOC_TYPE_NOT_BOOK_TYPE: "Loại giấy tờ khác loại sổ",
    Rule.REGISTRATION_YEAR_OUTSIDE_BOOK: "Năm đăng ký khác năm của quyển sổ",
    Rule.BOOK_NUMBER_OUTSIDE_BOOK: "Số quyển ghi năm khác năm của quyển sổ",
    Rule.SPELLED_OTHERWISE: "Cách viết khác danh mục: giữ như trên giấy, có gợi ý",
}
UNKNOWN_RULE = "Cần kiểm tra"


def rule_label(name: str | None) -> str:
    """The Vietnamese name of a rule; a rule without one (the catalogue test keeps that
    from happening) is "Cần kiểm tra", never its code."""
    return RULE_LABELS.get(name or "", UNKNOWN_RULE)


def reason_text(reason: Mapping[str, Any]) -> str:
    """One failed check as a clerk reads it: "Đọc chưa chắc chắn: Nơi đăng ký"."""
    label = rule_label(reason.get("rule"))
    name = reason.get("field")
    return f"{label}: {field_label(str(name))}" if name else label


def reasons_summary(reasons: Iterable[Mapping[str, Any]]) -> str:
    """Why a page needs review, in one line: each failed check once, in order."""
    seen: list[str] = []
    for reason in reasons:
        text = reason_text(reason)
        if text not in seen:
            seen.append(text)
    return "; ".join(seen) or UNKNOWN_RULE


# --- rejection reasons -----------------------------------------------------------------

# A phrase of the pipeline's English sentence (ocr.loading, ocr.quality, ocr.pipeline, the
# landing zone) -> what a clerk should read and do. First match wins.
REJECTION_REASONS = (
    ("password-protected", "PDF có mật khẩu: hãy xin bản không đặt mật khẩu rồi tải lên lại."),
    ("too large to open safely", "Ảnh quá lớn để mở: hãy quét ở 300 dpi hoặc tách tệp."),
    (
        "larger than a document page",
        "Trang PDF lớn hơn nhiều so với trang giấy: hãy tải lên ảnh quét của trang.",
    ),
    ("too small", "Ảnh quá nhỏ để đọc: hãy quét lại ở 200–300 dpi."),
    ("too dark", "Ảnh quá tối để đọc: hãy chụp lại ở nơi đủ ánh sáng."),
    ("is empty", "Tệp rỗng: hãy tải lên lại."),
    ("not an image or PDF", "Không phải ảnh quét hay PDF: hãy tải lên tệp gốc."),
    ("does not read", "Định dạng ảnh không đọc được: hãy lưu thành PDF, TIFF hoặc JPEG."),
    ("has no pages", "PDF không có trang nào: hãy tải lên lại tệp gốc."),
    ("damaged", "Tệp bị hỏng hoặc không đầy đủ: hãy tải lên lại tệp gốc hoặc quét lại."),
    ("could not be decoded", "Tệp bị hỏng: hãy tải lên lại tệp gốc hoặc quét lại."),
    ("no such file", "Không tìm thấy tệp: hãy tải lên lại."),
    ("is a folder", "Đây là thư mục, không phải tệp: hãy chọn các tệp ảnh quét."),
    ("permission denied", "Không có quyền đọc tệp: hãy báo cho quản trị hệ thống."),
    ("no longer in the landing zone", "Tệp không còn trong kho tiếp nhận: hãy tải lên lại."),
    ("blank", "Trang trắng."),
    ("blurred", "Trang bị mờ: hãy quét hoặc chụp lại, giữ tài liệu phẳng và rõ nét."),
    ("does not look like a document", "Không phải trang tài liệu (ảnh chụp hoặc hình vẽ)."),
    ("no printed text", "Không đọc được chữ in: nếu trang viết tay, hãy nhập tay khi duyệt."),
    ("rejected by extraction", "Trang bị loại khi xử lý."),
)
UNKNOWN_REJECTION = "Trang bị loại khi xử lý."


def rejection_known(reason: str) -> bool:
    """Whether a pipeline sentence has its own Vietnamese text (not the general one)."""
    low = reason.lower()
    return any(phrase.lower() in low for phrase, _ in REJECTION_REASONS)


def rejection_label(reason: str | None) -> str | None:
    """The Vietnamese line for why a page was rejected; ``None`` for no reason.

    A pipeline sentence gets its catalogue text (the general one when no phrase matches:
    never English). A reason already in Vietnamese (a reviewer's words, or the web app's
    own) is shown as written.
    """
    if not reason:
        return None
    low = reason.lower()
    for phrase, text in REJECTION_REASONS:
        if phrase.lower() in low:
            return text
    if _VIETNAMESE_LETTER.search(reason):
        return reason
    return UNKNOWN_REJECTION


def rejections_by_label(counts: Mapping[str, int]) -> dict[str, int]:
    """Pages per rejection reason, the pipeline's sentences merged under their Vietnamese
    line (two sizes of "too small" are one reason to a manager)."""
    out: dict[str, int] = {}
    for reason, n in counts.items():
        label = rejection_label(reason) or UNKNOWN_REJECTION
        out[label] = out.get(label, 0) + n
    return out


_VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I
)


# --- the review's audit trail ----------------------------------------------------------

ACTION_LABELS = {
    "correct": "sửa",
    "enter": "nhập tay",
    "confirm": "xác nhận",
    "reject": "từ chối",
    "override": "vẫn nạp dù có cảnh báo",
    "key": "nhập (hai lần)",
    "arbitrate": "phân xử",
}
_RECORD_NOTE = re.compile(r"^record (\d+)$")


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def history_note(action: str, note: str | None) -> str:
    """A note of the audit trail as a clerk reads it: the loader's "record 3" becomes
    "đã nạp thành bản ghi số 3", an override names its rule in Vietnamese; a person's
    note (a rejection reason) stays as written."""
    if not note:
        return ""
    m = _RECORD_NOTE.match(note.strip())
    if m:
        return f"đã nạp thành bản ghi số {m.group(1)}"
    if action == "override" and ": " in note:  # "<rule>: <the reason given>"
        rule, reason = note.split(": ", 1)
        return f"{rule_label(rule)} — lý do: {reason}"
    if action == "key" and note.startswith("keying "):  # double keying: "keying 2"
        return f"lần nhập thứ {note.removeprefix('keying ')}"
    if action == "arbitrate":  # "1: <first keying's value> | 2: <second's>"
        return note.replace("1: ", "lần 1: ", 1).replace(" | 2: ", " · lần 2: ", 1)
    return note
