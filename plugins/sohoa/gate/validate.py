"""The gate: Great Expectations (GX Core 1.x) over each load's records, before any is loaded.

One validation per doc type among them (normally one: a load is one register book),
with the suite ``schemas/expectations/<doc_type>.json`` plus ``batch.json``. Failing rows
are mapped back to records through GX's unexpected index list (``record_index``) and to
fields through each expectation's ``meta``: ``{"field", "rule", "message"}``; a field
written ``{column}`` is read from that column of the failing row. Expectations of
severity ``warning`` are reported, never blocking.

Each run keeps its validation result as JSON (``<dir>/runs/<run>.json``) and its Data
Docs page (``<dir>/data_docs/``), ``<dir>`` being ``SOHOA_VALIDATION_DIR`` or
``./.sohoa/validation``. A validation that cannot run (a broken suite, a missing column,
GX failing) raises :class:`GateError`: the gate never passes by default.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ocr.errors import MissingDependencyError, SohoaError
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from sohoa.gate.frame import build_frame
from sohoa.gate.suites import Suite, load_suite
from sohoa.settings import get_settings

log = logging.getLogger(__name__)
OLDEST_RECORD = date(1850, 1, 1)
_FROM_COLUMN = re.compile(r"^\{(\w+)\}$")


class GateError(SohoaError):
    """The validation could not run; nothing may be loaded from these records."""


@dataclass
class GateResult:
    """The gate's outcome for a list of records, as the loader takes it; it travels from
    the DAG's gate task to its load task as JSON (:meth:`to_json`, :meth:`from_json`)."""

    failures: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # index -> issues
    warnings: list[dict[str, Any]] = field(default_factory=list)  # {"index", field, rule...}
    report_path: str | None = None  # the run's Data Docs page (HTML)
    result_path: str | None = None  # the run's validation results (JSON)
    checked: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "failures": {str(i): issues for i, issues in self.failures.items()},
            "warnings": self.warnings,
            "report_path": self.report_path,
            "result_path": self.result_path,
            "checked": self.checked,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> GateResult:
        return cls(
            failures={int(i): list(v) for i, v in doc.get("failures", {}).items()},
            warnings=list(doc.get("warnings", [])),
            report_path=doc.get("report_path"),
            result_path=doc.get("result_path"),
            checked=int(doc.get("checked", 0)),
        )

    def subset(self, indices: Sequence[int]) -> GateResult:
        """The outcome for ``[records[i] for i in indices]``, renumbered."""
        position = {i: j for j, i in enumerate(indices)}
        return GateResult(
            failures={position[i]: v for i, v in self.failures.items() if i in position},
            warnings=[
                {**w, "index": position[w["index"]]}
                for w in self.warnings
                if w.get("index") in position
            ],
            report_path=self.report_path,
            result_path=self.result_path,
            checked=self.checked,
        )


def run_gate(
    records: Sequence[dict[str, Any]],
    book: Any = None,
    *,
    out_dir: Path | None = None,
    today: date | None = None,
    suites_dir: Path | None = None,
    book_numbers: Sequence[str] = (),
    keep: bool = True,
) -> GateResult:
    """Validate ``records`` (record dicts, docs/record.md); ``failures`` maps record
    index -> issues.

    ``book_numbers``: the registration numbers the book already holds, so that its
    numbering is checked across loads, not only within this one.

    ``keep=False`` is for a question about one record a person is typing or correcting:
    the same suites decide, but no validation result or Data Docs page is written (that
    costs most of a check's time, and a half-typed record is not a run of the gate).
    """
    out_dir = Path(out_dir or get_settings().validation_dir).resolve()
    run_name = _run_name(book)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(records):
        if rec.get("status") != "rejected" and rec.get("doc_type") not in (None, "unknown"):
            groups[rec["doc_type"]].append(i)
    result = GateResult()
    documents: list[dict[str, Any]] = []
    for doc_type, indices in sorted(groups.items()):
        suite = load_suite(doc_type, suites_dir)
        frame = build_frame(
            [records[i] for i in indices], doc_type, suite.columns(), book, book_numbers
        )
        validation, page = _validate(suite, frame, out_dir, run_name, today, keep)
        documents.append(validation)
        _collect(suite, validation, indices, frame, result)
        result.report_path = page or result.report_path
        result.checked += len(indices)
    if documents and keep:
        runs = out_dir / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        path = runs / f"{run_name}.json"
        path.write_text(
            json.dumps(
                {"run": run_name, "book": _book_json(book), "validations": documents},
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
        result.result_path = str(path)
    return result


def _validate(
    suite: Suite, frame, out_dir: Path, run_name: str, today: date | None, keep: bool = True
) -> tuple[dict[str, Any], str | None]:
    gx, pd = _import_gx()
    try:
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        docs_dir = out_dir / "data_docs"
        context.add_data_docs_site(
            site_name="sohoa",
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
            },
        )
        batch_def = (
            context.data_sources.add_pandas("sohoa")
            .add_dataframe_asset("records")
            .add_batch_definition_whole_dataframe("batch")
        )
        gx_suite = context.suites.add(suite.to_gx())
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{suite.name}-{run_name}", data=batch_def, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"gate-{run_name}",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if keep else [],
                result_format={
                    "result_format": "COMPLETE",
                    "unexpected_index_column_names": ["record_index"],
                },
            )
        )
        params = {
            "today": pd.Timestamp(today or date.today()),
            "oldest": pd.Timestamp(OLDEST_RECORD),
            "min_confidence": AUTO_ACCEPT_CONFIDENCE,
        }
        outcome = checkpoint.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            run_id=RunIdentifier(run_name=run_name),
        )
    except GateError:
        raise
    except Exception as exc:  # a broken suite or GX itself: fail loudly, never pass
        raise GateError(f"data validation could not run ({suite.name}): {exc}") from exc
    (validation,) = outcome.run_results.values()
    document = validation.to_json_dict()
    if not keep:
        return document, None
    pages = sorted(docs_dir.glob(f"validations/{suite.name}/{run_name}/*/*.html"))
    return document, str(pages[-1]) if pages else None


def _collect(
    suite: Suite, validation: dict[str, Any], indices: list[int], frame, result: GateResult
) -> None:
    """Turn GX results into per-record issues; raise when a result cannot be trusted."""
    results = validation.get("results", [])
    if len(results) != len(suite.expectations):
        raise GateError(
            f"{suite.name}: {len(results)} results for {len(suite.expectations)} expectations"
        )
    for res in results:
        config = res["expectation_config"]
        if _raised(res.get("exception_info")):
            raise GateError(
                f"{suite.name}: expectation {config['type']} on "
                f"{_columns(config['kwargs'])} could not run: "
                f"{_message(res.get('exception_info'))}"
            )
        if res["success"]:
            continue
        meta = config.get("meta") or {}
        rows = res.get("result", {}).get("unexpected_index_list")
        if not rows:
            raise GateError(f"{suite.name}: {config['type']} failed without naming the rows")
        warning = str(config.get("severity", "critical")).lower().endswith("warning")
        for row in rows:
            local = int(row["record_index"])
            issue = {
                "field": _field_of(meta.get("field"), frame.iloc[local]),
                "rule": meta.get("rule", config["type"]),
                "message": meta.get("message", config["type"]),
            }
            index = indices[local]
            if warning:
                result.warnings.append({"index": index, **issue})
            elif issue not in result.failures.get(index, []):
                result.failures.setdefault(index, []).append(issue)


def _field_of(field_spec: str | None, row) -> str | None:
    """The failing field: fixed in the suite, or ``{column}`` read from the failing row."""
    match = _FROM_COLUMN.match(field_spec or "")
    if not match:
        return field_spec
    value = row.get(match.group(1))
    return value if isinstance(value, str) else None


def _raised(info: Any) -> bool:
    """GX reports exceptions per expectation, or per metric in a nested dict."""
    if not isinstance(info, dict):
        return False
    if info.get("raised_exception"):
        return True
    return any(_raised(v) for v in info.values() if isinstance(v, dict))


def _message(info: Any) -> str:
    if isinstance(info, dict):
        if info.get("exception_message"):
            return str(info["exception_message"]).splitlines()[0]
        for v in info.values():
            msg = _message(v)
            if msg:
                return msg
    return ""


def _columns(kwargs: dict[str, Any]) -> str:
    cols = [kwargs.get(k) for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    return ", ".join(map(str, cols + list(kwargs.get("column_list", []))))


def _run_name(book: Any) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    parts = [stamp]
    if book is not None:
        parts += [str(book.unit), book.book_type, str(book.year), str(book.volume)]
    parts.append(uuid.uuid4().hex[:6])
    return re.sub(r"[^\w.-]", "_", "-".join(parts))


def _book_json(book: Any) -> dict[str, Any] | None:
    if book is None:
        return None
    unit, book_type, year, volume = book.key
    return {"unit_code": unit, "book_type": book_type, "year": year, "volume": volume}


def _import_gx():
    try:
        import great_expectations as gx
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise MissingDependencyError(
            "great_expectations is not installed; run `make setup` "
            "(pip install -c constraints.txt -e .)"
        ) from exc
    for name in list(logging.root.manager.loggerDict):  # GX is chatty at INFO
        if name.startswith("great_expectations"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return gx, pd
