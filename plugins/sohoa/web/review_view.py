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
from ocr.rules import fact_of
from ocr.text import fold
from sohoa.db.tables import BOOK_TYPES
from sohoa.labels import DOC_TYPE_LABELS, field_label, reasons_summary, rule_label
from sohoa.review.entry_layout import (
    BLOCKS,
    Input,
    block_of,
    field_order,
    generation_of,
    input_kind,
    other_block,
)
from sohoa.review.queue import ReviewItem

# Why the reader is unsure of a value (the ``reason`` of a field's ``status``, issue 14's
# acceptance by agreement); an unknown code reads "Máy chưa đọc chắc chắn".
STATUS_REASONS = {
    "readers_disagree": "Hai lần đọc khác nhau",
    "list_chose_between_readings": "Hai lần đọc khác nhau; đang hiện giá trị có trong danh mục",
    "one_reading": "Chỉ đọc được một lần",
    "doubtful_reading": "Hai lần đọc khớp nhau nhưng đều chưa chắc chắn",
    "lists_know_it_otherwise": "Hai lần đọc khớp nhau nhưng danh mục ghi khác",
    "failed_check": "Không qua kiểm tra",
}

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


def field_order_of(doc_type: str, item: ReviewItem) -> list[str]:
    """The fields of ``doc_type`` in the order of the form of the item's book's year."""
    year = int(item.book["year"]) if item.book else None
    return field_order(doc_type, generation_of(year), field_names(doc_type))


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
    status: str | None = None  # the reader's "sure" | "check"; None on older records
    status_reason: str = ""  # why, as the reader says it (a code)

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
        unsure = self.status == "check" or (self.status is None and self.low)
        return bool(self.reasons) or unsure or (self.required and not self.value)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin or "", self.origin or "")

    @property
    def to_check(self) -> bool:
        """Shown open on the review page; the others are folded away.

        A field to check: the reader says so, a check of the record fails on it, or a
        person set it (what they did stays in view). A record without per-field status
        (read before the readers said it) falls back on its issues and a confidence under
        the acceptance threshold, as the reader decided then."""
        if self.settled or self.checks or self.reasons:
            return True
        if self.status is not None:
            return self.status != "sure"
        return self.low or (self.required and not self.value)

    @property
    def status_label(self) -> str:
        """Why the reader is unsure of the value, in Vietnamese (empty when it is sure)."""
        if self.status != "check":
            return ""
        return STATUS_REASONS.get(self.status_reason, "Máy chưa đọc chắc chắn")

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
    book_id: int | None = None
    rotation: int = 0  # clockwise degrees that make the scanned page upright
    file_name: str = ""

    def page_turn(self, width: int, height: int) -> tuple[str, int, int]:
        """How the page is drawn upright (see :func:`page_transform`)."""
        return page_transform(width, height, self.rotation)

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
    def to_check(self) -> list[FieldView]:
        return [f for f in self.fields if f.to_check]

    @property
    def sure(self) -> list[FieldView]:
        """Fields the reader is sure of and nothing objects to: folded on the page."""
        return [f for f in self.fields if not f.to_check]

    @property
    def pending(self) -> bool:
        return self.state == "pending"


@dataclass(frozen=True)
class KeyingState:
    """A page of a book typed twice, as one person sees it (``double`` False: typed once)."""

    double: bool
    made: int = 0  # keyings made (0, 1 or 2)
    mine: bool = False  # this person made one of them
    may_arbitrate: bool = False  # a reviewer who keyed neither

    @property
    def stage(self) -> str:
        return ("first", "second", "arbitrate")[min(self.made, 2)]

    @property
    def can_key(self) -> bool:
        return self.double and self.made < 2 and not self.mine

    @property
    def actionable(self) -> bool:
        """Something this person can do now on the page."""
        return not self.double or self.can_key or (self.made >= 2 and self.may_arbitrate)

    @property
    def label(self) -> str:
        if not self.double:
            return ""
        if self.made >= 2:
            return "Nhập hai lần: chờ phân xử"
        return f"Nhập hai lần: đã nhập {self.made}/2"


def without_keyed_values(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history of a page being keyed twice: one line per keying, without its values
    (neither keyer may see the other's)."""
    out, seen = [], set()
    for a in actions:
        if a.get("action") != "key":
            out.append(a)
        elif a.get("note") not in seen:
            seen.add(a.get("note"))
            out.append({**a, "field": None, "old_value": None, "new_value": None})
    return out


@dataclass(frozen=True)
class ListRow:
    id: int
    doc_label: str
    unit_code: str | None
    book_label: str
    page: int
    summary: str  # the rules that failed, by name: no values, so no personal data
    keying: str = ""  # a book typed twice: how far its keying is
    file_name: str = ""


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


def list_row(item: ReviewItem, keyings: int | None = None) -> ListRow:
    """``keyings``: made so far when the item's book is typed twice."""
    return ListRow(
        item.id,
        doc_type_label(item.doc_type),
        item.book["unit"] if item.book else None,
        book_label(item.book),
        item.page,
        reason_summary(item),
        KeyingState(True, keyings).label if keyings is not None else "",
        file_name(item.scan_uri),
    )


@dataclass(frozen=True)
class Progress:
    """Where a page stands in the queue a person works through: "3 / 17"."""

    position: int | None  # None: the page is not in the (filtered) queue
    total: int
    previous: int | None
    next: int | None

    @property
    def text(self) -> str:
        return f"{self.position if self.position else '—'} / {self.total}"


@dataclass(frozen=True)
class QueueCounts:
    total: int
    by_reason: list[tuple[str, str, int]]  # (rule, label, pages)
    by_book: list[tuple[int, str, int]]  # (book id, label, pages)


def queue_counts(items: list[ReviewItem]) -> QueueCounts:
    """How many pages wait, per reason and per book (a page counts once per reason)."""
    reasons: dict[str, int] = {}
    books: dict[int, tuple[str, int]] = {}
    for item in items:
        for rule in {r.get("rule") or "" for r in item.reasons}:
            reasons[rule] = reasons.get(rule, 0) + 1
        if item.book_id is not None:
            label, n = books.get(
                item.book_id, (f"{item.book['unit']} · {book_label(item.book)}", 0)
            )
            books[item.book_id] = (label, n + 1)
    return QueueCounts(
        len(items),
        sorted(((r, rule_label(r), n) for r, n in reasons.items() if r), key=lambda t: -t[2]),
        sorted(((b, label, n) for b, (label, n) in books.items()), key=lambda t: t[1]),
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
        page_reasons=_once_per_rule(r for r in reasons if r.field not in shown),
        actions=item.actions,
        checks=checks,
        book_id=item.book_id,
        rotation=upright_rotation(item.quality),
        file_name=file_name(item.scan_uri),
    )


def upright_rotation(quality: dict[str, Any] | None) -> int:
    """The quarter turn (clockwise degrees) the reader applied to read the page upright."""
    turn = (quality or {}).get("rotation")
    return int(turn) % 360 if isinstance(turn, int | float) and int(turn) % 90 == 0 else 0


def file_name(uri: str) -> str:
    """The scan's file name as uploaded: the last part of its landing-zone key."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def page_transform(width: int, height: int, rotation: int) -> tuple[str, int, int]:
    """(SVG transform, width, height) drawing a ``width`` x ``height`` page turned
    ``rotation`` degrees clockwise, in the positive quadrant."""
    return {
        0: ("", width, height),
        90: (f"translate({height} 0) rotate(90)", height, width),
        180: (f"translate({width} {height}) rotate(180)", width, height),
        270: (f"translate(0 {width}) rotate(270)", height, width),
    }[rotation % 360]


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
        status=f.get("status") if f.get("status") in ("sure", "check") else None,
        status_reason=str(f.get("reason") or ""),
    )


def _once_per_rule(reasons) -> list[Reason]:
    """A fault reported twice for one field (by the reader and by the gate, or under two
    names in an item stored before the loader merged them) shows once."""
    seen: dict[tuple[str | None, str], Reason] = {}
    for r in reasons:
        seen.setdefault((r.field, fact_of(r.rule)), r)
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
    """The manual-entry form of one doc type: its inputs in the order of the paper form of
    its generation, what was typed, what was wrong, and the book's defaults."""

    doc_type: str
    fields: list[tuple[str, str, bool]]  # (name, label, required), in the form's order
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)  # field (or "record") -> text
    warning_checks: list[CheckView] = field(default_factory=list)  # the same, for ticking
    overridden: set[str] = field(default_factory=set)  # warnings ticked "the page says so"
    override_reason: str = ""
    generation: str = "new"
    inputs: list[Input] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # field -> the book's default

    def add_checks(self, findings) -> None:
        """The checks of the typed record, beside their inputs."""
        for c in check_views(findings):
            target = self.errors if c.severity == "error" else self.warnings
            if c.key not in target and c.severity == "warning":
                self.warning_checks.append(c)
            target.setdefault(c.key, c.text)

    def copy_source(self, name: str) -> str | None:
        """The input a residence can be copied from: the other parent's (or spouse's)."""
        block = block_of(self.doc_type, name)
        other = other_block(self.doc_type, block) if block else None
        if other is None or not name.endswith("residence"):
            return None
        return other + name[len(block) :]

    def unused_defaults(self, values: dict[str, str]) -> set[str]:
        """Fields of a parent (or spouse) left without a name that hold only the book's
        default: the page has no such person, so nothing of theirs is kept."""
        out = set()
        for block in BLOCKS.get(self.doc_type, ()):
            named = any(values.get(block + n) for n in ("name", "full_name"))
            if not named:
                out |= {n for n, d in self.defaults.items() if n.startswith(block)}
        return {n for n in out if values.get(n) == self.defaults[n]}


def manual_form(
    doc_type: str,
    values: dict[str, str] | None = None,
    *,
    generation: str = "new",
    defaults: dict[str, str] | None = None,
    fill: bool = False,
) -> ManualForm:
    """The form of ``doc_type`` for ``generation``; ``fill``: empty inputs start with the
    book's ``defaults`` (a form being shown again keeps what was typed, blanks included)."""
    required = set(REQUIRED.get(doc_type, ()))
    names = field_order(doc_type, generation, field_names(doc_type))
    inputs = [
        Input(n, field_label(n), n in required, input_kind(n), block_of(doc_type, n)) for n in names
    ]
    defaults = {n: v for n, v in (defaults or {}).items() if n in names}
    shown = dict(values or {})
    if fill:
        shown = {**defaults, **{k: v for k, v in shown.items() if v}}
    return ManualForm(
        doc_type,
        [(i.name, i.label, i.required) for i in inputs],
        shown,
        generation=generation,
        inputs=inputs,
        defaults=defaults,
    )


def typed_values(item: ReviewItem) -> dict[str, str]:
    """What the machine read, as starting values for typing the record in."""
    shown = {
        n: shown_value(n, f["value"])
        for n, f in item.fields.items()
        if f.get("value") not in (None, "")
    }
    return {n: shown_date(v) if is_date_field(n) else v for n, v in shown.items()}


# --- what people type ---------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{2})(\d{2})(\d{4})$")
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
    dates as written in Vietnam, day first (04/03/2019, 4-3-2019, 04032019), in ISO."""
    text = (raw or "").strip()
    if is_sex_field(name):
        return _SEX_IN.get(fold(text).lower(), text)
    if is_date_field(name):
        m = _DMY.match(text)
        if m:
            day, month, year = (g for g in m.groups() if g is not None)
            return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def shown_date(value: str) -> str:
    """An ISO date as a clerk writes it (2019-03-04 -> 04/03/2019); other text as it is."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else value
