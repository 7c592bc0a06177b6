"""Expectation suites kept as data in ``schemas/expectations`` (one JSON file per doc type,
plus ``batch.json`` with the rules over all the records at once, which every suite gets)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr.errors import SohoaError
from ocr.rules import SUITE_RULES
from sohoa.settings import get_settings


class SuiteError(SohoaError):
    """A suite file is missing or malformed: validation cannot run."""


def suites_dir() -> Path:
    return get_settings().expectations_dir


@dataclass(frozen=True)
class Suite:
    name: str
    expectations: tuple[dict[str, Any], ...]

    def columns(self) -> list[str]:
        """Every frame column an expectation reads (so the frame can provide them all)."""
        cols: list[str] = []
        for exp in self.expectations:
            kw = exp["kwargs"]
            cols += [kw[k] for k in ("column", "column_A", "column_B") if k in kw]
            cols += list(kw.get("column_list", []))
        return sorted(set(cols) | {"low_confidence_field"})

    def to_gx(self):
        import great_expectations as gx
        from great_expectations.expectations.expectation_configuration import (
            ExpectationConfiguration,
        )

        return gx.ExpectationSuite(
            name=self.name,
            expectations=[
                ExpectationConfiguration(**exp).to_domain_obj() for exp in self.expectations
            ],
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SuiteError(f"expectation suite not found: {path}") from exc
    except json.JSONDecodeError as exc:
        raise SuiteError(f"expectation suite {path} is not valid JSON: {exc}") from exc
    exps = data.get("expectations") if isinstance(data, dict) else None
    if not isinstance(exps, list) or not exps:
        raise SuiteError(f"expectation suite {path} has no expectations")
    for n, exp in enumerate(exps, 1):
        ok = (
            isinstance(exp, dict)
            and isinstance(exp.get("type"), str)
            and isinstance(exp.get("kwargs"), dict)
            and isinstance(exp.get("meta"), dict)
            and isinstance(exp["meta"].get("rule"), str)
        )
        if not ok:
            raise SuiteError(f"{path}: expectation {n} needs type, kwargs and meta.rule")
        if exp["meta"]["rule"] not in SUITE_RULES:
            raise SuiteError(
                f"{path}: expectation {n}: {exp['meta']['rule']!r} is not a rule on values "
                "(ocr.rules.SUITE_RULES); the reader and the loader check the others"
            )
    return data


def load_suite(doc_type: str, directory: Path | None = None) -> Suite:
    """The suite for ``doc_type``, with the rules over all the records at once
    (``batch.json``) appended."""
    base = Path(directory or suites_dir())
    own = _read(base / f"{doc_type}.json")
    batch = _read(base / "batch.json")
    return Suite(
        own.get("name") or f"sohoa_{doc_type}",
        tuple(own["expectations"]) + tuple(batch["expectations"]),
    )
