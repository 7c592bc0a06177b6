"""What the pages say, in Vietnamese, for the domain's coded errors.

The review queue and the accounts module raise errors with a stable ``code`` and the
parameters of the message (:mod:`sohoa.coded_errors`); their English text is for the CLI
and the logs. Here each code has its Vietnamese template, filled in from the parameters:
field names become their labels on the form, states and document types their Vietnamese
names. The pages never read the English text, so rewording it changes nothing here, and
tests check that every code of every coded error has a text below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sohoa.coded_errors import CodedError
from sohoa.review.queue import ReviewError
from sohoa.web.accounts import AccountError
from sohoa.web.labels import DOC_TYPE_LABELS
from sohoa.web.review_view import field_label, rule_label

REVIEW_TEXTS = {
    "value_required": "{field}: cần nhập giá trị.",
    "year_digits": "{field}: năm gồm bốn chữ số, ví dụ 1987.",
    "not_a_date": (
        "{field}: ngày không có thật hoặc sai dạng; nhập ngày/tháng/năm (04/03/2019) "
        "hoặc năm-tháng-ngày (2019-03-04)."
    ),
    "sex_value": "{field}: nhập Nam hoặc Nữ.",
    "personal_id_digits": "{field}: số định danh gồm 12 chữ số.",
    "unknown_field": "Loại giấy tờ này không có trường {fields}.",
    "doc_type_choice": "Hãy chọn loại giấy tờ.",
    "no_item": "Không tìm thấy hồ sơ cần duyệt này.",
    "item_resolved": "Hồ sơ này đã được xử lý ({state}).",
    "no_book": "Trang này chưa thuộc quyển sổ nào.",
    "type_mismatch": (
        "Giấy tờ “{doc_type}” không thuộc loại sổ “{book_type}” đã khai khi tải lên. "
        "Hãy nhập tay đúng loại hoặc từ chối trang."
    ),
    "number_missing": "Thiếu số đăng ký: hãy nhập trường Số trước khi xác nhận.",
    "number_taken": (
        "Số {number} đã có trong quyển sổ này. Hãy sửa số, hoặc từ chối trang nếu đây là bản trùng."
    ),
    "reason_required": "Hãy ghi lý do từ chối trang.",
    "actor_required": "Mỗi thay đổi cần ghi tên người thực hiện.",
    "no_flag": "Không tìm thấy cảnh báo trùng người này.",
    "flag_resolved": "Cảnh báo trùng người này đã được xử lý ({state}).",
    "value_refused": "{field}: {rule}.",
    "double_entry_book": (
        "Quyển sổ này nhập hai lần: hai người nhập tay từng trang, người duyệt phân xử chỗ "
        "khác nhau; không sửa hay xác nhận trực tiếp được."
    ),
    "already_keyed": "Bạn đã nhập trang này; lần nhập còn lại phải do người khác làm.",
    "keying_done": "Trang này đã được nhập đủ hai lần.",
    "not_arbitrable": "Trang này chưa được nhập đủ hai lần nên chưa phân xử được.",
    "not_double": "Quyển sổ của trang này không nhập hai lần.",
    "arbiter_keyed": "Bạn đã nhập trang này nên không phân xử được; hãy nhờ người duyệt khác.",
    "choice_missing": "Chưa chọn giá trị cho: {fields}.",
    "default_invalid": "{field}: “{value}” không có trong danh mục, không đặt làm mặc định được.",
    "checks_failed": (
        "Hồ sơ chưa được nạp vì có trường sai: {fields}. Xem ghi chú màu đỏ bên cạnh từng trường."
    ),
    "warnings_unanswered": (
        "Hồ sơ chưa được nạp vì còn cảnh báo: {fields}. Hãy sửa, hoặc nếu trang ghi đúng như "
        "vậy thì đánh dấu cảnh báo và ghi lý do để vẫn nạp."
    ),
}

ACCOUNT_TEXTS = {
    "password_short": "Mật khẩu cần ít nhất {min_length} ký tự.",
    "password_spaces": "Mật khẩu không được bắt đầu hoặc kết thúc bằng dấu cách.",
    "username_format": (
        "Tên đăng nhập dài 3–64 ký tự: chữ thường không dấu, chữ số, '.', '_' hoặc '-', "
        "bắt đầu bằng chữ hoặc số."
    ),
    "role_unknown": "Vai trò không hợp lệ.",
    "username_taken": "Tên đăng nhập này đã được dùng cho tài khoản khác.",
    "unit_code": "Mã đơn vị không hợp lệ: {unit}.",
    "admin_units": "Tài khoản quản trị không gắn với đơn vị nào; hãy để trống ô đơn vị.",
    "staff_all_units": "Cán bộ lưu trữ thuộc một đơn vị cụ thể, không thể là tất cả (*).",
    "staff_one_unit": "Cán bộ lưu trữ thuộc đúng một đơn vị.",
    "units_required": (
        "Vai trò này cần ít nhất một đơn vị (mã xã/phường, mã tỉnh, hoặc * cho tất cả)."
    ),
    "no_account": "Không tìm thấy tài khoản này.",
}

TEXTS: dict[type[CodedError], Mapping[str, str]] = {
    ReviewError: REVIEW_TEXTS,
    AccountError: ACCOUNT_TEXTS,
}

STATE_LABELS = {
    "pending": "đang chờ duyệt",
    "confirmed": "đã xác nhận",
    "rejected": "đã từ chối",
    "same_person": "cùng một người",
    "different": "hai người khác nhau",
}


def vietnamese(error: CodedError) -> str:
    """The page's wording of ``error``; its English message when its code has no text
    (tests keep that from happening; an error is never hidden)."""
    texts = next((TEXTS[c] for c in type(error).__mro__ if c in TEXTS), {})
    template = texts.get(error.code)
    if template is None:
        return str(error)
    return template.format(**{k: _shown(k, v) for k, v in error.params.items()})


def _shown(name: str, value: Any) -> Any:
    """A parameter as a clerk reads it: field names as the form labels them, states
    and document types in Vietnamese; anything else as it is."""
    if name == "field":
        return field_label(str(value))
    if name == "fields":
        return ", ".join("Cả hồ sơ" if n == "record" else field_label(str(n)) for n in value)
    if name == "rule":
        return rule_label(str(value))
    if name == "state":
        return STATE_LABELS.get(str(value), str(value))
    if name in ("doc_type", "book_type"):
        return DOC_TYPE_LABELS.get(str(value), str(value))
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value
