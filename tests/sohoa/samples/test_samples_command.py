"""``sohoa samples`` end to end through the real CLI entry point."""

from __future__ import annotations

from PIL import Image

from sohoa.cli import main
from sohoa.samples import load_truth


def _run(out, options: str) -> int:
    return main(["samples", "--out", str(out), *options.split()])


def test_writes_files_and_prints_one_summary_line(tmp_path, capsys):
    code = _run(
        tmp_path,
        "--count 2 --seed 5 --profile clean --format jpeg --types death --rejects 1 --dpi 200",
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.count("\n") == 1 and "3 files" in out
    scans = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert scans == ["death-0001.jpg", "death-0002.jpg", "reject-0001.jpg"]
    truth = load_truth(tmp_path / "death-0002.jpg")["pages"][0]
    assert truth["doc_type"] == "death" and truth["dpi"] == 200
    with Image.open(tmp_path / "death-0002.jpg") as img:
        assert round(img.info["dpi"][0]) == 200


def test_mixed_format_with_several_pages_uses_multi_page_formats(tmp_path, capsys):
    code = _run(
        tmp_path,
        "--count 2 --seed 1 --profile clean --format mixed "
        "--pages-per-file 2 --types birth --dpi 200",
    )
    assert code == 0
    suffixes = sorted(p.suffix for p in tmp_path.iterdir() if not p.name.endswith(".json"))
    assert suffixes == [".pdf", ".tif"]


def test_bad_format_exits_with_a_configuration_error(tmp_path, capsys):
    assert _run(tmp_path, "--count 1 --format bmp") == 2
    assert "unknown format" in capsys.readouterr().err
