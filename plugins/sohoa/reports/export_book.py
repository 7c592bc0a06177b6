"""Export one register book for the national civil-status system (docs/export.md).

The zip holds, in a folder named after the book (``<unit>_<type>_<year>_<volume>``):
- one PDF per record, named ``<unit>.<type>.<year>.<volume>.<number>.pdf``: the scanned
  page as uploaded (from the landing zone); when the scan cannot be read any more, a page
  listing the record's values, marked as such, so that no record is missing;
- one spreadsheet (XLSX) with one row per record: its number, the values of docs/documents.md in a
  fixed column order, the PDF's file name and how the record was made (auto-accepted,
  reviewed, typed).
Records are ordered by registration number (numerically where the numbers allow).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from ocr import doctypes
from ocr.errors import ConfigurationError
from sohoa.db.tables import civil_record, register_book, scan, unit

COLUMNS: dict[str, list[str]] = {t.name: list(t.export) for t in doctypes.REGISTRY.values()}
PDF_DPI = 200


@dataclass
class ExportSummary:
    path: Path
    records: int
    scans_embedded: int
    value_sheets: int  # records whose scan could not be read: a page of values instead


def export_book(
    engine: Engine,
    *,
    unit_code: str,
    book_type: str,
    year: int,
    volume: str,
    out: Path,
    on_record: Callable[[int, int], object] | None = None,
) -> ExportSummary:
    """Write the zip of one book to ``out``; raises ConfigurationError for an unknown book.
    ``on_record(done, total)`` is called after each record (a progress bar's tick)."""
    if book_type not in COLUMNS:
        raise ConfigurationError(f"book type must be one of {', '.join(COLUMNS)}")
    with engine.connect() as conn:
        book_id = conn.execute(
            select(register_book.c.id)
            .join(unit, unit.c.id == register_book.c.unit_id)
            .where(
                unit.c.code == unit_code,
                register_book.c.book_type == book_type,
                register_book.c.year == int(year),
                register_book.c.volume == volume,
            )
        ).scalar()
        if book_id is None:
            raise ConfigurationError(
                f"no register book {unit_code} {book_type} {year} volume {volume} in the database"
            )
        rows = conn.execute(
            select(
                civil_record.c.registration_number,
                civil_record.c.fields,
                civil_record.c.origin,
                civil_record.c.registration_date,
                scan.c.uri,
                scan.c.page,
            )
            .join(scan, scan.c.id == civil_record.c.scan_id)
            .where(civil_record.c.book_id == book_id)
        ).all()
    rows = sorted(rows, key=lambda r: _number_key(r.registration_number))
    stem = f"{unit_code}_{book_type}_{year}_{volume}"
    columns = COLUMNS[book_type]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    embedded = sheets = 0
    sheet_rows = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, r in enumerate(rows, 1):
            values = {k: f.get("value") for k, f in (r.fields or {}).items()}
            pdf_name = f"{unit_code}.{book_type}.{year}.{volume}.{_safe(r.registration_number)}.pdf"
            image = _scan_page(r.uri, r.page)
            if image is not None:
                embedded += 1
            else:
                sheets += 1
                image = _value_sheet(book_type, r.registration_number, values, columns)
            zf.writestr(f"{stem}/{pdf_name}", _pdf(image))
            sheet_rows.append(
                [n, r.registration_number, *(values.get(c) for c in columns), pdf_name, r.origin]
            )
            if on_record is not None:
                on_record(n, len(rows))
        zf.writestr(f"{stem}/{stem}.xlsx", _xlsx(columns, sheet_rows))
    return ExportSummary(out, len(rows), embedded, sheets)


def _number_key(number: str) -> tuple:
    m = re.match(r"\d+", number or "")
    return (0, int(m.group()), number) if m else (1, 0, number or "")


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]+", "-", text or "").strip("-") or "x"


def _scan_page(uri: str, page: int):
    """The page as an RGB image, or None when the scan cannot be read."""
    data = _read(uri)
    if data is None:
        return None
    try:
        if data[:5] == b"%PDF-":
            import pypdfium2

            pdf = pypdfium2.PdfDocument(data)
            return pdf[page - 1].render(scale=PDF_DPI / 72).to_pil().convert("RGB")
        from PIL import Image

        img = Image.open(io.BytesIO(data))
        img.seek(page - 1)
        return img.convert("RGB")
    except Exception:  # a damaged or moved scan: the record still gets its value page
        return None


def _read(uri: str) -> bytes | None:
    from sohoa.landing.scans import read_scan

    return read_scan(uri)


def _value_sheet(book_type: str, number: str, values: dict[str, Any], columns: list[str]):
    """An A4 page listing the record's values, for a record whose scan is gone."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    draw = ImageDraw.Draw(img)
    font = _font(34)
    draw.text((120, 120), f"{book_type} — số {number}", fill="black", font=_font(48))
    draw.text(
        (120, 200),
        "(bản sao dữ liệu: không còn ảnh quét / scan not available)",
        fill="gray",
        font=font,
    )
    y = 300
    for name in columns:
        value = values.get(name)
        if value in (None, ""):
            continue
        draw.text((120, y), f"{name}: {value}", fill="black", font=font)
        y += 56
    return img


def _font(size: int):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    ):
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _pdf(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=PDF_DPI)
    return buf.getvalue()


def _xlsx(columns: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "records"
    ws.append(["stt", "registration_number", *columns, "pdf_file", "origin"])
    for row in rows:
        ws.append([v if isinstance(v, int | float | str) or v is None else str(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
