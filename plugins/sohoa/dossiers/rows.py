"""Rows of the one-stop system's dossier export (docs/kpis.md), checked one by one.

The export is JSON Lines or CSV with the same columns (``components`` as a JSON string).
Each row is parsed on its own so that one bad row is reported with its line number and
reason and never stops the good ones.

Times: a timestamp without an offset is taken as Vietnam local time (+07:00), the
one-stop system's clock; every timestamp is stored in UTC.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ocr.errors import InputFileError
from ocr.text import nfc

LOCAL_TZ = timezone(timedelta(hours=7), "+07:00")
_CODE_DATE = re.compile(r"-(\d{6})-\d+$")
_TRUE = {"true", "1", "yes", "y", "t", "có", "co"}
_FALSE = {"false", "0", "no", "n", "f", "không", "khong", ""}


@dataclass(frozen=True)
class Component:
    name: str
    file: str | None
    reused: bool


@dataclass(frozen=True)
class DossierRow:
    """One dossier as the export gives it, normalised (UTC times, None for blanks)."""

    dossier_code: str
    unit_code: str
    paper_result_required: bool
    received_at: datetime | None = None
    procedure_code: str | None = None
    procedure_name: str | None = None
    channel: str | None = None
    result_issued_at: datetime | None = None
    result_file: str | None = None
    components: tuple[Component, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    dossier_code: str | None = None


class RowError(ValueError):
    """Why a row cannot be imported; the message is shown to a person."""


def read_rows(path: Path) -> Iterator[tuple[int, DossierRow | BadRow]]:
    """(line number, parsed row or the reason it is bad) for each data row of ``path``."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(path)
    elif suffix in (".jsonl", ".json", ".ndjson"):
        yield from _jsonl_rows(path)
    else:
        raise InputFileError(f"{path}: expected a .jsonl or .csv dossier export")


def _jsonl_rows(path: Path) -> Iterator[tuple[int, DossierRow | BadRow]]:
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield line_no, BadRow(line_no, f"not valid JSON ({exc.msg})")
                continue
            yield line_no, _parse_or_bad(line_no, obj)


def _csv_rows(path: Path) -> Iterator[tuple[int, DossierRow | BadRow]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "dossier_code" not in reader.fieldnames:
            raise InputFileError(f"{path}: the CSV header has no dossier_code column")
        for obj in reader:
            line_no = reader.line_num  # the line the row ends on (1 = header)
            if None in obj:
                yield line_no, BadRow(line_no, "more values than columns", obj.get("dossier_code"))
                continue
            if not any((v or "").strip() for v in obj.values()):
                continue
            yield line_no, _parse_or_bad(line_no, obj)


def _parse_or_bad(line_no: int, obj: Any) -> DossierRow | BadRow:
    code = obj.get("dossier_code") if isinstance(obj, dict) else None
    try:
        return parse_row(obj)
    except RowError as exc:
        return BadRow(line_no, str(exc), code if isinstance(code, str) else None)


def parse_row(obj: Any) -> DossierRow:
    """A checked :class:`DossierRow` from one exported object; raises :class:`RowError`."""
    if not isinstance(obj, dict):
        raise RowError("a row must be a JSON object")
    code = _text(obj, "dossier_code", required=True, max_len=64)
    unit_code = _text(obj, "unit_code", required=True, max_len=32)
    received = _timestamp(obj, "received_at")
    return DossierRow(
        dossier_code=code,
        unit_code=unit_code,
        paper_result_required=_boolean(obj.get("paper_result_required"), "paper_result_required"),
        received_at=received,
        procedure_code=_text(obj, "procedure_code", max_len=64),
        procedure_name=_text(obj, "procedure_name"),
        channel=_text(obj, "channel", max_len=32),
        result_issued_at=_timestamp(obj, "result_issued_at"),
        result_file=_text(obj, "result_file"),
        components=_components(obj.get("components")),
    )


def code_receipt_date(code: str) -> date | None:
    """The receipt date a dossier code carries (``…-YYMMDD-NNNN``, docs/documents.md), if valid."""
    m = _CODE_DATE.search(code)
    if not m:
        return None
    digits = m.group(1)
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    try:  # strptime's %y: 69-99 -> 1900s, 00-68 -> 2000s
        return date(1900 + yy if yy >= 69 else 2000 + yy, mm, dd)
    except ValueError:
        return None


def _text(obj: dict, key: str, *, required: bool = False, max_len: int | None = None) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(f"{key} is missing")
        return None
    if not isinstance(value, str | int):
        raise RowError(f"{key} must be text")
    value = " ".join(nfc(str(value)).split())
    if max_len and len(value) > max_len:
        raise RowError(f"{key} is longer than {max_len} characters")
    return value


def _boolean(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        v = value.strip().lower()
        if v in _TRUE:
            return True
        if v in _FALSE and v:
            return False
    if value is None or value == "":
        raise RowError(f"{key} is missing (true or false)")
    raise RowError(f"{key} must be true or false, got {value!r}")


def _timestamp(obj: dict, key: str) -> datetime | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RowError(f"{key} must be an ISO 8601 timestamp")
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"{key} is not an ISO 8601 timestamp: {value!r}") from None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=LOCAL_TZ)
    if not 2000 <= ts.year <= 2199:
        raise RowError(f"{key} is out of range: {value!r}")
    return ts.astimezone(UTC)


def _components(value: Any) -> tuple[Component, ...]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise RowError("components is not a JSON list") from None
    if not isinstance(value, list):
        raise RowError("components must be a list")
    out = []
    for n, comp in enumerate(value, 1):
        if not isinstance(comp, dict):
            raise RowError(f"component {n} must be an object")
        try:
            name = _text(comp, "name", required=True)
            file = _text(comp, "file")
            reused = _boolean(comp.get("reused", False), "reused")
        except RowError as exc:
            raise RowError(f"component {n}: {exc}") from None
        out.append(Component(name, file, reused))
    return tuple(out)
