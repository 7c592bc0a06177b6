"""One enumeration of rule names: every rule the reader, the suites and the loader name."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import get_args

from ocr.record import Status
from ocr.rules import (
    GATE_RULES,
    LOADER_RULES,
    OWNER,
    READER_RULES,
    RETIRED_RULES,
    SAME_FACT,
    SUITE_RULES,
    Rule,
    fact_of,
)

REPO = Path(__file__).resolve().parents[2]


def _members_named(path: Path) -> set[str]:
    """The ``X`` of every ``Rule.X`` in a module."""
    return {
        node.attr
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Rule"
    }


def test_every_rule_named_in_the_code_is_in_the_enumeration():
    """A misspelt member fails only when its line runs: read them all here."""
    sources = [*REPO.glob("ocr/*.py"), *REPO.glob("plugins/sohoa/**/*.py")]
    named = set().union(*map(_members_named, sources))
    assert len(named) > 20, "the scan found hardly any rule names"
    assert named - set(Rule.__members__) == set()


def test_the_suites_name_only_value_rules():
    named = {
        e["meta"]["rule"]
        for path in (REPO / "schemas" / "expectations").glob("*.json")
        for e in json.loads(path.read_text())["expectations"]
    }
    assert named and named <= SUITE_RULES
    assert {Rule.LOW_CONFIDENCE} == SUITE_RULES - GATE_RULES


def test_every_rule_has_a_stage_and_members_are_their_strings():
    assert set(OWNER) == set(Rule)  # one owner each
    assert set(Rule) == READER_RULES | GATE_RULES | LOADER_RULES | RETIRED_RULES
    assert Rule.REQUIRED_MISSING == "required_missing"
    assert json.dumps({"rule": Rule.LOW_CONFIDENCE}) == '{"rule": "low_confidence"}'


def _rule_strings(path: Path) -> list[str]:
    """``path:line`` of each string literal spelled like a rule name. A record's status
    ``needs_review`` shares a rule's spelling: on a line about a status it is the status."""
    rules = {r.value for r in Rule}
    statuses = set(get_args(Status))
    lines = path.read_text().splitlines()
    return [
        f"{path.relative_to(REPO)}:{node.lineno}: {node.value}"
        for node in ast.walk(ast.parse("\n".join(lines)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if node.value in rules
        if not (node.value in statuses and "status" in lines[node.lineno - 1].lower())
    ]


def test_the_code_names_rules_by_their_members_only():
    """No rule name is spelled out as a string outside :mod:`ocr.rules`: a misspelt
    ``Rule.X`` fails at import, a misspelt string passes silently."""
    roots = ("ocr", "plugins", "dags", "scripts", "bench")
    sources = [p for root in roots for p in sorted((REPO / root).rglob("*.py"))]
    assert REPO / "ocr" / "rules.py" in sources
    spelled = [hit for p in sources if p != REPO / "ocr" / "rules.py" for hit in _rule_strings(p)]
    assert spelled == []


def test_each_fact_has_one_name_standing_for_it():
    assert set(SAME_FACT) <= set(Rule) and set(SAME_FACT.values()) <= set(Rule)
    assert not set(SAME_FACT.values()) & set(SAME_FACT)  # a name stands, or is stood for
    assert fact_of("required") == fact_of("required_missing") == Rule.REQUIRED_MISSING
    assert fact_of("parent_age") == "parent_age"


def test_the_documented_owner_of_each_rule_is_its_owner():
    text = (REPO / "docs" / "checks.md").read_text()
    table = text.split("### Rule by rule", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    documented = {rule.strip().strip("`"): owner.strip() for rule, owner in rows}
    assert documented == {rule.value: stage.value for rule, stage in OWNER.items()}
