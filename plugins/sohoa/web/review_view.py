"""What the review pages show of a review item: per field its value, confidence, failed
rules, box on the page and who last set it; in Vietnamese, in the order the form prints.

Kept apart from the routes so the pages stay plain templates and this logic is tested
without a web server. The rule messages of the checks are English (they are also read
by engineers in logs and the CLI); the pages show the Vietnamese names of rules and
fields from the one catalogue, :mod:`sohoa.labels`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ocr.checks import REQUIRED
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.text import fold
from sohoa.db.tables import BOOK_TYPES
from sohoa.labels import DOC_TYPE_LABELS, field_label, reasons_summary, rule_label
from sohoa.review.queue import ReviewItem

ORIGIN_LABELS = {
    "auto_accepted": "máy đọc",
    "corrected": "đã sửa",
    "typed": "nhập tay",
    "confirmed": "đã xác nhận",
}


def doc_type_label(doc_type: str | None) -> str:
    return DOC_TYPE_LABELS.get(doc_type or "unknown", doc_type or "")


def field_names(doc_type: str) -> list[str]:
    """The fields a record of ``doc_type`` may have, in the order of its JSON Schema
    (the order the form prints them); empty for an unknown page."""
    if doc_type not in BOOK_TYPES:
        return []
    from sohoa.gate.contracts import validator

    return list(validator(doc_type).schema["properties"]["fields"]["properties"])


@dataclass(frozen=True)
class CheckView:
    """A failed check of the record as it would load, in Vietnamese: an error blocks,
    a warning may be overridden with a reason."""

    field: str | None
    rule: str
    text: str
    severity: str  # "error" or "warning"

    @property
    def field_label(self) -> str:
        return field_label(self.field) if self.field else "Cả hồ sơ"

    @property
    def key(self) -> str:
        """What an override names: the field, or ``record`` for the whole record."""
        return self.field or "record"


def check_views(findings) -> list[CheckView]:
    """:class:`sohoa.review.checks.Finding` s as the pages show them, errors first."""
    return [CheckView(f.field, f.rule, rule_label(f.rule), f.severity) for f in findings]


@dataclass(frozen=True)
class Reason:
    field: str | None
    rule: str
    label: str
    message: str


@dataclass
class FieldView:
    name: str
    label: str
    value: str  # as shown in the input ("" when absent)
    confidence: float | None
    bbox: tuple[int, int, int, int] | None
    origin: str | None
    by: str | None
    required: bool
    reasons: list[Reason] = field(default_factory=list)
    stored: str = ""  # the saved value, when ``value`` shows a refused input
    checks: list[CheckView] = field(default_factory=list)  # of the record as it would load

    def __post_init__(self) -> None:
        self.stored = self.stored or self.value

    @property
    def confidence_text(self) -> str:
        return "" if self.confidence is None else f"{self.confidence * 100:.0f}%"

    @property
    def low(self) -> bool:
        """Read with too little confidence to pass without a look."""
        return self.confidence is not None and self.confidence < AUTO_ACCEPT_CONFIDENCE

    @property
    def settled(self) -> bool:
        """A person has set this value since the checks ran: their reasons are answered."""
        return self.origin in ("corrected", "typed")

    @property
    def flagged(self) -> bool:
        if self.settled:
            return False
        return bool(self.reasons) or self.low or (self.required and not self.value)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin or "", self.origin or "")

    @property
    def severity(self) -> str | None:
        """The worst failed check of the value as it would load ("error", "warning")."""
        kinds = {c.severity for c in self.checks}
        return "error" if "error" in kinds else "warning" if kinds else None


@dataclass
class ItemView:
    id: int
    state: str
    doc_type: str
    doc_label: str
    unit_code: str | None
    book_label: str
    page: int
    fields: list[FieldView]
    page_reasons: list[Reason]  # reasons about the whole page, not one field
    actions: list[dict[str, Any]]
    checks: list[CheckView] = field(default_factory=list)

    @property
    def errors(self) -> list[CheckView]:
        return [c for c in self.checks if c.severity == "error"]

    @property
    def warnings(self) -> list[CheckView]:
        return [c for c in self.checks if c.severity == "warning"]

    @property
    def record_checks(self) -> list[CheckView]:
        """Checks about no one field shown on the form."""
        shown = {f.name for f in self.fields}
        return [c for c in self.checks if c.field not in shown]

    @property
    def boxes(self) -> list[FieldView]:
        return [f for f in self.fields if f.bbox]

    @property
    def pending(self) -> bool:
        return self.state == "pending"


@dataclass(frozen=True)
class ListRow:
    id: int
    doc_label: str
    unit_code: str | None
    book_label: str
    page: int
    summary: str  # the rules that failed, by name: no values, so no personal data


def book_label(book: dict[str, Any] | None) -> str:
    if not book:
        return "—"
    return f"{doc_type_label(book['type'])} {book['year']}, quyển {book['volume']}"


def reasons_of(item: ReviewItem) -> list[Reason]:
    out = []
    for r in item.reasons:
        rule = r.get("rule") or ""
        out.append(Reason(r.get("field"), rule, rule_label(rule), r.get("message") or ""))
    return out


def reason_summary(item: ReviewItem) -> str:
    """One line for the list: each failed rule once, with its field when it has one."""
    return reasons_summary(item.reasons)


def list_row(item: ReviewItem) -> ListRow:
    return ListRow(
        item.id,
        doc_type_label(item.doc_type),
        item.book["unit"] if item.book else None,
        book_label(item.book),
        item.page,
        reason_summary(item),
    )


def item_view(item: ReviewItem, findings=()) -> ItemView:
    """Every field of the item's type (absent ones empty, so they can be filled in), then
    any field the item holds beyond them; reasons and ``findings`` (the checks of the
    working copy, :mod:`sohoa.review.checks`) go with their field."""
    reasons = reasons_of(item)
    names = field_names(item.doc_type)
    names += [n for n in item.fields if n not in names]
    required = set(REQUIRED.get(item.doc_type, ()))
    views = [_field_view(n, item.fields.get(n, {}), n in required, reasons) for n in names]
    checks = check_views(findings)
    for v in views:
        v.checks = [c for c in checks if c.field == v.name]
    shown = set(names)
    return ItemView(
        id=item.id,
        state=item.state,
        doc_type=item.doc_type,
        doc_label=doc_type_label(item.doc_type),
        unit_code=item.book["unit"] if item.book else None,
        book_label=book_label(item.book),
        page=item.page,
        fields=views,
        page_reasons=[r for r in reasons if r.field not in shown],
        actions=item.actions,
        checks=checks,
    )


def _field_view(name: str, f: dict[str, Any], required: bool, reasons: list[Reason]) -> FieldView:
    value = f.get("value")
    bbox = f.get("bbox")
    confidence = f.get("confidence")
    return FieldView(
        name=name,
        label=field_label(name),
        value=shown_value(name, value),
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
        bbox=tuple(int(v) for v in bbox) if _is_box(bbox) else None,
        origin=f.get("origin"),
        by=f.get("by"),
        required=required,
        reasons=_once_per_rule(r for r in reasons if r.field == name),
    )


def _once_per_rule(reasons) -> list[Reason]:
    """A rule reported twice for one field (by the reader and by the gate) shows once."""
    seen: dict[str, Reason] = {}
    for r in reasons:
        seen.setdefault(r.rule, r)
    return list(seen.values())


def _is_box(bbox: Any) -> bool:
    return (
        isinstance(bbox, list | tuple)
        and len(bbox) == 4
        and all(isinstance(v, int | float) for v in bbox)
        and bbox[2] > 0
        and bbox[3] > 0
    )


@dataclass
class ManualForm:
    """The manual-entry form of one doc type: its fields, what was typed, what was wrong."""

    doc_type: str
    fields: list[tuple[str, str, bool]]  # (name, label, required)
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)  # field (or "record") -> text
    warning_checks: list[CheckView] = field(default_factory=list)  # the same, for ticking
    overridden: set[str] = field(default_factory=set)  # warnings ticked "the page says so"
    override_reason: str = ""

    def add_checks(self, findings) -> None:
        """The checks of the typed record, beside their inputs."""
        for c in check_views(findings):
            target = self.errors if c.severity == "error" else self.warnings
            if c.key not in target and c.severity == "warning":
                self.warning_checks.append(c)
            target.setdefault(c.key, c.text)


def manual_form(doc_type: str, values: dict[str, str] | None = None) -> ManualForm:
    required = set(REQUIRED.get(doc_type, ()))
    return ManualForm(
        doc_type,
        [(n, field_label(n), n in required) for n in field_names(doc_type)],
        dict(values or {}),
    )


def typed_values(item: ReviewItem) -> dict[str, str]:
    """What the machine read, as starting values for typing the record in."""
    return {
        n: shown_value(n, f["value"])
        for n, f in item.fields.items()
        if f.get("value") not in (None, "")
    }


# --- what people type ---------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_SEX_IN = {"nam": "male", "male": "male", "nu": "female", "female": "female"}
SEX_OUT = {"male": "Nam", "female": "Nữ"}


def is_date_field(name: str) -> bool:
    return name.endswith("date") or "date_of" in name  # as sohoa.review.queue decides


def is_sex_field(name: str) -> bool:
    return name == "sex" or name.endswith("_sex")


def shown_value(name: str, value: Any) -> str:
    """A stored value as a clerk reads it in the input ("Nam", not "male")."""
    if value is None:
        return ""
    if is_sex_field(name):
        return SEX_OUT.get(str(value), str(value))
    return str(value)


def from_input(name: str, raw: str) -> str:
    """What a clerk typed, in the form the queue expects: "Nam"/"Nữ" for the sex, and
    dates as written in Vietnam (04/03/2019, day first) turned into ISO."""
    text = (raw or "").strip()
    if is_sex_field(name):
        return _SEX_IN.get(fold(text).lower(), text)
    if is_date_field(name):
        m = _DMY.match(text)
        if m:
            return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return text
