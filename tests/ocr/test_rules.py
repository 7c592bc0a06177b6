"""One enumeration of rule names: every rule the reader, the suites and the loader name."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from ocr.rules import GATE_RULES, LOADER_RULES, READER_RULES, Rule

REPO = Path(__file__).resolve().parents[2]


def _rule_literals(path: Path) -> set[str]:
    """Rule names written as literals: ``Issue(rule=...)``, ``add(field, rule, ...)``,
    ``_issue(field, rule, ...)`` and ``{"rule": ...}``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            given = {k.arg: k.value for k in node.keywords}
            if name == "Issue" and node.args:
                given.setdefault("rule", node.args[0])
            if name in ("add", "_issue") and len(node.args) >= 2:
                given.setdefault("rule", node.args[1])
            if name in ("Issue", "add", "_issue") and isinstance(given.get("rule"), ast.Constant):
                found.add(given["rule"].value)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                is_rule = isinstance(key, ast.Constant) and key.value == "rule"
                if is_rule and isinstance(value, ast.Constant):
                    found.add(value.value)
    return found


def test_every_rule_named_in_the_code_is_in_the_enumeration():
    sources = [*REPO.glob("ocr/*.py"), *REPO.glob("plugins/sohoa/**/*.py")]
    named = set().union(*map(_rule_literals, sources))
    assert named, "the scan found no rule names at all"
    assert named - set(Rule) == set()


def test_the_suites_name_only_value_rules():
    named = {
        e["meta"]["rule"]
        for path in (REPO / "schemas" / "expectations").glob("*.json")
        for e in json.loads(path.read_text())["expectations"]
    }
    assert named and named <= GATE_RULES


def test_every_rule_has_a_stage_and_members_are_their_strings():
    assert set(Rule) == READER_RULES | GATE_RULES | LOADER_RULES
    assert not LOADER_RULES & (READER_RULES | GATE_RULES)
    assert Rule.REQUIRED_MISSING == "required_missing"
    assert json.dumps({"rule": Rule.LOW_CONFIDENCE}) == '{"rule": "low_confidence"}'
