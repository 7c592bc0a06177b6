"""The orchestration's modules import one another in one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

import sohoa.orchestration

PACKAGE = Path(sohoa.orchestration.__file__).parent


def imports_of(path: Path) -> set[str]:
    """Modules of this package that ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "sohoa.orchestration":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("sohoa.orchestration."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sohoa.orchestration."):
                    found.add(alias.name.split(".")[2])
    return found - {path.stem}


def test_no_import_cycles():
    graph = {p.stem: imports_of(p) for p in PACKAGE.glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(m for m in graph if reaches(m, m, {m}))
    assert cycles == []
