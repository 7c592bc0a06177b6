import hashlib

import numpy as np
import pytest
from PIL import Image, ImageFile

from ocr import loading
from ocr.errors import ConfigurationError, InputFileError
from ocr.loading import LoadedPage, iter_pages, sha256_of, sniff_format
from tests.ocr import badfiles


def _pages(path, name=None) -> list[LoadedPage]:
    return list(iter_pages(path, name))


def _refusal(path) -> str:
    """The message ``iter_pages`` refuses ``path`` with; fails the test if it does not."""
    with pytest.raises(InputFileError) as caught:
        _pages(path)
    assert type(caught.value) is InputFileError
    assert caught.value.exit_code == 2
    message = str(caught.value)
    assert message.startswith(path.name + ": "), message
    return message


# --- refused inputs -------------------------------------------------------------------


def test_empty_file_is_refused_as_interrupted_upload(tmp_path):
    message = _refusal(badfiles.empty_file(tmp_path))
    assert "empty (0 bytes)" in message
    assert "upload it again" in message


def test_truncated_png_is_refused_not_half_loaded(tmp_path):
    assert "incomplete or damaged" in _refusal(badfiles.truncated_png(tmp_path))


def test_truncated_jpeg_is_refused_not_half_loaded(tmp_path):
    assert "incomplete or damaged" in _refusal(badfiles.truncated_jpeg(tmp_path))


def test_text_file_named_jpg_is_refused_by_content(tmp_path):
    message = _refusal(badfiles.text_named_jpg(tmp_path))
    assert message == (
        "report.jpg: this is not an image or PDF (it looks like text). "
        "Re-scan the page or upload the original file."
    )


def test_encrypted_pdf_asks_for_unprotected_copy(tmp_path):
    message = _refusal(badfiles.encrypted_pdf(tmp_path))
    assert "password-protected; ask the sender for an unprotected copy" in message


def test_corrupt_pdf_is_refused_as_damaged(tmp_path):
    assert "PDF is damaged" in _refusal(badfiles.corrupt_pdf(tmp_path))


def test_a_pdf_without_pages_is_not_called_damaged(tmp_path):
    message = _refusal(badfiles.zero_page_pdf(tmp_path))
    assert "the PDF has no pages" in message and "damaged" not in message


def test_each_pdf_gets_its_own_reason_whatever_was_read_before(tmp_path):
    """PDFium keeps its last error code from one file to the next; a file that fails
    without a code of its own must not inherit the previous file's."""
    locked = badfiles.encrypted_pdf(tmp_path)
    empty = badfiles.zero_page_pdf(tmp_path)
    broken = badfiles.corrupt_pdf(tmp_path)
    order = [locked, empty, broken, locked, broken, empty, locked, empty]
    words = {locked: "password-protected", empty: "has no pages", broken: "damaged"}
    for path in order:
        message = _refusal(path)
        assert words[path] in message, (path.name, message)
        others = set(words.values()) - {words[path]}
        assert not any(w in message for w in others), (path.name, message)


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    path = badfiles.bomb_png(tmp_path)
    assert path.stat().st_size < 1_000_000  # the test itself must stay cheap
    assert "too large to open safely" in _refusal(path)


def test_image_over_the_cap_but_under_pillows_limit_is_refused(tmp_path):
    # 9200² = 85 MP: above our 80 MP cap, below the size at which Pillow even warns.
    assert Image.MAX_IMAGE_PIXELS > 9200**2
    message = _refusal(badfiles.bomb_png(tmp_path, side=9200))
    assert "9200×9200 px" in message


def test_one_pixel_image_is_refused_as_too_small(tmp_path):
    message = _refusal(badfiles.one_pixel_png(tmp_path))
    assert "1×1 px, too small to be a scanned page" in message


def test_unsupported_image_format_says_how_to_convert(tmp_path):
    path = tmp_path / "photo.png"
    badfiles.noisy_page().save(path, format="GIF")
    message = _refusal(path)
    assert "GIF image, which sohoa does not read" in message
    assert "PNG, JPEG, TIFF or PDF" in message


def test_office_document_is_named_in_the_message(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    assert "Word/Excel document" in _refusal(path)


def test_missing_file_and_folder_are_input_errors(tmp_path):
    assert "no such file" in _refusal(tmp_path / "gone.png")
    folder = tmp_path / "book1"
    folder.mkdir()
    assert "folder, not a file" in _refusal(folder)


def test_messages_use_the_given_upload_name(tmp_path):
    path = badfiles.empty_file(tmp_path, "tmp8c1f.bin")
    with pytest.raises(InputFileError, match=r"^0001\.tif: the file is empty"):
        _pages(path, name="0001.tif")


def test_multipage_tiff_yields_good_pages_before_a_damaged_one(tmp_path):
    whole = tmp_path / "book.tif"
    pages = [badfiles.noisy_page(seed=seed) for seed in range(3)]
    pages[0].save(whole, save_all=True, append_images=pages[1:])
    data = whole.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[: int(len(data) * 0.5)])  # page 2's pixels are cut off
    seen = []
    with pytest.raises(InputFileError, match=r"^cut\.tif: page 2 "):
        for page in iter_pages(cut):
            seen.append(page.number)
    assert seen == [1]


def test_truncated_images_switch_must_stay_off(tmp_path, monkeypatch):
    # Another library flipping Pillow's global switch cannot be caused any other way.
    path = tmp_path / "page.png"
    badfiles.noisy_page().save(path)
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ConfigurationError, match="LOAD_TRUNCATED_IMAGES"):
        _pages(path)


# --- formats and hashes ---------------------------------------------------------------


def test_sniff_format_reads_content_not_extension(tmp_path):
    image = badfiles.noisy_page(40, 40)
    expected = {"a.pdf": "PNG", "b.png": "JPEG", "c.jpg": "TIFF", "d.tif": "PDF"}
    for name, pillow_format in expected.items():
        image.save(tmp_path / name, format=pillow_format)
    assert [sniff_format(tmp_path / name) for name in expected] == ["png", "jpeg", "tiff", "pdf"]


def test_sha256_matches_hashlib(tmp_path):
    path = tmp_path / "x.bin"
    data = bytes(range(256)) * 9000  # spans several chunks
    path.write_bytes(data)
    assert sha256_of(path) == hashlib.sha256(data).hexdigest()
    assert sha256_of(path, chunk_size=1000) == hashlib.sha256(data).hexdigest()


# --- happy paths ----------------------------------------------------------------------


def test_png_page_size_dpi_and_pixels(tmp_path):
    path = tmp_path / "page.png"
    source = badfiles.noisy_page(300, 420)
    source.save(path, dpi=(300, 300))
    [page] = _pages(path)
    assert (page.number, page.image.shape, page.image.dtype, page.dpi) == (
        1,
        (420, 300),
        np.uint8,
        300,
    )
    assert np.array_equal(page.image, np.asarray(source))


def test_colour_jpeg_becomes_grayscale(tmp_path):
    path = tmp_path / "page.jpg"
    Image.new("RGB", (500, 700), (240, 230, 200)).save(path, dpi=(200, 200), quality=95)
    [page] = _pages(path)
    assert page.image.ndim == 2
    assert page.image.shape == (700, 500)
    assert page.dpi == 200
    assert abs(int(page.image.mean()) - 230) <= 2  # luma of the yellowish paper


@pytest.mark.parametrize("suffix", ["png", "jpg", "tif", "pdf"])
def test_colour_pages_stay_colour_for_the_reader(tmp_path, suffix):
    # The reader tells print from security paper, seals and signatures by colour.
    path = tmp_path / f"page.{suffix}"
    Image.new("RGB", (300, 400), (200, 30, 40)).save(path, resolution=100.0)
    [page] = list(iter_pages(path, colour=True))
    assert page.image.ndim == 3 and page.image.shape[2] == 3  # (PDF: rendered at 300 dpi)
    b, g, r = (int(v) for v in page.image.reshape(-1, 3).mean(axis=0))
    assert r > 180 and g < 60 and b < 70  # BGR, OpenCV's order
    [grey] = _pages(path)
    assert grey.image.ndim == 2  # everyone else still gets grey


def test_grey_pages_stay_grey_in_colour_mode(tmp_path):
    path = tmp_path / "page.png"
    badfiles.noisy_page(300, 420).save(path)
    [page] = list(iter_pages(path, colour=True))
    assert page.image.ndim == 2


def test_jpeg_exif_orientation_is_not_applied(tmp_path):
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    badfiles.noisy_page(400, 300).save(path, exif=exif)
    [page] = _pages(path)
    assert page.image.shape == (300, 400)  # pixels as stored: bbox refers to them


def test_jpeg_without_density_has_unknown_dpi(tmp_path):
    path = tmp_path / "page.jpg"
    badfiles.noisy_page(100, 100).save(path)
    assert _pages(path)[0].dpi is None


def test_transparent_png_background_is_white(tmp_path):
    path = tmp_path / "page.png"
    Image.new("RGBA", (64, 64), (0, 0, 0, 0)).save(path)
    assert _pages(path)[0].image.min() == 255


def test_16_bit_png_is_rescaled_not_clipped(tmp_path):
    path = tmp_path / "page.png"
    values = np.full((50, 60), 32768, dtype=np.uint16)
    Image.fromarray(values).save(path)
    assert abs(int(_pages(path)[0].image.mean()) - 128) <= 1


def test_single_page_tiff(tmp_path):
    path = tmp_path / "page.tif"
    badfiles.noisy_page(350, 500).convert("1").save(path, compression="group4", dpi=(400, 400))
    [page] = _pages(path)
    assert (page.number, page.image.shape, page.dpi) == (1, (500, 350), 400)
    assert set(np.unique(page.image)) <= {0, 255}


def test_multipage_tiff_pages_in_order_with_own_sizes(tmp_path):
    path = tmp_path / "book.tif"
    sizes = [(300, 400), (420, 310), (200, 250)]
    pages = [Image.new("L", size, 40 * index) for index, size in enumerate(sizes)]
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(300, 300))
    got = _pages(path)
    assert [page.number for page in got] == [1, 2, 3]
    assert [page.image.shape[::-1] for page in got] == sizes
    assert [int(page.image[0, 0]) for page in got] == [0, 40, 80]


def test_single_page_pdf_renders_at_300_dpi(tmp_path):
    path = tmp_path / "page.pdf"
    Image.new("L", (600, 800), 255).save(path, resolution=100)  # a 6×8 inch page
    [page] = _pages(path)
    assert page.dpi == 300
    height, width = page.image.shape
    assert abs(width - 1800) <= 1 and abs(height - 2400) <= 1  # PDFium rounds up


def test_multipage_pdf_page_count_and_content(tmp_path):
    path = tmp_path / "book.pdf"
    first, second = Image.new("L", (600, 800), 255), Image.new("L", (800, 600), 100)
    first.save(path, save_all=True, append_images=[second], resolution=200)
    got = _pages(path)
    assert [page.number for page in got] == [1, 2]
    assert got[0].image.shape[0] > got[0].image.shape[1]  # portrait
    assert got[1].image.shape[0] < got[1].image.shape[1]  # landscape
    assert int(got[0].image.mean()) == 255
    assert abs(int(got[1].image.mean()) - 100) <= 2


def test_huge_pdf_page_renders_at_lower_dpi_within_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "MAX_PAGE_PIXELS", 4_000_000)  # keeps the test small
    path = tmp_path / "poster.pdf"
    Image.new("L", (1000, 1000), 255).save(path, resolution=100)  # 10×10 inch
    [page] = _pages(path)
    assert page.dpi == 199  # sqrt(4 MP / 100 in²) = 200, less a safety margin
    assert page.image.size <= 4_000_000


def test_pdf_page_too_big_even_at_low_dpi_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "MAX_PAGE_PIXELS", 4_000_000)
    path = tmp_path / "banner.pdf"
    Image.new("L", (1000, 1000), 255).save(path, resolution=20)  # 50×50 inch
    assert "far larger than a document page" in _refusal(path)
