"""Write a KPI report (``sohoa.kpi.report.build_report``) as JSON, CSV, XLSX or HTML,
in Vietnamese (``lang="vi"``, the default) or English (``"en"``).

- JSON: the report data itself, keys in English whatever the language (it carries the
  Vietnamese names of the period and indicators under ``names``).
- CSV: the indicator table at the given path, every other table beside it as
  ``<stem>.<table>.csv`` (a CSV file holds one table). Vietnamese: headings in
  Vietnamese, a decimal comma and ``;`` between cells, as spreadsheets set to Vietnamese
  read them; English: ``.`` and ``,``.
- XLSX: one sheet per table (openpyxl), named in the language; numbers stay numeric
  cells, so the spreadsheet shows the reader's own decimal sign.
- HTML: one self-contained file (``sohoa.reports.html``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sohoa.reports.tables import Table, drill_table, report_tables
from sohoa.reports.words import DEFAULT_LANG, Words, words


def render(report: dict[str, Any], fmt: str, path: Path, lang: str = DEFAULT_LANG) -> list[Path]:
    """Write ``report`` in ``fmt`` to ``path``; returns every file written."""
    path = Path(path)
    w = words(lang)  # an unknown language fails before anything is written
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        write_json(report, path)
        return [path]
    if fmt == "csv":
        return write_csv_tables(report_tables(report, lang), path, w)
    if fmt == "xlsx":
        write_xlsx(report_tables(report, lang), path)
        return [path]
    if fmt == "html":
        from sohoa.reports.html import write_html

        write_html(report, path, lang)
        return [path]
    raise ValueError(f"unknown format {fmt!r}")


def render_drill(
    drill: dict[str, Any], fmt: str, path: Path, lang: str = DEFAULT_LANG
) -> list[Path]:
    """The drill-down as JSON, CSV or XLSX (one table)."""
    path = Path(path)
    w = words(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        write_json(drill, path)
    elif fmt == "csv":
        write_csv(drill_table(drill, lang), path, w)
    elif fmt == "xlsx":
        write_xlsx([drill_table(drill, lang)], path)
    else:
        raise ValueError(f"the drill-down is written as json, csv or xlsx, not {fmt!r}")
    return [path]


def write_json(data: dict[str, Any], path: Path) -> None:
    path.write_bytes(json_bytes(data))


def json_bytes(data: dict[str, Any]) -> bytes:
    """Indented UTF-8 JSON; msgspec is ~10x faster than ``json`` on a country-wide report."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n"


def write_csv(table: Table, path: Path, w: Words | None = None) -> None:
    """One table; UTF-8 with BOM so that Excel, which managers open CSV files with, shows
    Vietnamese. Numbers keep all their digits, with the language's decimal sign."""
    w = w or words()
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=w.csv_delimiter)
        writer.writerow(table.columns)
        writer.writerows([_csv_cell(v, w) for v in row] for row in table.rows)


def _csv_cell(value: Any, w: Words) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and w.lang != "en":
        return repr(value).replace(".", w.decimal)
    return value


def write_csv_tables(tables: list[Table], path: Path, w: Words | None = None) -> list[Path]:
    first, *rest = tables
    write_csv(first, path, w)
    paths = [path]
    for table in rest:
        other = path.with_name(f"{path.stem}.{table.name}.csv")
        write_csv(table, other, w)
        paths.append(other)
    return paths


def write_xlsx(tables: list[Table], path: Path) -> None:
    """One sheet per table; write-only mode streams rows (thousands of units stay fast).
    Decimal numbers get a two-decimal format: the cell keeps its value, and the
    spreadsheet shows it with the reader's decimal sign (a comma in Vietnamese)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        ws = wb.create_sheet(table.title[:31])
        for idx, col in enumerate(table.columns):
            sample = [len(str(r[idx])) for r in table.rows[:200] if r[idx] is not None]
            letter = _column_letter(idx + 1)
            # long headings wrap; the width follows the values (and short headings)
            ws.column_dimensions[letter].width = min(40, max([min(len(col), 24), *sample]) + 2)
        ws.freeze_panes = "A2"
        header = []
        for col in table.columns:
            cell = WriteOnlyCell(ws, value=col)
            cell.font = bold
            cell.alignment = wrapped
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    wb.save(path)


def _xlsx_cell(ws, value: Any) -> Any:
    if not isinstance(value, float):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "0.00"
    return cell


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)
