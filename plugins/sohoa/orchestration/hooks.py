"""Steps whose real work lives in other parts of sohoa (dossiers, KPIs), named here once.

Each hook names the function it calls. When that function is missing the hook says so
plainly: a step with work to do fails loudly (a dossier export must never be dropped
silently); a step that only refreshes derived figures records that it ran and returns.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ocr.errors import ConfigurationError

DOSSIER_IMPORTER = "sohoa.dossiers.importer:import_file"  # (engine, path) -> summary
RESULT_LINKER = "sohoa.dossiers.link:link_results"  # (engine) -> summary
KPI_REPORT = "sohoa.kpi.report:write_reports"  # (engine, period, out_dir) -> [paths]


def find(target: str) -> Callable[..., Any] | None:
    """``module:function`` if both exist, else ``None``."""
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, attr, None)


def require(target: str, what: str) -> Callable[..., Any]:
    fn = find(target)
    if fn is None:
        raise ConfigurationError(f"{what} is not available: {target} is missing")
    return fn
