"""Write a KPI report (``sohoa.kpi.report.build_report``) as JSON, CSV, XLSX or HTML.

- JSON: the report data itself.
- CSV: the indicator table at the given path, every other table beside it as
  ``<stem>.<table>.csv`` (a CSV file holds one table).
- XLSX: one sheet per table (openpyxl).
- HTML: one self-contained file (``sohoa.reports.html``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sohoa.reports.tables import Table, drill_table, report_tables


def render(report: dict[str, Any], fmt: str, path: Path) -> list[Path]:
    """Write ``report`` in ``fmt`` to ``path``; returns every file written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        write_json(report, path)
        return [path]
    if fmt == "csv":
        tables = report_tables(report)
        return write_csv_tables(tables, path)
    if fmt == "xlsx":
        write_xlsx(report_tables(report), path)
        return [path]
    if fmt == "html":
        from sohoa.reports.html import write_html

        write_html(report, path)
        return [path]
    raise ValueError(f"unknown format {fmt!r}")


def render_drill(drill: dict[str, Any], fmt: str, path: Path) -> list[Path]:
    """The drill-down as JSON, CSV or XLSX (one table)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        write_json(drill, path)
    elif fmt == "csv":
        write_csv(drill_table(drill), path)
    elif fmt == "xlsx":
        write_xlsx([drill_table(drill)], path)
    else:
        raise ValueError(f"the drill-down is written as json, csv or xlsx, not {fmt!r}")
    return [path]


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_bytes(json_bytes(data))


def json_bytes(data: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON; msgspec is ~10x faster than ``json`` on a country-wide report."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n"


def write_csv(table: Table, path: Path) -> None:
    # UTF-8 with BOM so that Excel, which managers open CSV files with, shows Vietnamese.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        writer.writerows(["" if v is None else v for v in row] for row in table.rows)


def write_csv_tables(tables: list[Table], path: Path) -> list[Path]:
    first, *rest = tables
    write_csv(first, path)
    paths = [path]
    for table in rest:
        other = path.with_name(f"{path.stem}.{table.name}.csv")
        write_csv(table, other)
        paths.append(other)
    return paths


def write_xlsx(tables: list[Table], path: Path) -> None:
    """One sheet per table; write-only mode streams rows (thousands of units stay fast)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        ws = wb.create_sheet(table.name[:31])
        for idx, col in enumerate(table.columns):
            sample = [len(str(r[idx])) for r in table.rows[:200] if r[idx] is not None]
            letter = _column_letter(idx + 1)
            ws.column_dimensions[letter].width = min(60, max([len(col), *sample]) + 2)
        ws.freeze_panes = "A2"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append(row)
    wb.save(path)


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
