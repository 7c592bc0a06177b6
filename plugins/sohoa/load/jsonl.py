"""Reading extracted records (docs/record.md) from JSON Lines, as ``sohoa extract`` prints."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import msgspec

from ocr.errors import InputFileError


def read_records(path: str | Path) -> tuple[list[dict[str, Any]], str]:
    """(records, sha256 of the input bytes); ``-`` reads standard input."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    records: list[dict[str, Any]] = []
    decoder = msgspec.json.Decoder()
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = decoder.decode(line)
        except msgspec.DecodeError as exc:
            raise InputFileError(f"{path}:{number}: not a JSON object: {exc}") from exc
        if not isinstance(rec, dict):
            raise InputFileError(f"{path}:{number}: not a JSON object")
        records.append(rec)
    return records, hashlib.sha256(data).hexdigest()
