"""Where the code raises its coded errors, read from the source (not from a run), so a
test sees every raise site, including the ones no test reaches."""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

from sohoa.coded_errors import CodedError

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"


@dataclass(frozen=True)
class Site:
    cls: type[CodedError]
    code: object  # the first argument when it is a literal; None when it is not
    params: frozenset[str]
    where: str  # path:line, for the failure message


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in PLUGINS.rglob("*.py")]


def coded_error_classes() -> dict[str, type[CodedError]]:
    """Every class defined in the plugins as a (direct or indirect) subclass of
    CodedError, imported, by name."""
    defined = {
        node.name: (".".join(path.relative_to(PLUGINS).with_suffix("").parts), node.bases)
        for path, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    names = {"CodedError"}
    while True:
        more = {n for n, (_, bases) in defined.items() if any(_name(b) in names for b in bases)}
        if more <= names:
            break
        names |= more
    names.discard("CodedError")
    return {n: getattr(importlib.import_module(defined[n][0]), n) for n in sorted(names)}


def raise_sites() -> list[Site]:
    """Every call that builds one of the coded errors, anywhere in the plugins."""
    classes = coded_error_classes()
    sites = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in classes:
                first = node.args[0] if node.args else None
                code = first.value if isinstance(first, ast.Constant) else None
                sites.append(
                    Site(
                        classes[_name(node.func)],
                        code,
                        frozenset(k.arg for k in node.keywords if k.arg),
                        f"{path.relative_to(PLUGINS)}:{node.lineno}",
                    )
                )
    return sites


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None
