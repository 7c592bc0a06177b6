"""The JSON Schemas of the extracted record (``schemas/json/<doc_type>.schema.json``).

The shape contract between ``sohoa extract`` and everything after it: which fields a
doc type may carry and the type of each value. Rules between values are the gate's.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from sohoa.db.tables import DOC_TYPES
from sohoa.settings import get_settings


def schemas_dir() -> Path:
    return get_settings().json_schemas_dir


@cache
def validator(doc_type: str):
    from jsonschema import Draft202012Validator

    schema = json.loads((schemas_dir() / f"{doc_type}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def record_errors(record: dict[str, Any]) -> list[str]:
    """Readable reasons why ``record`` breaks its doc type's schema; empty when it fits."""
    doc_type = record.get("doc_type") if isinstance(record, dict) else None
    if doc_type not in DOC_TYPES:
        return [f"doc_type must be one of {', '.join(DOC_TYPES)}, got {doc_type!r}"]
    errors = sorted(validator(doc_type).iter_errors(record), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '(record)'}: {e.message}" for e in errors]
