"""The quality gate on pages rendered here with Pillow, degraded the way scans are.

Pages are A4 at 300 dpi with 12 pt Vietnamese lines in DejaVu Serif, like the forms.
"""

import statistics
import time

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import quality
from ocr.quality import assess
from sohoa.samples.files import generate_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LINES = [
    "GIẤY KHAI SINH",
    "Họ, chữ đệm, tên: NGUYỄN THỊ HƯƠNG",
    "Ngày, tháng, năm sinh: 12/03/1987, ghi bằng chữ: Ngày mười hai tháng ba năm một nghìn",
    "chín trăm tám mươi bảy. Giới tính: Nữ   Dân tộc: Kinh   Quốc tịch: Việt Nam",
    "Nơi sinh: Trạm y tế xã Tân Phú, huyện Đồng Phú, tỉnh Bình Phước",
    "Quê quán: xã Hải Thanh, huyện Tĩnh Gia, tỉnh Thanh Hóa",
    "Số định danh cá nhân: 038187001234",
    "Họ, chữ đệm, tên người mẹ: TRẦN THỊ LAN    Năm sinh: 1962",
    "Họ, chữ đệm, tên người cha: NGUYỄN VĂN MINH    Năm sinh: 1960",
    "Nơi đăng ký: Ủy ban nhân dân xã Tân Phú, ngày 20 tháng 03 năm 1987",
    "Số: 125, Quyển số: 01/1987. Người đi khai sinh: NGUYỄN VĂN MINH, cha đẻ",
]
A4_300 = (2480, 3508)


def render_page(dpi: int = 300, lines: list[str] = LINES, size_mm=(210, 297)) -> np.ndarray:
    width, height = round(size_mm[0] / 25.4 * dpi), round(size_mm[1] / 25.4 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(12 / 72 * dpi))
    margin, step = round(dpi * 0.8), round(dpi * 0.32)
    for index, line in enumerate(lines * 3):  # three blocks fill the page like a form
        draw.text((margin, margin + index * step), line, fill=25, font=font)
    return np.asarray(image)


def yellowed(page: np.ndarray, seed: int = 0) -> np.ndarray:
    """Aged paper: a tint that darkens across the sheet, paper grain, ink faded to brown."""
    height, width = page.shape
    rng = np.random.default_rng(seed)
    across = np.linspace(0, 30, width, dtype=np.float32)[None, :]
    down = np.linspace(0, 15, height, dtype=np.float32)[:, None]
    coarse = rng.standard_normal((height // 4, width // 4), dtype=np.float32) * 6
    grain = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR)
    ink = (255 - page.astype(np.float32)) * 0.7
    return np.clip(225 - across - down + grain - ink, 0, 255).astype(np.uint8)


def low_contrast(page: np.ndarray) -> np.ndarray:
    return (150 + page.astype(np.float32) * 60 / 255).astype(np.uint8)  # ink 156, paper 210


def noisy(page: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(page.shape, dtype=np.float32) * sigma
    return np.clip(page + noise, 0, 255).astype(np.uint8)


def jpeg(page: np.ndarray, quality_level: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality_level])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def blurred(page: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(page, (0, 0), sigma)


def skewed(page: np.ndarray, degrees: float) -> np.ndarray:
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (width, height), borderValue=226)


def blank(seed: int = 0) -> np.ndarray:
    """A blank sheet as a scanner sees it: off-white, noise, a few dust specks."""
    page = np.full(A4_300[::-1], 246, np.uint8)
    rng = np.random.default_rng(seed)
    for _ in range(12):
        centre = (int(rng.integers(0, A4_300[0])), int(rng.integers(0, A4_300[1])))
        cv2.circle(page, centre, int(rng.integers(2, 7)), 70, -1)
    return noisy(page, 8, seed)


def photo_like(seed: int = 0, shape=(1600, 1200)) -> np.ndarray:
    """An outdoor snapshot: sky gradient, textured ground, objects, lens blur, sensor noise."""
    rng = np.random.default_rng(seed)
    height, width = shape
    ys = np.mgrid[0:height, 0:width][0].astype(np.float32)
    image = 200 - 80 * ys / height
    texture = cv2.GaussianBlur(rng.normal(0, 40, shape).astype(np.float32), (0, 0), 4)
    horizon = int(height * rng.uniform(0.4, 0.6))
    image[horizon:] = 90 + texture[horizon:]
    for _ in range(8):
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        axes = (
            int(rng.integers(width // 20, width // 5)),
            int(rng.integers(height // 20, height // 5)),
        )
        angle = float(rng.uniform(0, 180))
        cv2.ellipse(image, centre, axes, angle, 0, 360, float(rng.uniform(20, 230)), -1)
    image = cv2.GaussianBlur(image, (0, 0), 1.5) + rng.normal(0, 4, shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def drawing() -> np.ndarray:
    """A line drawing: a few thick strokes and circles, no writing."""
    page = np.full(A4_300[::-1], 250, np.uint8)
    rng = np.random.default_rng(3)
    for _ in range(10):
        start = (int(rng.integers(0, 2480)), int(rng.integers(0, 3508)))
        end = (int(rng.integers(0, 2480)), int(rng.integers(0, 3508)))
        cv2.line(page, start, end, 30, 8)
        centre = (int(rng.integers(0, 2480)), int(rng.integers(0, 3508)))
        cv2.circle(page, centre, int(rng.integers(100, 600)), 30, 6)
    return page


def on_scanner_bed(page: np.ndarray) -> np.ndarray:
    """A small certificate scanned with the lid open: half the image is black around it."""
    small = cv2.resize(page, None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA)
    out = np.full(page.shape, 15, np.uint8)
    out[200 : 200 + small.shape[0], 300 : 300 + small.shape[1]] = small
    return noisy(out, 4)


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return render_page()


@pytest.fixture(scope="module")
def old_page(page) -> np.ndarray:
    return yellowed(page)


READABLE = {
    "clean": lambda p: p,
    "yellowed": yellowed,
    "low contrast": low_contrast,
    "yellowed and faint": lambda p: low_contrast(yellowed(p)),
    "jpeg q15": lambda p: jpeg(p, 15),
    "scanner noise": lambda p: noisy(p, 14),
    "noise then jpeg": lambda p: jpeg(noisy(yellowed(p), 10), 30),
    "mild blur": lambda p: blurred(p, 1.5),
    "blur 3 px": lambda p: blurred(p, 3.0),
    "skew 4 degrees": lambda p: skewed(p, 4),
    "turned 90": lambda p: np.rot90(p, 1),
    "turned 180": lambda p: np.rot90(p, 2),
    "turned 270": lambda p: np.rot90(p, 3),
    "lid open": on_scanner_bed,
}


@pytest.mark.parametrize("degrade", READABLE.values(), ids=READABLE.keys())
def test_degraded_but_readable_pages_pass(page, degrade):
    report = assess(np.ascontiguousarray(degrade(page)), 300)
    assert report.reasons == []
    assert report.readable
    assert quality.MIN_SHARPNESS < report.sharpness <= 1.0


def test_lower_resolutions_pass():
    for dpi in (150, 200):
        report = assess(render_page(dpi), dpi)
        assert report.readable, (dpi, report.reasons)


def test_a_page_with_a_single_short_block_passes():
    report = assess(render_page(lines=LINES[:3]), 300)
    assert report.readable, report.reasons


def test_colour_input_is_judged_like_grayscale(old_page):
    colour = cv2.cvtColor(old_page, cv2.COLOR_GRAY2BGR)
    report = assess(colour, 300)
    assert report.readable
    assert report.sharpness == assess(old_page, 300).sharpness


def test_single_channel_input_works_and_other_dtypes_are_refused(old_page):
    assert assess(old_page[:, :, None], 300).readable
    with pytest.raises(TypeError, match="uint8"):
        assess(old_page.astype(np.float32), 300)


@pytest.mark.parametrize("seed", [0, 1])
def test_blank_sheet_with_scanner_noise_and_dust_is_blank(seed):
    report = assess(blank(seed), 300)
    assert not report.readable
    assert report.reasons == ["the page is blank"]


def test_blank_yellowed_sheet_is_blank():
    sheet = yellowed(np.full(A4_300[::-1], 255, np.uint8))
    assert assess(sheet, 300).reasons == ["the page is blank"]


def test_tiny_image_is_too_small_with_its_size():
    report = assess(np.full((80, 120), 255, np.uint8), None)
    assert not report.readable
    assert report.reasons == [
        "the image is too small to read (120×80 px); photograph the page from closer, or scan "
        "it at 200 dpi or more"
    ]


@pytest.mark.parametrize("width", [576, 720])
def test_small_pages_a_person_can_read_pass_whatever_their_dpi(page, width):
    # Letters at 576×960 and phone photos 720 px wide were turned away as too small;
    # a person reads them, and so does OCR once they are enlarged.
    small = cv2.resize(page, (width, round(width * 1.414)), interpolation=cv2.INTER_AREA)
    for dpi in (None, 72):
        assert assess(small, dpi).readable, (width, dpi)


def test_a_thumbnail_is_too_small(page):
    thumb = cv2.resize(page, (200, 283), interpolation=cv2.INTER_AREA)
    assert assess(thumb, 72).reasons[0].startswith("the image is too small to read (200×283")


def test_a_page_photographed_from_too_far_is_too_small(page):
    # ocr.capture measures a page found in a photo by its edges: an A4 page 300 px wide
    # comes to 36 dpi; the image itself may be large.
    assert "too small" in assess(page, 30).reasons[0]
    assert assess(page, 40).readable


def test_a_photo_taken_in_the_dark_is_too_dark(page):
    report = assess(page, None, light=20.0)
    assert report.reasons == ["the photo is too dark to read; take it again in better light"]
    assert assess(page, None, light=120.0).readable


def test_declared_dpi_alone_does_not_reject_a_big_image(page):
    assert assess(page, 72).readable  # writers often put 72 dpi in 300 dpi scans


@pytest.mark.parametrize("sigma", [9, 14, 24])
def test_heavily_blurred_page_is_rejected_as_blurred(old_page, sigma):
    # At 24 px no letter survives: the page must still be called blurred, not blank.
    report = assess(blurred(old_page, sigma), 300)
    assert not report.readable
    assert report.reasons == [
        "the page is too blurred to read; scan or photograph it again, flat and in focus"
    ]
    assert report.sharpness < quality.MIN_SHARPNESS


def test_sharpness_falls_as_blur_grows(page):
    scores = [assess(blurred(page, s) if s else page, 300).sharpness for s in (0, 3, 5, 7, 9)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0.9
    assert scores[-1] < 0.45


def test_blur_is_judged_relative_to_letter_size(page):
    # The same 3 px blur is mild on 300 dpi letters and ruinous at 100 dpi (letters 3x smaller):
    # sharpness must see the difference even though the pixel blur is identical.
    small = render_page(100)
    assert assess(blurred(page, 3), 300).sharpness > assess(blurred(small, 3), 100).sharpness + 0.3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_photo_is_not_a_document(seed):
    report = assess(photo_like(seed), None)
    assert not report.readable
    assert report.reasons == ["this does not look like a document page (photo or drawing)"]


def test_drawing_is_not_a_document():
    report = assess(drawing(), 300)
    assert report.reasons == ["this does not look like a document page (photo or drawing)"]


def test_gate_is_fast_on_an_a4_page_at_300_dpi(old_page):
    # The budget is 50 ms of CPU; CPU time (not wall time) because the test machine is
    # shared, and a loose bound so that only a real slowdown fails.
    assess(old_page, 300)
    timings = []
    for _ in range(5):
        start = time.process_time()
        assess(old_page, 300)
        timings.append(time.process_time() - start)
    assert statistics.median(timings) < 0.12


def test_generated_scans_pass_and_generated_rejects_fail_for_the_right_reason():
    # The page generator's own degradations (sohoa.samples), not just the ones above.
    for profile, seed in [("mixed", 11), ("harsh", 12)]:
        image, truth = generate_page("birth", seed, profile)
        report = assess(np.asarray(image.convert("L")), truth["dpi"])
        assert report.readable, (profile, seed, report.reasons, truth["degradations"])
    expected = {
        "blank": "the page is blank",
        "blurred": quality.BLURRED,
        "photo": "this does not look like a document page (photo or drawing)",
    }
    for kind, reason in expected.items():
        image, truth = generate_page(f"reject:{kind}", 5, dpi=200)  # 200 dpi: faster
        assert assess(np.asarray(image.convert("L")), truth["dpi"]).reasons == [reason]
