"""The realistic profile as a whole: seals over the last lines, files as phones write them."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sohoa.samples import DOC_TYPES, load_truth, write_samples
from sohoa.samples.realistic import NAME_FIELDS, render_realistic


def test_a_seal_may_sit_over_values_and_the_truth_says_which():
    for seed in range(40):
        img, truth = render_realistic("birth", seed, captured_as="scan", dpi=100)
        covered = truth["marks"].get("under_seal")
        if not covered:
            continue
        arr = np.asarray(img, dtype=np.int16)
        red = (arr[..., 0] - arr[..., 2] > 50) & (arr[..., 0] - arr[..., 1] > 50)
        x0, y0, w, h = truth["seal"]  # the seal's box, moved with the page like the values'
        x1, y1 = x0 + w, y0 + h
        assert red[y0:y1, x0:x1].mean() > 0.01
        name = covered[0]
        assert name in truth["fields"]  # the value stays what was printed under the seal
        bx, by, bw, bh = truth["boxes"][name]
        assert bx < x1 and x0 < bx + bw and by < y1 and y0 < by + bh
        return
    pytest.fail("no seal over a value in 40 seeds")


def test_truth_marks_every_name_in_or_out_of_the_lexicon():
    _, truth = render_realistic("marriage", 3, captured_as="scan", dpi=72)
    names = {k for k in truth["fields"] if k in NAME_FIELDS}
    assert names and set(truth["name_sources"]) == names
    assert set(truth["name_sources"].values()) <= {"lexicon", "held_out"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("realistic")
    return write_samples(out, 8, 17, profile="realistic", formats=("tiff", "pdf"))


def test_realistic_files_are_written_as_a_phone_or_a_scanner_would(written):
    seen_types = set()
    for path in written:
        page = load_truth(path)["pages"][0]
        seen_types.add(page["doc_type"])
        kind = page["capture"]["capture"]
        expected = {"photo": ".jpg", "screenshot": ".png"}.get(kind, path.suffix)
        assert path.suffix == expected, (path.name, kind)
        if kind != "scan":
            assert path.suffix in (".jpg", ".png")
            with Image.open(path) as img:
                assert list(img.size) == page["capture"]["frame"]
        else:
            assert path.suffix in (".tif", ".pdf")
    assert seen_types == set(DOC_TYPES)


def test_a_realistic_file_of_several_pages_is_a_scanned_book(tmp_path):
    (path,) = write_samples(
        tmp_path, 1, 3, profile="realistic", formats=("tiff",), pages_per_file=2, dpi=100
    )
    pages = load_truth(path)["pages"]
    assert [p["capture"]["capture"] for p in pages] == ["scan", "scan"]
    assert {p["dpi"] for p in pages} == {100}
