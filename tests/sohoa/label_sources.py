"""Every rule name, field name and rejection sentence the code can emit, read from the
source (not from a run), so the catalogue test sees the ones no test reaches.

Rule names are found where issues are built:
- ``Issue(rule="x", ...)`` / ``Issue("x", ...)`` (:class:`ocr.record.Issue`);
- calls of a function or method whose parameter ``rule`` passes the name on (the
  checker's ``self.add(field, "x", ...)``, the loader's ``_issue(field, "x", ...)``);
- dict literals ``{"rule": "x", ...}``;
- the expectation suites' ``meta.rule`` and ``meta.field``.
A rule passed through a variable is followed to the tuples it is unpacked from
(``for field, rule in [("registration_date", "registration_before_birth"), ...]``, also
tuples built by the function the loop calls); a rule read from an issue built elsewhere
(``issue.rule``, ``issue["rule"]``) is passed on. Anything else is reported, so that a new
way of emitting rules is not missed. The web app and the catalogue only show rules and
are not read.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ocr.rules import Rule

REPO = Path(__file__).resolve().parents[2]
CODE = (REPO / "ocr", REPO / "plugins" / "sohoa")
SUITES = REPO / "schemas" / "expectations"
SCHEMAS = REPO / "schemas" / "json"
_REJECTING = ("ocr/loading.py", "ocr/quality.py", "ocr/pipeline.py")


@dataclass
class Found:
    """Names found, each with where (``path:line``)."""

    rules: dict[str, list[str]] = field(default_factory=dict)
    fields: dict[str, list[str]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)  # rule arguments not followed

    def add(self, kind: dict[str, list[str]], name: str, where: str) -> None:
        kind.setdefault(name, []).append(where)


# The web app and the catalogue show rules (they rebuild reasons from stored issues);
# they never make one, so they are not read for emitters.
SHOWING = ("plugins/sohoa/web/", "plugins/sohoa/labels.py")


def sources() -> dict[str, str]:
    """Repository-relative path -> text of every module of the code."""
    return {
        str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
        for root in CODE
        for p in sorted(root.rglob("*.py"))
    }


def _text(node: ast.AST | None) -> str | None:
    """A string constant, or a member of the shared rule enumeration (``Rule.X``) by its
    string."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Rule"
        and node.attr in Rule.__members__
    ):
        return Rule[node.attr].value
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in fn.args.posonlyargs + fn.args.args]


def _rule_passers(trees: dict[str, ast.Module]) -> tuple[dict[str, int], dict[str, int]]:
    """(function or class name -> position of ``rule``, method name -> position after
    self). A class counts when it declares a ``rule`` field (``Issue``, and any record of
    a failed check built the same way)."""
    functions: dict[str, int] = {"Issue": 0}
    methods: dict[str, int] = {}
    for tree in trees.values():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and "rule" in _params(node):
                functions[node.name] = _params(node).index("rule")
            if isinstance(node, ast.ClassDef):
                fields = [
                    item.target.id
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                ]
                if "rule" in fields:
                    functions[node.name] = fields.index("rule")
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and "rule" in _params(item):
                        methods[item.name] = _params(item).index("rule") - 1
    return functions, methods


def _argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    for k in call.keywords:
        if k.arg == keyword:
            return k.value
    return call.args[position] if 0 <= position < len(call.args) else None


def _scopes(tree: ast.Module) -> Iterator[tuple[ast.AST, ast.AST | None]]:
    """Each node with the function around it (None at module level)."""

    def walk(node: ast.AST, fn: ast.AST | None) -> Iterator[tuple[ast.AST, ast.AST | None]]:
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else fn
            yield child, fn
            yield from walk(child, inner)

    yield from walk(tree, None)


_PASSED_ON = ["passed on"]  # a rule taken from an issue already built elsewhere


def _loops(fn: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
    """(target, iterable) of every ``for`` loop and comprehension in ``fn``."""
    for node in ast.walk(fn):
        if isinstance(node, ast.For | ast.comprehension):
            yield node.target, node.iter


def _followed(name: str, fn: ast.AST, module: ast.Module) -> list[str] | None:
    """The strings a variable takes when unpacked in a loop over tuples written in the
    same function, or in the function the loop calls (``for f, rule, m in checks(...)``);
    ``_PASSED_ON`` when the loop re-reads issues built elsewhere (nested targets such as
    ``for (field, rule), message in found.items()``); None when it cannot be followed."""
    defined = {n.name: n for n in module.body if isinstance(n, ast.FunctionDef)}
    for target, iterable in _loops(fn):
        if not isinstance(target, ast.Tuple):
            continue
        names = [e.id if isinstance(e, ast.Name) else None for e in target.elts]
        if name not in names:
            if any(
                isinstance(e, ast.Tuple)
                and name in [x.id for x in e.elts if isinstance(x, ast.Name)]
                for e in target.elts
            ):
                return _PASSED_ON
            continue
        k, width = names.index(name), len(names)
        where = [fn]
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
            where.append(defined.get(iterable.func.id, fn))
        values = [
            _text(t.elts[k])
            for place in where
            for t in ast.walk(place)
            if isinstance(t, ast.Tuple) and len(t.elts) == width and _text(t.elts[k])
        ]
        return values or None
    return None


def emitted(texts: dict[str, str] | None = None) -> Found:
    """Rule and field names the code emits (``texts``: path -> source; the code's own by
    default)."""
    texts = sources() if texts is None else texts
    trees = {path: ast.parse(text) for path, text in texts.items() if not path.startswith(SHOWING)}
    functions, methods = _rule_passers(trees)
    found = Found()
    for path, tree in trees.items():
        for node, fn in _scopes(tree):
            where = f"{path}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if _text(k) == "rule" and _text(v):
                        found.add(found.rules, _text(v), where)
                    if _text(k) == "field" and _text(v):
                        found.add(found.fields, _text(v), where)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Issue":
                rule = _argument(node, 0, "rule")
                name = _argument(node, 2, "field")
            elif isinstance(func, ast.Name) and func.id in functions:
                position = functions[func.id]
                rule = _argument(node, position, "rule")
                name = _argument(node, position - 1, "field") if position else None
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "self"
                and func.attr in methods
            ):
                position = methods[func.attr]
                rule = _argument(node, position, "rule")
                name = _argument(node, position - 1, "field") if position else None
            else:
                continue
            if _text(name):
                found.add(found.fields, _text(name), where)
            if rule is None:
                continue
            followed = (
                _followed(rule.id, fn, tree)
                if isinstance(rule, ast.Name) and fn is not None
                else None
            )
            if _text(rule):
                found.add(found.rules, _text(rule), where)
            elif isinstance(rule, ast.Name) and fn is not None and rule.id in _params(fn):
                continue  # passed on from the caller, who is checked at its own call
            elif _is_rule_read(rule):
                continue  # ``issue.rule``, ``issue["rule"]``: an issue built elsewhere
            elif followed is _PASSED_ON:
                continue
            elif followed:
                for value in followed:
                    found.add(found.rules, value, where)
            else:
                found.unresolved.append(f"{where}: {ast.unparse(rule)}")
    for suite in sorted(SUITES.glob("*.json")):
        data = json.loads(suite.read_text(encoding="utf-8"))
        for i, exp in enumerate(data.get("expectations", data) if isinstance(data, dict) else data):
            meta = exp.get("meta", {})
            where = f"{suite.relative_to(REPO)}#{i}"
            if meta.get("rule"):
                found.add(found.rules, meta["rule"], where)
            if meta.get("field"):
                found.add(found.fields, meta["field"], where)
    return found


def _is_rule_read(node: ast.AST) -> bool:
    """``x.rule``, ``x["rule"]``, ``x.get("rule")``: a rule read from an issue."""
    if isinstance(node, ast.Attribute):
        return node.attr == "rule"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "get" and bool(node.args) and _text(node.args[0]) == "rule"
    return isinstance(node, ast.Subscript) and _text(node.slice) == "rule"


def schema_fields() -> dict[str, list[str]]:
    """Field names of every record type's JSON Schema: what a record can hold."""
    out: dict[str, list[str]] = {}
    for schema in sorted(SCHEMAS.glob("*.schema.json")):
        data = json.loads(schema.read_text(encoding="utf-8"))
        props = data.get("properties", {}).get("fields", {}).get("properties", {})
        for name in props:
            out.setdefault(name, []).append(str(schema.relative_to(REPO)))
    return out


def rejection_sentences(texts: dict[str, str] | None = None) -> dict[str, str]:
    """The English sentences that reject a page or a file (``InputFileError`` messages,
    the quality gate's reasons, the reader's ``no_text``), their fixed words joined and
    the variable parts as ``…``, with where they are."""
    texts = sources() if texts is None else texts
    out: dict[str, str] = {}
    for path in _REJECTING:
        tree = ast.parse(texts[path])
        constants = {
            t.id: _text(node.value)
            for node in tree.body
            if isinstance(node, ast.Assign) and _text(node.value)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            parts: list[ast.AST] = []
            if name == "InputFileError" and node.args:
                parts = [node.args[0]]
            elif name == "QualityReport":
                reasons = _argument(node, 2, "reasons")
                parts = list(reasons.elts) if isinstance(reasons, ast.List) else []
            elif name == "Issue" and _text(_argument(node, 0, "rule")) == "no_text":
                parts = [_argument(node, 1, "message")]
            for part in parts:
                sentence = _sentence(part, constants)
                if sentence:
                    out[sentence] = f"{path}:{node.lineno}"
    return out


def _sentence(node: ast.AST | None, constants: dict[str, str | None]) -> str | None:
    if node is None:
        return None
    if _text(node):
        return _text(node)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        pieces = []
        for v in node.values:
            if _text(v):
                pieces.append(_text(v))
            elif isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name):
                pieces.append(constants.get(v.value.id) or "…")
            else:
                pieces.append("…")
        return re.sub(r"\s+", " ", "".join(pieces)).strip()
    return None
