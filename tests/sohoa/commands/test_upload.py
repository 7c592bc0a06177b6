"""``sohoa upload``: files and folders into the landing zone, once each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from sohoa.cli import main


@pytest.fixture
def scans(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    for i in range(3):
        Image.new("L", (80, 100), 200 + i).save(folder / f"page-{i}.png")
    (folder / "notes.txt").write_text("not a scan")  # folders contribute scan files only
    return folder


def args(*paths, **kw):
    opts = {"--unit": "25920", "--book-type": "birth", "--year": "1987", "--volume": "01", **kw}
    return ["upload", *map(str, paths), *[x for kv in opts.items() for x in kv]]


def test_upload_a_folder_then_again(scans, tmp_path, capsys):
    landing = tmp_path / "landing"
    assert main(args(scans, **{"--landing": str(landing), "--declared-entries": "120"})) == 0
    err = capsys.readouterr().err
    assert "3 file(s) (3 page(s)) uploaded" in err
    sidecars = sorted(landing.glob("incoming/25920/birth/1987/01/*/meta.json"))
    assert len(sidecars) == 3
    assert '"declared_entries": 120' in sidecars[0].read_text()

    assert main(args(scans, **{"--landing": str(landing)})) == 0
    assert "0 file(s) (0 page(s)) uploaded" in capsys.readouterr().err
    assert len(sorted(landing.glob("incoming/**/meta.json"))) == 3


def test_the_landing_zone_comes_from_the_environment(scans, tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_LANDING", str(tmp_path / "env-landing"))
    assert main(args(scans / "page-0.png")) == 0
    assert len(list((tmp_path / "env-landing").glob("incoming/**/page-0.png"))) == 1


@pytest.mark.parametrize("bad", [{"--year": "1800"}, {"--unit": " "}, {"--volume": ""}])
def test_bad_metadata_exits_2(scans, tmp_path, bad, capsys):
    assert main(args(scans, **{"--landing": str(tmp_path / "l"), **bad})) == 2
    assert capsys.readouterr().err.startswith("sohoa: error:")
    assert not (tmp_path / "l").exists()


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(args(tmp_path / "nope.png", **{"--landing": str(tmp_path / "l")})) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_book_type_is_refused(scans):
    with pytest.raises(SystemExit) as exc:
        main(args(scans, **{"--book-type": "divorce"}))
    assert exc.value.code == 2


def test_file_names_that_are_not_utf8_upload_with_their_sidecars(scans, tmp_path, capsys):
    odd = os.fsdecode(bytes(scans) + b"/page-1-\xff\xe1.png")  # sorts between page-1 and -2
    Image.new("L", (80, 100), 250).save(odd)
    landing = tmp_path / "landing"
    assert main(args(scans, **{"--landing": str(landing)})) == 0
    err = capsys.readouterr().err
    assert "4 file(s) (4 page(s)) uploaded" in err and "Traceback" not in err
    sidecars = sorted(landing.glob("incoming/25920/birth/1987/01/*/meta.json"))
    assert len(sidecars) == 4
    names = {json.loads(p.read_bytes().decode("utf-8"))["filename"] for p in sidecars}
    assert names == {"page-0.png", "page-1.png", "page-1-\\xff\\xe1.png", "page-2.png"}

    assert main(args(scans, **{"--landing": str(landing)})) == 0  # a rerun: nothing new
    err = capsys.readouterr().err
    assert "0 file(s) (0 page(s)) uploaded" in err and "4 already uploaded" in err


def test_a_file_that_cannot_be_read_is_refused_alone(scans, tmp_path, capsys):
    (scans / "page-1.png").unlink()
    (scans / "page-1.png").symlink_to(tmp_path / "gone.png")  # listed, but not there
    landing = tmp_path / "landing"
    named = [scans / f"page-{i}.png" for i in range(3)]
    assert main(args(*named, **{"--landing": str(landing)})) == 2
    err = capsys.readouterr().err
    assert "refused            page-1.png: no such file" in err
    assert "2 file(s) (2 page(s)) uploaded" in err and "1 could not be read" in err
    assert len(sorted(landing.glob("incoming/**/meta.json"))) == 2


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(scans, tmp_path):
    from tests.sohoa.commands.terminal import bar_counts, run_on_terminal

    sohoa = str(Path(sys.executable).with_name("sohoa"))
    argv = [sohoa, *args(scans, **{"--landing": str(tmp_path / "landing")})]
    shown = run_on_terminal(argv)
    assert shown.returncode == 0, shown.terminal
    assert bar_counts(shown.terminal, "file")[-1] == (3, 3)
    assert "3 file(s) (3 page(s)) uploaded" in shown.terminal

    piped = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0
    assert "0 file(s) (0 page(s)) uploaded" in piped.stderr
    assert not bar_counts(piped.stderr, "file") and "\r" not in piped.stderr
