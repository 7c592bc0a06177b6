"""``sohoa extract`` as a user runs it: a real subprocess, real Tesseract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sohoa.samples import load_truth, write_samples
from tests.ocr import badfiles

SOHOA = str(Path(sys.executable).with_name("sohoa"))


def run_extract(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SOHOA, "extract", *map(str, args)], capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def good_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    return write_samples(folder, 1, seed=11, profile="clean", doc_types=["birth"])[0]


BAD_FILES = {
    "empty": badfiles.empty_file,
    "truncated png": badfiles.truncated_png,
    "truncated jpeg": badfiles.truncated_jpeg,
    "text named .jpg": badfiles.text_named_jpg,
    "corrupt pdf": badfiles.corrupt_pdf,
    "encrypted pdf": badfiles.encrypted_pdf,
    "30000x30000 bomb": badfiles.bomb_png,
    "1x1 image": badfiles.one_pixel_png,
}


def test_bad_files_get_one_line_each_and_the_good_file_is_still_read(tmp_path, good_page):
    bad = [make(tmp_path) for make in BAD_FILES.values()]
    result = run_extract(bad[0], good_page, *bad[1:])

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error_lines = [ln for ln in result.stderr.splitlines() if ln.startswith("sohoa: error:")]
    assert len(error_lines) == len(bad)
    for path in bad:
        assert sum(path.name in ln for ln in error_lines) == 1, path.name

    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_uri = {r["source"]["uri"]: r for r in records}
    assert set(by_uri) == {str(p) for p in [*bad, good_page]}
    for path in bad:
        rejected = by_uri[str(path)]
        assert rejected["status"] == "rejected"
        assert rejected["issues"][0]["message"]
    good = by_uri[str(good_page)]
    truth = load_truth(good_page)["pages"][0]
    assert good["doc_type"] == truth["doc_type"] == "birth"
    assert good["fields"]["full_name"]["value"] == truth["fields"]["full_name"]


def test_each_bad_file_alone_exits_2_with_an_actionable_message(tmp_path):
    for label, make in BAD_FILES.items():
        path = make(tmp_path)
        result = run_extract(path)
        assert result.returncode == 2, label
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and path.name in lines[0], (label, result.stderr)


def test_missing_path_is_an_input_error(tmp_path):
    result = run_extract(tmp_path / "nope.png")
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_summary_and_jsonl_for_a_folder(tmp_path):
    folder = tmp_path / "scans"
    write_samples(folder, 2, seed=5, profile="clean", doc_types=["death", "birth"])
    result = run_extract("--summary", "--jobs", "2", folder)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert {r["doc_type"] for r in records} == {"death", "birth"}
    assert "2 file(s), 2 page record(s)" in result.stderr


def test_the_books_unit_and_year_are_given_on_the_command_line(good_page):
    from ocr.units import place_unit

    truth = load_truth(good_page)["pages"][0]["fields"]
    unit = place_unit(truth["registration_place"])
    year = int(truth["registration_date"][:4])
    result = run_extract("--unit", unit.code, "--book-type", "birth", "--year", year + 1, good_page)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["fields"]["registration_place"]["unit"]["code"] == unit.code
    assert ("registration_date", "registration_year_outside_book") in {
        (i["field"], i["rule"]) for i in record["issues"]
    }
    assert record["status"] == "needs_review"


def test_a_unit_code_that_names_no_unit_is_a_usage_error(good_page):
    result = run_extract("--unit", "99999", good_page)
    assert result.returncode == 2
    assert "99999" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_missing_file_gets_its_record_and_the_files_after_it_are_read(tmp_path, good_page, jobs):
    second = tmp_path / "good2.png"
    second.write_bytes(good_page.read_bytes())
    missing = tmp_path / "missing.png"
    result = run_extract("--jobs", jobs, good_page, missing, second)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("sohoa: error:")]
    assert len(errors) == 1 and "missing.png" in errors[0] and "no such file" in errors[0]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"]["uri"] for r in records] == [str(good_page), str(missing), str(second)]
    assert records[1]["status"] == "rejected"
    assert records[1]["source"]["sha256"] == ""
    assert records[2]["doc_type"] == "birth"


def test_a_file_name_that_is_not_utf8_prints_valid_utf8_that_load_reads(tmp_path, good_page):
    folder = tmp_path / "scans"
    folder.mkdir()
    odd = Path(os.fsdecode(bytes(folder) + b"/gi\xe1y-khai-sinh-\xff.png"))  # Latin-1 name
    odd.write_bytes(good_page.read_bytes())
    broken = Path(os.fsdecode(bytes(folder) + b"/h\xf4ng-\xfe.pdf"))
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00" * 200)
    result = subprocess.run([SOHOA, "extract", str(folder)], capture_output=True, timeout=300)

    assert result.returncode == 2  # the broken one
    text = result.stdout.decode("utf-8")  # strict: raises on raw bytes
    records = [json.loads(line) for line in text.splitlines()]
    assert [r["source"]["uri"] for r in records] == [
        str(folder) + "/gi\\xe1y-khai-sinh-\\xff.png",
        str(folder) + "/h\\xf4ng-\\xfe.pdf",
    ]
    assert records[0]["doc_type"] == "birth"
    assert records[1]["status"] == "rejected"
    assert "h\\xf4ng-\\xfe.pdf: the PDF is damaged" in records[1]["issues"][0]["message"]
    assert b"Traceback" not in result.stderr

    jsonl = tmp_path / "records.jsonl"
    jsonl.write_bytes(result.stdout)
    env = {**os.environ, "SOHOA_DB_URL": f"sqlite:///{tmp_path / 'sohoa.db'}"}
    loaded = subprocess.run(
        [SOHOA, "load", str(jsonl), "--unit", "25920", "--book-type", "birth"]
        + ["--year", "2024", "--volume", "01"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "records   2" in loaded.stdout and "rejected  1" in loaded.stdout


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    from PIL import Image

    from tests.sohoa.commands.terminal import bar_counts, run_on_terminal

    for i in range(3):  # blank pages: refused by the quality gate, quickly
        Image.new("L", (800, 1000), 255).save(tmp_path / f"blank-{i}.png")
    shown = run_on_terminal([SOHOA, "extract", "-j", "1", str(tmp_path)])
    assert shown.returncode == 0, shown.terminal
    assert bar_counts(shown.terminal, "file")[-1] == (3, 3)
    assert len(shown.stdout.splitlines()) == 3  # the records still go to stdout alone

    piped = run_extract("-j", "1", tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""
