"""JSON text for names that are not UTF-8."""

from __future__ import annotations

import json
import os

import msgspec

from ocr.jsontext import json_text, printable


def test_undecodable_bytes_are_shown_as_escapes_and_the_rest_is_kept():
    name = os.fsdecode(b"Nguy\xe1n-Thu\xe1\xbb\xb7-\xff.png")  # one bad byte, one good UTF-8
    assert printable(name) == "Nguy\\xe1n-Thuỷ-\\xff.png"
    assert printable("Thuỷ") == "Thuỷ"


def test_json_text_is_utf8_that_strict_readers_read_back_as_the_printable_name():
    doc = {"uri": os.fsdecode(b"/scans/\xfe\xff.pdf"), "note": "HOÀ", "odd": "\ud800"}
    text = json_text(doc)
    data = text.encode("utf-8")  # strict
    expected = {"uri": "/scans/\\xfe\\xff.pdf", "note": "HOÀ", "odd": "\\ud800"}
    assert json.loads(data) == expected
    assert msgspec.json.decode(data) == expected
    assert json_text({"a": "plain"}) == json.dumps({"a": "plain"}, ensure_ascii=False)
