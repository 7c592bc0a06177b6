"""The canonical dump compares what two databases hold, whatever order their rows were
inserted in (two workers' loads commit in either order)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import create_engine, insert

from sohoa.db.snapshot import canonical_dump
from sohoa.db.tables import metadata, register_book, unit

NOW = datetime(2026, 5, 1, tzinfo=UTC)
UNITS = [("25920", "Xã A"), ("26001", "Phường B")]


def _database(tmp_path, name: str, order: list[int], volume_of_second: str = "02"):
    engine = create_engine(f"sqlite:///{tmp_path / name}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        ids = {}
        for n in order:  # the same units, inserted in the given order, with gaps in ids
            code, title = UNITS[n]
            ids[n] = conn.execute(
                insert(unit).values(id=10 * (len(ids) + 1), code=code, name=title)
            ).inserted_primary_key[0]
        for n in order:  # one book per unit, pointing at it by id
            volume = "01" if n == 0 else volume_of_second
            conn.execute(
                insert(register_book).values(
                    unit_id=ids[n], book_type="birth", year=2024, volume=volume, created_at=NOW
                )
            )
    return engine


def test_the_same_rows_in_another_order_dump_the_same(tmp_path):
    first = canonical_dump(_database(tmp_path, "a.db", [0, 1]))
    second = canonical_dump(_database(tmp_path, "b.db", [1, 0]))
    assert first == second
    # each book still points at its own unit, by rank
    units = {row[0]: row[1] for row in first["unit"]}
    books = {units[row[1]]: row[4] for row in first["register_book"]}
    assert books == {"25920": "01", "26001": "02"}


def test_a_different_row_dumps_differently(tmp_path):
    first = canonical_dump(_database(tmp_path, "a.db", [0, 1]))
    other = canonical_dump(_database(tmp_path, "b.db", [1, 0], volume_of_second="03"))
    assert first["unit"] == other["unit"]
    assert first["register_book"] != other["register_book"]
