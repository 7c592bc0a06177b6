"""Every input format, single and multi-page, with truth beside each file."""

from __future__ import annotations

import pypdfium2
import pytest
from PIL import Image

from ocr.errors import ConfigurationError, InputFileError
from sohoa.samples import load_truth, write_samples


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    single = write_samples(
        out / "single",
        2,
        1,
        profile="clean",
        formats=("png", "jpeg"),
        doc_types=["birth", "dossier_result"],
        dpi=200,
    )
    multi = write_samples(
        out / "multi",
        2,
        2,
        profile="harsh",  # lowest resolutions, drawn per file
        formats=("tiff", "pdf"),
        doc_types=["death", "marriage"],
        pages_per_file=2,
    )
    return single, multi


def _page_count(path) -> int:
    if path.suffix == ".pdf":
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    with Image.open(path) as img:
        return getattr(img, "n_frames", 1)


def test_names_formats_and_page_counts_round_trip(written):
    single, multi = written
    assert [p.name for p in single] == ["birth-0001.png", "dossier_result-0002.jpg"]
    assert [p.name for p in multi] == ["death-0001.tif", "marriage-0002.pdf"]
    for path in single + multi:
        truth = load_truth(path)
        assert truth["file"] == path.name
        assert [p["page"] for p in truth["pages"]] == list(range(1, _page_count(path) + 1))
    assert _page_count(multi[0]) == 2 and _page_count(multi[1]) == 2


def test_pages_of_one_file_share_its_resolution(written):
    _, multi = written
    tif = multi[0]
    dpis = {p["dpi"] for p in load_truth(tif)["pages"]}
    assert len(dpis) == 1
    with Image.open(tif) as img:
        assert round(img.info["dpi"][0]) == dpis.pop()


def test_truth_matches_the_page_it_describes(written):
    single, _ = written
    png = single[0]
    page = load_truth(png)["pages"][0]
    with Image.open(png) as img:
        assert img.mode == "RGB"
        assert (img.width, img.height) == (round(8.27 * page["dpi"]), round(11.69 * page["dpi"]))
    assert page["doc_type"] == "birth" and page["fields"]["full_name"]


def test_same_seed_writes_identical_files(tmp_path):
    a = write_samples(tmp_path / "a", 1, 99, profile="harsh", doc_types=["birth"])
    b = write_samples(tmp_path / "b", 1, 99, profile="harsh", doc_types=["birth"])
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes()
        ta, tb = (p.with_name(p.stem + ".truth.json") for p in (pa, pb))
        assert ta.read_bytes() == tb.read_bytes()


def test_rejects_come_after_the_records(tmp_path):
    paths = write_samples(tmp_path, 0, 4, formats=("png",), rejects=3, dpi=200)
    kinds = [load_truth(p)["pages"][0]["reject_kind"] for p in paths]
    assert [p.name for p in paths] == ["reject-0001.png", "reject-0002.png", "reject-0003.png"]
    assert kinds == ["blank", "blurred", "photo"]
    assert all(load_truth(p)["pages"][0]["expect"] == "rejected" for p in paths)


def test_bad_requests_are_configuration_errors(tmp_path):
    with pytest.raises(ConfigurationError, match="format"):
        write_samples(tmp_path, 1, 0, formats=("gif",))
    with pytest.raises(ConfigurationError, match="type"):
        write_samples(tmp_path, 1, 0, doc_types=["passport"])
    with pytest.raises(ConfigurationError, match="dpi"):
        write_samples(tmp_path, 1, 0, dpi=5)
    with pytest.raises(ConfigurationError, match="tiff or pdf"):
        write_samples(tmp_path, 1, 0, formats=("png",), pages_per_file=3)


def test_missing_truth_is_an_input_error(tmp_path):
    scan = tmp_path / "lonely.png"
    Image.new("RGB", (10, 10), "white").save(scan)
    with pytest.raises(InputFileError, match="truth"):
        load_truth(scan)


def test_a_year_keeps_only_records_of_that_year(tmp_path):
    # One year's register book: the demo uploads these into a 2024 book, where a record
    # of another year is flagged `registration_year_outside_book`.
    paths = write_samples(
        tmp_path, 4, 1987, doc_types=["birth", "death", "marriage", "dossier_result"], year=2024
    )
    dates = []
    for path in paths:
        fields = load_truth(path)["pages"][0]["fields"]
        dates.append(fields.get("registration_date") or fields["result_date"])
    assert len(dates) == 4 and all(d.startswith("2024-") for d in dates), dates


def test_a_year_the_generator_cannot_make_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigurationError, match="nothing after"):
        write_samples(tmp_path, 1, 0, doc_types=["birth"], year=2031)
    with pytest.raises(ConfigurationError, match="scan profiles"):
        write_samples(tmp_path, 1, 0, profile="realistic", year=2024)
