"""JSON text that is always valid UTF-8, whatever the file names in it.

A file name that is not valid UTF-8 reaches Python as a string with lone surrogates
(``os.fsdecode``'s ``surrogateescape``: the byte 0xFF becomes U+DCFF). Such a string
cannot be written as UTF-8, nor stored by PostgreSQL or SQLite. :func:`printable` shows
each such byte as the four characters ``\\xff`` instead, the way ``ls -b`` does: the name
stays recognisable, and JSON Lines written with :func:`json_text` are read by any JSON
reader (``sohoa load`` included).
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with each undecodable byte of a file name written as ``\\xNN``."""
    return _SURROGATE.sub(_escape, text) if _SURROGATE.search(text) else text


def json_text(doc: Any, **options: Any) -> str:
    """``json.dumps(doc, ensure_ascii=False)`` that can always be encoded as UTF-8.

    A lone surrogate can only stand inside a JSON string, where the escape written in
    its place reads back as a backslash followed by text (the escape is itself escaped).
    """
    text = json.dumps(doc, ensure_ascii=False, **options)
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: _escape(m).replace("\\", "\\\\"), text)
