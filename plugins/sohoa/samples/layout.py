"""A tiny flow layout for forms: labelled values that wrap, tab stops, columns, leaders.

Pages are described as blocks (:class:`Flow`, :class:`Gap`, :class:`Rule`,
:class:`Columns`) and drawn with Pillow. Every word that belongs to a truth field is
measured with ``textbbox`` as it is drawn, so the truth box is the union of the ink
boxes of exactly the value's words (never the label or the leader dots).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ocr.errors import MissingDependencyError

FONT_DIR = "/usr/share/fonts/truetype"
FAMILIES: dict[str, dict[str, str]] = {
    "liberation-serif": {
        "regular": f"{FONT_DIR}/liberation2/LiberationSerif-Regular.ttf",
        "bold": f"{FONT_DIR}/liberation2/LiberationSerif-Bold.ttf",
        "italic": f"{FONT_DIR}/liberation2/LiberationSerif-Italic.ttf",
    },
    "dejavu-serif": {
        "regular": f"{FONT_DIR}/dejavu/DejaVuSerif.ttf",
        "bold": f"{FONT_DIR}/dejavu/DejaVuSerif-Bold.ttf",
        "italic": f"{FONT_DIR}/dejavu/DejaVuSerif-Italic.ttf",
    },
    "dejavu-sans": {
        "regular": f"{FONT_DIR}/dejavu/DejaVuSans.ttf",
        "bold": f"{FONT_DIR}/dejavu/DejaVuSans-Bold.ttf",
        "italic": f"{FONT_DIR}/dejavu/DejaVuSans-Oblique.ttf",
    },
}
# Values on old forms were often typed on a typewriter over the printed form.
TYPEWRITER = {
    "regular": f"{FONT_DIR}/liberation2/LiberationMono-Regular.ttf",
    "bold": f"{FONT_DIR}/liberation2/LiberationMono-Bold.ttf",
    "italic": f"{FONT_DIR}/liberation2/LiberationMono-Italic.ttf",
}
# Faces the reader was never tuned on (Debian packages fonts-noto-core, fonts-freefont-ttf,
# fonts-crosextra-carlito, fonts-open-sans, fonts-roboto-unhinted), for the realistic
# profile. Each covers Vietnamese; URW base35 and Caladea lack its letters and are left out.
UNSEEN_FAMILIES: dict[str, dict[str, str]] = {
    "noto-serif": {
        "regular": f"{FONT_DIR}/noto/NotoSerif-Regular.ttf",
        "bold": f"{FONT_DIR}/noto/NotoSerif-Bold.ttf",
        "italic": f"{FONT_DIR}/noto/NotoSerif-Italic.ttf",
    },
    "noto-sans": {
        "regular": f"{FONT_DIR}/noto/NotoSans-Regular.ttf",
        "bold": f"{FONT_DIR}/noto/NotoSans-Bold.ttf",
        "italic": f"{FONT_DIR}/noto/NotoSans-Italic.ttf",
    },
    "free-serif": {
        "regular": f"{FONT_DIR}/freefont/FreeSerif.ttf",
        "bold": f"{FONT_DIR}/freefont/FreeSerifBold.ttf",
        "italic": f"{FONT_DIR}/freefont/FreeSerifItalic.ttf",
    },
    "free-sans": {
        "regular": f"{FONT_DIR}/freefont/FreeSans.ttf",
        "bold": f"{FONT_DIR}/freefont/FreeSansBold.ttf",
        "italic": f"{FONT_DIR}/freefont/FreeSansOblique.ttf",
    },
    "carlito": {
        "regular": f"{FONT_DIR}/crosextra/Carlito-Regular.ttf",
        "bold": f"{FONT_DIR}/crosextra/Carlito-Bold.ttf",
        "italic": f"{FONT_DIR}/crosextra/Carlito-Italic.ttf",
    },
    "open-sans": {
        "regular": f"{FONT_DIR}/open-sans/OpenSans-Regular.ttf",
        "bold": f"{FONT_DIR}/open-sans/OpenSans-Bold.ttf",
        "italic": f"{FONT_DIR}/open-sans/OpenSans-Italic.ttf",
    },
    "roboto": {
        "regular": f"{FONT_DIR}/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
        "bold": f"{FONT_DIR}/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf",
        "italic": f"{FONT_DIR}/roboto/unhinted/RobotoTTF/Roboto-Italic.ttf",
    },
}
UNSEEN_TYPEWRITER = {
    "regular": f"{FONT_DIR}/freefont/FreeMono.ttf",
    "bold": f"{FONT_DIR}/freefont/FreeMonoBold.ttf",
    "italic": f"{FONT_DIR}/freefont/FreeMonoOblique.ttf",
}
_FONT_FILES = {
    **FAMILIES,
    "typewriter": TYPEWRITER,
    **UNSEEN_FAMILIES,
    "free-mono": UNSEEN_TYPEWRITER,
}
# style -> (face, size relative to body text); "typed*" styles use the typewriter face
STYLES: dict[str, tuple[str, float]] = {
    "body": ("regular", 1.0),
    "value": ("regular", 1.0),
    "name": ("bold", 1.0),
    "bold": ("bold", 1.0),
    "header": ("bold", 1.0),
    "title": ("bold", 1.45),
    "subtitle": ("bold", 1.1),
    "italic": ("italic", 1.0),
    "small": ("italic", 0.85),
    "typed": ("regular", 1.0),
    "typed_bold": ("bold", 1.0),
}
LINE_SPACING = 1.55
INK = (18, 18, 18)
VALUE_INK = (28, 28, 40)


@dataclass
class Span:
    text: str
    style: str = "body"
    field: str | None = None  # truth field this text is the value of
    tab: float | None = None  # start at this fraction of the region width
    newline: bool = False  # start on a new line (a value printed below its label)
    leader: bool = False  # dotted leader to the end of the line; ``text`` is ignored
    nowrap: bool = False  # never break inside (dates, numbers)
    glue: bool = False  # no space before (punctuation after a value)
    hand: bool = False  # left blank for handwriting: measured, not drawn (anchor "hand:FIELD")


@dataclass
class Flow:
    spans: list[Span]
    align: str = "left"  # left | center | right
    indent: float = 0.0  # continuation lines start this many em in
    space_before: float = 0.0  # extra space above, in line heights
    anchor: str | None = None


@dataclass
class Gap:
    lines: float
    anchor: str | None = None


@dataclass
class Rule:
    """A short centred line, as printed under the national motto."""

    width_frac: float = 0.3


@dataclass
class Columns:
    parts: list[tuple[float, float, list]]  # (left fraction, right fraction, blocks)


@dataclass
class Rendered:
    image: Image.Image
    boxes: dict[str, list[int]] = field(default_factory=dict)  # field -> [x0, y0, x1, y1]
    anchors: dict[str, list[int]] = field(default_factory=dict)
    bottom: int = 0  # lowest y used by content


@lru_cache(maxsize=64)
def font(family: str, face: str, size_px: int) -> ImageFont.FreeTypeFont:
    path = _FONT_FILES[family][face]
    try:
        return ImageFont.truetype(path, size_px)
    except OSError as exc:
        raise MissingDependencyError(
            f"font {path} is missing; run scripts/setup.sh (it installs the Debian font packages)"
        ) from exc


@dataclass
class _Word:
    x: float
    text: str
    style: str
    field: str | None
    hand: bool = False


class Painter:
    """Draws blocks top to bottom on one page; ``measure_only`` skips the drawing."""

    def __init__(
        self,
        image: Image.Image,
        family: str,
        body_px: float,
        *,
        spacing: float = LINE_SPACING,
        measure_only: bool = False,
        typewriter: str = "typewriter",
    ):
        self.image = image
        self.typewriter = typewriter
        self.spacing = spacing
        self.draw = ImageDraw.Draw(image)
        self.family = family
        self.body_px = body_px
        self.measure_only = measure_only
        self.boxes: dict[str, list[int]] = {}
        self.anchors: dict[str, list[int]] = {}

    def _font(self, style: str) -> ImageFont.FreeTypeFont:
        face, rel = STYLES[style]
        family = self.typewriter if style.startswith("typed") else self.family
        return font(family, face, round(self.body_px * rel))

    def _line_height(self, styles: set[str]) -> float:
        rel = max(STYLES[s][1] for s in styles) if styles else 1.0
        return self.body_px * rel * self.spacing

    def blocks(self, blocks: list, x0: float, x1: float, y: float) -> float:
        for block in blocks:
            y = self.block(block, x0, x1, y)
        return y

    def block(self, block, x0: float, x1: float, y: float) -> float:
        if isinstance(block, Gap):
            y1 = y + block.lines * self._line_height({"body"})
            if block.anchor:
                self.anchors[block.anchor] = [round(x0), round(y), round(x1), round(y1)]
            return y1
        if isinstance(block, Rule):
            mid = (x0 + x1) / 2
            half = (x1 - x0) * block.width_frac / 2
            if not self.measure_only:
                width = max(1, round(self.body_px / 14))
                self.draw.line([(mid - half, y + 2), (mid + half, y + 2)], fill=INK, width=width)
            return y + self.body_px * 0.6
        if isinstance(block, Columns):
            bottom = y
            for left, right, inner in block.parts:
                span = x1 - x0
                bottom = max(bottom, self.blocks(inner, x0 + left * span, x0 + right * span, y))
            return bottom
        return self._flow(block, x0, x1, y)

    def _wrap(self, flow: Flow, width: float) -> list[list[_Word]]:
        lines: list[list[_Word]] = [[]]
        x = 0.0
        indent = flow.indent * self.body_px
        for span in flow.spans:
            fnt = self._font(span.style)
            space = fnt.getlength(" ")
            if span.newline and lines[-1]:
                lines.append([])
                x = indent
            if span.tab is not None and x < span.tab * width:
                x = span.tab * width
            elif lines[-1] and not span.glue:
                x += space
            if span.leader:
                dot = fnt.getlength(".")
                count = int((width - x) / dot) - 1
                if count >= 3:
                    lines[-1].append(_Word(x, "." * count, span.style, None))
                    x += dot * count
                continue
            tokens = [span.text] if span.nowrap else span.text.split()
            for i, token in enumerate(tokens):
                w = fnt.getlength(token)
                gap = space if i else 0.0
                if x + gap + w > width and lines[-1]:
                    lines.append([])
                    x, gap = indent, 0.0
                lines[-1].append(_Word(x + gap, token, span.style, span.field, span.hand))
                x += gap + w
        return [line for line in lines if line]

    def _flow(self, flow: Flow, x0: float, x1: float, y: float) -> float:
        y += flow.space_before * self._line_height({"body"})
        top = y
        ink_x0, ink_x1 = x1, x0
        for line in self._wrap(flow, x1 - x0):
            last = line[-1]
            line_w = last.x + self._font(last.style).getlength(last.text)
            offset = {"left": 0.0, "center": (x1 - x0 - line_w) / 2, "right": x1 - x0 - line_w}
            dx = x0 + offset[flow.align]
            ink_x0, ink_x1 = min(ink_x0, dx), max(ink_x1, dx + line_w)
            for word in line:
                fnt = self._font(word.style)
                pos = (round(dx + word.x), round(y))
                if word.hand:
                    # The blank a hand fills in: as wide as the text, as high as the line.
                    x_end = pos[0] + fnt.getlength(word.text)
                    slot_top, slot_bottom = self.draw.textbbox(pos, "0", font=fnt)[1::2]
                    slot = [pos[0], slot_top, round(x_end), slot_bottom]
                    self.anchors[f"hand:{word.field}"] = slot
                    continue
                if not self.measure_only:
                    ink = VALUE_INK if word.field else INK
                    self.draw.text(pos, word.text, font=fnt, fill=ink)
                if word.field:
                    box = list(self.draw.textbbox(pos, word.text, font=fnt))
                    old = self.boxes.get(word.field)
                    if old:
                        box = [
                            min(old[0], box[0]),
                            min(old[1], box[1]),
                            max(old[2], box[2]),
                            max(old[3], box[3]),
                        ]
                    self.boxes[word.field] = box
            y += self._line_height({w.style for w in line})
        if flow.anchor:
            self.anchors[flow.anchor] = [round(x0), round(top), round(x1), round(y)]
            # Where the text itself runs, for marks placed beside it (a "BẢN SAO" stamp).
            self.anchors[f"{flow.anchor}:ink"] = [
                round(ink_x0),
                round(top),
                round(ink_x1),
                round(y),
            ]
        return y


def render(
    blocks: list,
    size: tuple[int, int],
    margins: tuple[int, int, int, int],
    family: str,
    body_px: float,
    spacing: float = LINE_SPACING,
    typewriter: str = "typewriter",
) -> Rendered:
    """Draw ``blocks`` on a white page; ``margins`` are (left, top, right, bottom) pixels.

    Shrinks the type until everything fits above the bottom margin, as a clerk would pick
    a smaller font for a long record.
    """
    left, top, right, bottom = margins
    width, height = size
    for _ in range(8):
        probe = Painter(
            Image.new("RGB", (8, 8), "white"),
            family,
            body_px,
            spacing=spacing,
            measure_only=True,
            typewriter=typewriter,
        )
        end = probe.blocks(blocks, left, width - right, top)
        if end <= height - bottom:
            break
        body_px *= 0.95
        spacing = max(1.3, spacing * 0.95)
    image = Image.new("RGB", size, "white")
    painter = Painter(image, family, body_px, spacing=spacing, typewriter=typewriter)
    end = painter.blocks(blocks, left, width - right, top)
    return Rendered(image, painter.boxes, painter.anchors, round(end))
