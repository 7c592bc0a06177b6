"""The document-type registry: its entries agree with one another, with the record's JSON
Schemas and with the form layout, and nothing else lists the types."""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import pytest

from ocr import doctypes, labels

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = list(doctypes.REGISTRY.values())
# The form layout is per type by nature: the printed labels of each type.
LAYOUT = {"ocr/doctypes.py", "ocr/labels.py"}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda t: t.name)
def test_entry_is_consistent(entry: doctypes.DocType) -> None:
    fields = set(entry.fields)
    assert len(fields) == len(entry.fields), "a field listed twice"
    assert set(entry.required) <= fields
    assert set(entry.export) <= fields | set(doctypes.TYPED_COLUMNS)
    assert set(entry.typed) <= set(doctypes.TYPED_COLUMNS)
    assert set(entry.typed.values()) <= fields
    assert {"registration_number", "registration_date", "registration_place"} <= set(entry.typed)
    assert entry.roles, "a record is about someone"
    assert all(role.name in fields for role in entry.roles)
    assert entry.vi and entry.vi_book and entry.vi_report and entry.en
    assert entry.name != doctypes.UNKNOWN


def test_names_and_orders_are_distinct() -> None:
    names = doctypes.names()
    assert len(set(names)) == len(names) == len(ENTRIES)
    assert set(doctypes.civil_names()) <= set(names)
    assert set(doctypes.certificate_names()) <= set(names)
    assert doctypes.record_names() == (*names, doctypes.UNKNOWN)
    assert len({t.life_order for t in ENTRIES}) == len(ENTRIES)
    assert len({t.vi for t in ENTRIES}) == len(ENTRIES)
    assert doctypes.get("birth").name == "birth"
    assert doctypes.find(doctypes.UNKNOWN) is None and doctypes.find(None) is None


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda t: t.name)
def test_fields_are_the_json_schemas(entry: doctypes.DocType) -> None:
    schema = json.loads((ROOT / "schemas/json" / f"{entry.name}.schema.json").read_text())
    assert tuple(schema["properties"]["fields"]["properties"]) == entry.fields


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda t: t.name)
def test_every_type_has_its_form_layout(entry: doctypes.DocType) -> None:
    assert entry.name in labels.FIELDS
    from sohoa.samples import documents

    assert callable(getattr(documents, entry.name))


def test_number_field_falls_back_to_the_registration() -> None:
    assert doctypes.number_field("dossier_result") == "result_number"
    assert doctypes.number_field("birth") == "registration_number"
    assert doctypes.number_field(doctypes.UNKNOWN) == "registration_number"
    assert doctypes.number_field(None) == "registration_number"


def _spelled_lists(tree: ast.AST) -> list[int]:
    """Lines of literals that list the types: a tuple, list or set of three or more type
    names, or a dict keyed by every type."""
    names = set(doctypes.names())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
            need = 3
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
            need = len(names)
        else:
            continue
        named = {i.value for i in items if isinstance(i, ast.Constant) and i.value in names}
        if len(named) >= need:
            found.append(node.lineno)
    return found


def test_no_module_outside_the_registry_lists_the_types() -> None:
    offenders = []
    for top in ("ocr", "plugins", "dags"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in LAYOUT:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            offenders += [f"{rel}:{line}" for line in _spelled_lists(tree)]
    assert not offenders, "derive these from ocr.doctypes: " + ", ".join(offenders)


def _book_type_choices(parser: argparse.ArgumentParser, path: str = "") -> dict[str, tuple]:
    """Every ``--book-type``/``--type`` choice list of the CLI, by subcommand path."""
    out: dict[str, tuple] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out |= _book_type_choices(sub, f"{path} {name}".strip())
        elif action.dest in ("book_type", "doc_type") and action.choices is not None:
            out[path] = tuple(action.choices)
    return out


def test_command_choices_are_the_registry() -> None:
    from sohoa.cli import build_parser

    choices = _book_type_choices(build_parser())
    assert {"extract", "load", "upload", "export book", "review enter"} <= set(choices)
    assert all(c == doctypes.names() for c in choices.values()), choices
