"""Pages of the form generations and copies that the sample generator does not make
yet, drawn with its layout machinery from the descriptions of real documents (issue
"Read real documents"): the 2020 birth form, extracts and their copies, an embassy's
extract, an official decision without a dossier code. Each test states its own truth.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.record import Source
from sohoa.samples.layout import Columns, Flow, Gap, Rule, Span, font, render

DPI = 300
A4 = (round(8.27 * DPI), round(11.69 * DPI))
MARGINS = (260, 200, 200, 180)
SOURCE = Source("test://form", 1, "0" * 64)
HEADER = [
    Flow([Span("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "header")], align="center"),
    Flow([Span("Độc lập - Tự do - Hạnh phúc", "header")], align="center"),
    Rule(0.35),
]


def line(*parts: str | tuple[str, str], align: str = "left", gap: float = 0.0) -> Flow:
    """One printed line: plain strings are labels (body), ("value", text) pairs values."""
    spans = []
    for part in parts:
        if isinstance(part, tuple):
            style, text = part
            spans.append(Span(text, style))
        else:
            spans.append(Span(part))
    return Flow(spans, align=align, space_before=gap)


def row(*pairs: tuple[str, str]) -> Flow:
    """'Label: value' pairs at the tab stops of one line (sex, ethnicity, nationality)."""
    tabs = [0.0, 0.33, 0.62]
    spans: list[Span] = []
    for (label, value), tab in zip(pairs, tabs, strict=False):
        spans += [Span(f"{label}:", tab=tab), Span(value, "value", nowrap=True)]
    return Flow(spans)


def header(agency: list[str], right_extra: list[Flow] | None = None) -> Columns:
    left = [Flow([Span(t, "bold")], align="center") for t in agency]
    return Columns([(0.0, 0.42, left), (0.38, 1.0, HEADER + (right_extra or []))])


def title(text: str, subtitle: str | None = None) -> list:
    out: list = [Flow([Span(text, "title")], align="center", space_before=0.6)]
    if subtitle:
        out.append(Flow([Span(subtitle, "bold")], align="center"))
    return [*out, Gap(0.4)]


def signature(heading: str, signer: str) -> Columns:
    right = [
        Flow([Span(heading, "bold")], align="center", space_before=0.5),
        Flow([Span("(Ký, ghi rõ họ, chữ đệm, tên, chức vụ, đóng dấu)", "small")], align="center"),
        Gap(3.0, anchor="signature"),
        Flow([Span(signer, "bold")], align="center"),
    ]
    return Columns([(0.0, 0.45, []), (0.45, 1.0, right)])


def draw(blocks: list, body_pt: float = 12.5) -> tuple[Image.Image, dict]:
    rendered = render(blocks, A4, MARGINS, "liberation-serif", body_pt * DPI / 72, 1.6)
    return rendered.image, rendered.anchors


def copy_stamp(image: Image.Image, xy: tuple[int, int], text: str = "BẢN SAO") -> None:
    """A rectangular red "BẢN SAO" stamp, as clerks stamp a copy, at the top right."""
    ink = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(ink)
    fnt = font("liberation-serif", "bold", 70)
    x0, y0, x1, y1 = pen.textbbox(xy, text, font=fnt)
    pen.rectangle((x0 - 25, y0 - 20, x1 + 25, y1 + 20), outline=(200, 30, 40, 230), width=8)
    pen.text(xy, text, font=fnt, fill=(200, 30, 40, 230))
    image.paste(ink, (0, 0), ink)


def handwrite(image: Image.Image, box: tuple[int, int, int, int], seed: int) -> None:
    """Blue pen scribbles filling ``box``: a value written in by hand that no printed-
    text reader makes out, but that a person sees is there."""
    rng = random.Random(seed)
    pen = ImageDraw.Draw(image)
    x0, y0, x1, y1 = box
    x = x0
    while x < x1 - 20:
        points = []
        width = rng.randint(40, 90)
        for k in range(9):
            px = x + width * k / 8
            py = rng.uniform(y0 + 5, y1 - 5)
            points.append((px, py))
        pen.line(points, fill=(30, 40, 150), width=5, joint="curve")
        x += width + rng.randint(15, 30)


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def text_width(text: str, style: str = "body", body_pt: float = 12.5) -> float:
    fnt: ImageFont.FreeTypeFont = font(
        "liberation-serif", "bold" if style == "bold" else "regular", round(body_pt * DPI / 72)
    )
    return fnt.getlength(text)


# Digits as a hand writes them: each a few pen strokes through points of a unit box
# (x right, y down), drawn with a wobble, a slant and a ball-pen's blue.
_STROKES: dict[str, list[list[tuple[float, float]]]] = {
    "0": [
        [
            (0.5, 0),
            (0.15, 0.2),
            (0.1, 0.6),
            (0.35, 1),
            (0.7, 0.95),
            (0.9, 0.5),
            (0.8, 0.1),
            (0.5, 0),
        ]
    ],
    "1": [[(0.25, 0.25), (0.6, 0), (0.55, 1)]],
    "2": [[(0.1, 0.25), (0.4, 0), (0.8, 0.1), (0.8, 0.4), (0.1, 1), (0.95, 0.98)]],
    "3": [[(0.1, 0.1), (0.7, 0), (0.75, 0.3), (0.35, 0.5), (0.85, 0.7), (0.6, 1), (0.1, 0.9)]],
    "4": [[(0.65, 1), (0.65, 0), (0.05, 0.7), (0.95, 0.7)]],
    "5": [[(0.85, 0), (0.2, 0), (0.15, 0.45), (0.7, 0.45), (0.85, 0.75), (0.55, 1), (0.1, 0.9)]],
    "6": [[(0.75, 0), (0.25, 0.35), (0.15, 0.8), (0.45, 1), (0.8, 0.8), (0.7, 0.5), (0.2, 0.6)]],
    "7": [[(0.05, 0.05), (0.9, 0.05), (0.35, 1)]],
    "8": [
        [(0.5, 0.5), (0.15, 0.25), (0.5, 0), (0.85, 0.25), (0.5, 0.5)],
        [(0.5, 0.5), (0.1, 0.75), (0.5, 1), (0.9, 0.75), (0.5, 0.5)],
    ],
    "9": [[(0.8, 0.35), (0.5, 0.55), (0.2, 0.35), (0.45, 0), (0.8, 0.2), (0.75, 0.6), (0.5, 1)]],
}


def write_digits(
    image: Image.Image, xy: tuple[int, int], digits: str, height: int, seed: int
) -> tuple[int, int, int, int]:
    """Write ``digits`` by hand at ``xy`` (top left), ``height`` px tall; returns the box."""
    rng = random.Random(seed)
    pen = ImageDraw.Draw(image)
    x, y = xy
    slant = rng.uniform(0.05, 0.25)
    width = max(3, round(height / 11))
    x0, x1 = x, x
    for d in digits:
        w = height * rng.uniform(0.5, 0.62)
        h = height * rng.uniform(0.9, 1.08)
        top = y + rng.uniform(-0.06, 0.06) * height
        for stroke in _STROKES[d]:
            points = [
                (
                    x + px * w + (1 - py) * slant * h + rng.uniform(-0.03, 0.03) * h,
                    top + py * h + rng.uniform(-0.03, 0.03) * h,
                )
                for px, py in stroke
            ]
            pen.line(points, fill=(25, 45, 160), width=width, joint="curve")
        x1 = round(x + w + slant * h)
        x += round(w + rng.uniform(0.15, 0.3) * height)
    return x0, round(y - 0.1 * height), x1, round(y + 1.1 * height)


# Typed stand-ins as wide as the gap a typist leaves for a number or day written in later.
NUMBER_GAP, DAY_GAP = "474747", "1717"


def decision(
    number: str = "47",
    day: str = "17",
    month: str = "01",
    *,
    applicant: tuple[str, str] | None = ("Họ và tên: ", "NGUYỄN VĂN TÂM"),
) -> list:
    """A provincial committee's decision in the standard layout, without "Mã hồ sơ".

    The number and the day are spans of their own (``number_slot``, ``day_slot``), so
    that :func:`handwritten` can erase them and write digits by hand in their place.
    """
    left = [
        Flow([Span("ỦY BAN NHÂN DÂN", "bold")], align="center"),
        Flow([Span("TỈNH QUẢNG NGÃI", "bold")], align="center"),
        Gap(0.2),
        Flow(
            [
                Span("Số:"),
                Span(number, field="number_slot"),
                Span("/QĐ-UBND", glue=True),
            ],
            align="center",
        ),
    ]
    right = [
        *HEADER,
        Gap(0.2),
        Flow(
            [
                Span("Quảng Ngãi, ngày", "italic"),
                Span(day, "italic", field="day_slot"),
                Span(f"tháng {month} năm 2025", "italic"),
            ],
            align="center",
        ),
    ]
    blocks: list = [
        Columns([(0.0, 0.42, left), (0.36, 1.0, right)]),
        Flow([Span("QUYẾT ĐỊNH", "title")], align="center", space_before=0.8),
        Flow([Span("Về việc cấp giấy phép xây dựng nhà ở riêng lẻ", "bold")], align="center"),
        Gap(0.4),
        Flow([Span("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "bold")], align="center"),
        Flow(
            [
                Span(
                    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                    "italic",
                )
            ]
        ),
        Flow(
            [
                Span(
                    "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014; Xét đề nghị của Giám đốc "
                    "Sở Xây dựng,",
                    "italic",
                )
            ]
        ),
        Flow([Span("QUYẾT ĐỊNH:", "bold")], align="center", space_before=0.3),
        Flow([Span("Điều 1.", "bold"), Span("Cấp giấy phép xây dựng cho:")]),
    ]
    if applicant:
        blocks.append(
            Flow([Span(applicant[0]), Span(applicant[1], "bold", field="applicant_slot")])
        )
    blocks += [
        Flow([Span("Địa chỉ: "), Span("Thôn 3, xã Hành Thuận, huyện Nghĩa Hành, tỉnh Quảng Ngãi")]),
        Flow(
            [
                Span("Điều 2.", "bold"),
                Span("Quyết định này có hiệu lực kể từ ngày ký./."),
            ]
        ),
        signature("KT. CHỦ TỊCH", "Trần Phước Hiền"),
    ]
    return blocks


def handwritten(blocks: list, written: dict[str, str], seed: int = 5) -> Image.Image:
    """The page with the typed spans named in ``written`` (``number_slot``, ``day_slot``)
    erased and their digits written in by hand over the typed line, as a clerk numbers
    and dates a decision after it is signed."""
    rendered = render(blocks, A4, MARGINS, "liberation-serif", 12.5 * DPI / 72, 1.6)
    image = rendered.image
    pen = ImageDraw.Draw(image)
    for n, (slot, digits) in enumerate(written.items()):
        x0, y0, x1, y1 = rendered.boxes[slot]
        pen.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill="white")
        height = round((y1 - y0) * 1.35)
        write_digits(image, (x0 + 4, y0 - round(0.15 * height)), digits, height, seed + n)
    return image


def render_boxes(blocks: list) -> tuple[Image.Image, dict[str, list[int]]]:
    """The page and the boxes of its spans that name a field."""
    rendered = render(blocks, A4, MARGINS, "liberation-serif", 12.5 * DPI / 72, 1.6)
    return rendered.image, rendered.boxes
