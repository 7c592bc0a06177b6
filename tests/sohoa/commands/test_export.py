"""``sohoa export book …`` writes the zip of SPEC 9."""

from __future__ import annotations

import hashlib
import zipfile

from sohoa.cli import main
from sohoa.db.engine import make_engine
from sohoa.load.batch import load_batch
from sohoa.load.book import BookMeta


def test_export_book(sqlite_url, monkeypatch, capsys, tmp_path):
    engine = make_engine(sqlite_url)
    recs = []
    for n in (1, 2):
        values = {"full_name": f"TRẦN VĂN {n}", "registration_number": str(n)}
        recs.append(
            {
                "source": {
                    "uri": f"gone/{n}.png",
                    "page": 1,
                    "sha256": hashlib.sha256(bytes([n])).hexdigest(),
                },
                "doc_type": "death",
                "status": "auto_accepted",
                "fields": {k: {"value": v, "confidence": 0.9} for k, v in values.items()},
            }
        )
    load_batch(engine, recs, BookMeta("25920", "death", 1999, "02"), gate=None)
    engine.dispose()
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    out = tmp_path / "book.zip"
    argv = [
        "export",
        "book",
        "--unit",
        "25920",
        "--book-type",
        "death",
        "--year",
        "1999",
        "--volume",
        "02",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    assert "2 record(s)" in capsys.readouterr().err
    with zipfile.ZipFile(out) as zf:
        assert sum(n.endswith(".pdf") for n in zf.namelist()) == 2
    argv[argv.index("02")] = "03"
    assert main(argv) == 2
