"""The ``realistic`` profile: pages as the archive clerk actually has them (issue 18).

Compared with the classic profiles (``clean``, ``mixed``, ``harsh``), which the reader was
tuned on, a realistic page:

- is a phone photo (about half), a flatbed scan or a screenshot of an electronic copy;
- is printed on green security paper when it is a certificate;
- uses names the corrector's lexicon does not hold (:data:`lexicon.HELD_OUT` shares);
- uses the old tone placement (HOÀ, THUỶ) on about a quarter of pages, throughout;
- is set in faces the reader has not seen, with other margins, spacing and columns;
- carries a seal and a signature that may touch the last lines.

Everything drawn is described in the truth, so the benchmark can break its figures down.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

import numpy as np
from PIL import Image

from ocr import doctypes
from sohoa.samples import (
    capture,
    degrade,
    documents,
    facts,
    generations,
    handwriting,
    lexicon,
    marks,
    paper,
    tones,
)
from sohoa.samples.layout import FAMILIES, UNSEEN_FAMILIES, Columns, Flow, render

A4_INCHES = (8.27, 11.69)
CAPTURE_SHARES = {"photo": 0.5, "scan": 0.4, "screenshot": 0.1}
OLD_TONE_SHARE = 0.25
PHONE_DPI = 72
UNSEEN_FONT_SHARE = 0.75
# How often a certificate is on security paper (other types never are).
SECURITY_PAPER = {"birth": 0.95, "marriage": 0.9, "death": 0.6}
CERTIFICATES = doctypes.certificate_names()
NAME_FIELDS = (
    "full_name",
    "mother_name",
    "father_name",
    "husband_full_name",
    "wife_full_name",
    "applicant_name",
)


@dataclass(frozen=True)
class Style:
    """How one realistic page is set, printed and captured (drawn before the content)."""

    capture: str
    old_tones: bool
    family: str
    typewriter: str
    security_paper: bool
    margins_cm: tuple[float, float, float, float]  # left, top, right, bottom
    body_pt: float
    spacing: float
    tab_scale: float = 1.0  # row tab stops (Giới tính / Dân tộc / Quốc tịch) stretched
    value_tab: float | None = None  # values aligned in a column at this share of the width

    def as_dict(self) -> dict:
        return asdict(self)


def draw_style(doc_type: str, rng: random.Random) -> Style:
    roll, capture_kind = rng.random(), "scan"
    for kind, share in CAPTURE_SHARES.items():
        if roll < share:
            capture_kind = kind
            break
        roll -= share
    unseen = rng.random() < UNSEEN_FONT_SHARE
    family = rng.choice(sorted(UNSEEN_FAMILIES) if unseen else sorted(FAMILIES))
    return Style(
        capture=capture_kind,
        old_tones=rng.random() < OLD_TONE_SHARE,
        family=family,
        typewriter="free-mono" if rng.random() < 0.6 else "typewriter",
        # An electronic copy is a file: no paper to print on.
        security_paper=capture_kind != "screenshot"
        and rng.random() < SECURITY_PAPER.get(doc_type, 0.0),
        margins_cm=(
            round(rng.uniform(1.8, 3.2), 2),
            round(rng.uniform(1.2, 2.5), 2),
            round(rng.uniform(1.2, 2.2), 2),
            round(rng.uniform(1.2, 2.0), 2),
        ),
        body_pt=round(rng.uniform(12.0, 14.5), 2),
        spacing=round(rng.uniform(1.25, 1.9), 2),
        tab_scale=round(rng.uniform(0.85, 1.2), 2),
        value_tab=round(rng.uniform(0.3, 0.45), 2) if rng.random() < 0.35 else None,
    )


def _restyle(blocks: list, fn) -> None:
    """Apply ``fn`` to the text of every span, in columns too."""
    for block in blocks:
        if isinstance(block, Flow):
            for span in block.spans:
                span.text = fn(span.text)
        elif isinstance(block, Columns):
            for _, _, inner in block.parts:
                _restyle(inner, fn)


def _abbreviated(blocks: list) -> set[str]:
    """Fields printed with "UBND": the words it stands for are not printed, so their
    spelling in the truth keeps the usual placement ("Ủy ban nhân dân") on any page."""
    found: set[str] = set()
    for block in blocks:
        if isinstance(block, Columns):
            for _, _, inner in block.parts:
                found |= _abbreviated(inner)
        elif isinstance(block, Flow):
            found |= {s.field for s in block.spans if s.field and s.text.startswith("UBND")}
    return found


def _vary_layout(blocks: list, style: Style, top: bool = True) -> None:
    """Other column positions than the forms the reader was tuned on: row tab stops
    stretched, and on some pages every value aligned in a column after its label."""
    for block in blocks:
        if isinstance(block, Columns):
            for _, _, inner in block.parts:
                _vary_layout(inner, style, top=False)
            continue
        if not isinstance(block, Flow):
            continue
        for span in block.spans:
            if span.tab:
                span.tab = min(0.78, span.tab * style.tab_scale)
        first, *rest = block.spans
        if (
            top
            and style.value_tab
            and rest
            and first.text.endswith(":")
            and rest[0].field
            and not rest[0].newline
            and rest[0].tab is None
            and all(s.tab is None for s in rest)
        ):
            rest[0].tab = style.value_tab


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _seal(
    image: Image.Image,
    doc: documents.Document,
    anchors: dict,
    boxes: dict,
    rng: random.Random,
    dpi: int,
    family: str,
) -> dict:
    """Seal over the left of the signature space; on about a third of pages it reaches
    up into the last lines. Returns what it covers, for the truth."""
    area = anchors.get("signature")
    if not area:
        return {}
    radius = dpi * rng.uniform(0.6, 0.75)
    touching = rng.random() < 0.35
    if touching:
        # Up over the signer's heading into the last lines, as a hurried clerk stamps.
        cx = area[0] + (area[2] - area[0]) * rng.uniform(-0.15, 0.25)
        cy = area[1] - radius * rng.uniform(0.5, 1.3)
    else:
        cx = area[0] + (area[2] - area[0]) * rng.uniform(0.1, 0.35)
        cy = (area[1] + area[3]) / 2 + rng.uniform(-0.1, 0.1) * dpi
        for _ in range(20):
            ring = [cx - radius, cy - radius, cx + radius, cy + radius]
            if not any(_overlaps(ring, b) for b in boxes.values()):
                break
            cy += radius * 0.15
    marks.stamp(image, (cx, cy), radius, doc.stamp_text, rng, family)
    ring = [cx - radius, cy - radius, cx + radius, cy + radius]
    return {
        "seal": ring,
        "under_seal": sorted(k for k, b in boxes.items() if _overlaps(ring, b)),
    }


def _signature(image: Image.Image, anchors: dict, rng: random.Random, dpi: int) -> None:
    """The blue signature; sometimes it starts high, over the heading above it."""
    area = anchors.get("signature")
    if not area:
        return
    x0, y0, x1, y1 = area
    lift = (y1 - y0) * rng.uniform(0.0, 0.45) if rng.random() < 0.4 else 0.0
    marks.signature(image, [x0, round(y0 - lift), x1, round(y1 - lift)], rng, dpi)


def _qr(
    image: Image.Image, payload: str, margins: tuple, bottom: int, dpi: int, rng: random.Random
) -> list[float] | None:
    """Bottom left, into the margin if need be; top right in the margin if no room."""
    w, h = image.size
    room = h - bottom - dpi * 0.25
    side = round(min(dpi * rng.uniform(0.75, 1.0), room))
    if side >= dpi * 0.55:
        spot = (margins[0], h - side - round(dpi * 0.15))
    else:
        side = round(min(dpi * 0.6, margins[1] - dpi * 0.1))
        if side < dpi * 0.45:
            return None
        spot = (w - margins[2] - side, round(dpi * 0.08))
    return [float(v) for v in marks.qr_code(image, payload, (*spot, side))]


def _write_by_hand(
    image: Image.Image, doc: documents.Document, anchors: dict, boxes: dict, rng: random.Random
) -> dict[str, str]:
    """Fill the blanks left for handwriting; each value's box grows to its ink."""
    written = doc.info.get("handwritten") or {}
    if not written:
        return {}
    arr = np.array(image)
    for name, digits in written.items():
        slot = anchors.get(f"hand:{name}")
        if not slot:
            continue
        ink = handwriting.write_digits(arr, digits, slot, rng)
        if ink and name in boxes:
            old = boxes[name]
            boxes[name] = [
                min(old[0], ink[0]),
                min(old[1], ink[1]),
                max(old[2], ink[2]),
                max(old[3], ink[3]),
            ]
        elif ink:
            boxes[name] = ink
    image.paste(Image.fromarray(arr))
    return dict(written)


def _copy_stamp(
    image: Image.Image, anchors: dict, rng: random.Random, family: str
) -> list[float] | None:
    """The "BẢN SAO" stamp beside the title, in the free space to its right."""
    row, ink = anchors.get("title"), anchors.get("title:ink")
    if not row or not ink:
        return None
    height = (row[3] - row[1]) * 1.1
    right, left = row[2] - ink[2], ink[0] - row[0]
    gap = height * 0.3
    if right >= left:
        space = [ink[2] + gap, row[1] - height * 0.1, row[2], row[1] + height]
    else:
        space = [row[0], row[1] - height * 0.1, ink[0] - gap, row[1] + height]
    if space[2] - space[0] < height * 2:
        return None
    return marks.copy_stamp(image, tuple(space), rng, family)


def render_realistic(
    doc_type: str,
    seed: int,
    dpi: int | None = None,
    captured_as: str | None = None,
    security_paper: bool | None = None,
) -> tuple[Image.Image, dict]:
    """One realistic page and its truth (see the module docstring).

    ``captured_as`` forces how the page is captured (``"photo"``, ``"scan"``,
    ``"screenshot"``); ``security_paper`` forces the paper of certificates (True/False)."""
    if doc_type not in documents.DOC_TYPES:
        raise ValueError(
            f"unknown document type {doc_type!r}; choose from {', '.join(documents.DOC_TYPES)}"
        )
    content_rng = random.Random(f"{seed}/{doc_type}/content")
    style_rng = random.Random(f"{seed}/{doc_type}/style")
    capture_rng = random.Random(f"{seed}/capture/realistic")
    style = draw_style(doc_type, style_rng)
    if captured_as is not None:
        if captured_as not in CAPTURE_SHARES:
            raise ValueError(
                f"unknown capture {captured_as!r}; choose from {', '.join(CAPTURE_SHARES)}"
            )
        style = replace(style, capture=captured_as)
    if security_paper is not None or style.capture == "screenshot":
        wanted = bool(security_paper) and style.capture != "screenshot"
        style = replace(style, security_paper=wanted and doc_type in CERTIFICATES)
    knobs = degrade.sample_knobs("mixed", capture_rng)
    leaders = knobs.leaders

    with lexicon.drawing_from(lexicon.HELD_OUT):
        doc = generations.build(doc_type, content_rng, leaders)
    qr_code = None
    if doc_type == "dossier_result" and content_rng.random() < 0.4:
        # The dossier code travels in a QR code even where no "Mã hồ sơ" is printed.
        issued = date.fromisoformat(str(doc.form.fields["result_date"]))
        received = issued - timedelta(days=content_rng.randint(0, 25))
        code = doc.form.fields.get("dossier_code") or documents.dossier_code(
            content_rng, f"{content_rng.randint(1, 96):02d}", received
        )
        doc.qr_payload = qr_code = str(code)
    if style.old_tones:
        _restyle(doc.form.blocks, tones.to_old)
        abbreviated = _abbreviated(doc.form.blocks)
        doc.form.fields = {k: tones.restyle(v) for k, v in doc.form.fields.items()}
        for name in abbreviated & set(doc.form.fields):
            value = str(doc.form.fields[name])
            committee = tones.to_old(facts.COMMITTEE)
            if value.startswith(committee):
                doc.form.fields[name] = facts.COMMITTEE + value[len(committee) :]
        doc.stamp_text = tones.to_old(doc.stamp_text)
    _vary_layout(doc.form.blocks, style)
    if style.capture == "screenshot" and not doc.qr_payload:
        doc.qr_payload = f"{doc_type.upper()}-{seed % 10**8:08d}"

    frame, fill = None, None
    if style.capture == "photo":
        frame, fill = capture.photo_frame(capture_rng)
        if frame[0] < capture.SMALL_FRAME:  # certificates print 13-14 pt: readable here
            style = replace(style, body_pt=max(style.body_pt, 13.5))
        target = capture.page_pixels(frame, fill, A4_INCHES[1] / A4_INCHES[0])
        dpi = dpi or int(np.clip(round(target / A4_INCHES[0] * 1.3), 110, 300))
    elif style.capture == "screenshot":
        frame = capture_rng.choice(capture.SCREEN_FRAMES)
        dpi = dpi or round(frame[0] / A4_INCHES[0] * 1.6)
    else:
        dpi = dpi or knobs.dpi
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    cm = dpi / 2.54
    margins = tuple(round(cm * m) for m in style.margins_cm)
    rendered = render(
        doc.form.blocks,
        size,
        margins,
        style.family,
        style.body_pt * dpi / 72,
        style.spacing,
        typewriter=style.typewriter,
    )
    image = rendered.image
    boxes = {k: [float(v) for v in b] for k, b in rendered.boxes.items()}
    extra: dict[str, list[float]] = {}
    if doc.qr_payload:
        spot = _qr(image, doc.qr_payload, margins, rendered.bottom, dpi, content_rng)
        if spot:
            extra["qr"] = spot
            if qr_code and "dossier_code" not in boxes:
                doc.form.fields["dossier_code"] = qr_code
                boxes["dossier_code"] = spot  # read from the code, so its box is the code's
    for name, other in doc.form.same_box.items():
        if other in boxes:
            boxes[name] = list(boxes[other])
    handwritten = _write_by_hand(image, doc, rendered.anchors, boxes, capture_rng)
    stamped = doc.info.get("copy_stamp") and _copy_stamp(
        image, rendered.anchors, capture_rng, style.family
    )
    if stamped:
        extra["copy_stamp"] = stamped
    if capture_rng.random() < 0.95:
        _signature(image, rendered.anchors, capture_rng, dpi)
    seal = {}
    if style.capture == "screenshot" or capture_rng.random() < 0.92:
        seal = _seal(image, doc, rendered.anchors, boxes, capture_rng, dpi, style.family)
        if seal:
            extra["seal"] = seal.pop("seal")  # moved with the page, like the boxes

    gen = np.random.default_rng(capture_rng.getrandbits(63))
    sheet = None
    if style.security_paper:
        sheet = paper.draw_sheet(capture_rng)
        arr = paper.print_on(image, paper.sheet_image(size, dpi, sheet, capture_rng))
        arr = arr.clip(0, 255).astype(np.uint8)
    else:
        arr = np.asarray(image)
    geo = {**boxes, **{f"__{k}": v for k, v in extra.items()}}
    captured: dict = {"capture": style.capture}
    if style.capture == "photo":
        narrowest = min(margins) / size[0]
        arr, geo, captured = capture.photograph(arr, geo, frame, fill, capture_rng, gen, narrowest)
        out = Image.fromarray(arr, "RGB")
    elif style.capture == "screenshot":
        arr, geo, captured = capture.screenshot(Image.fromarray(arr), geo, frame, capture_rng)
        out = Image.fromarray(arr, "RGB")
    else:
        if knobs.skew_deg:
            arr, geo = degrade.skew(arr, knobs.skew_deg, geo)
        arr, geo = degrade.rotate(arr, knobs.rotation, geo)
        arr = degrade.finish(arr, knobs, gen)
        out = Image.fromarray(arr, "RGB")
    xywh = degrade.to_xywh(geo, out.size)
    fields = doc.form.fields
    truth = {
        "page": 1,
        "doc_type": doc.doc_type,
        "fields": fields,
        "boxes": {k: xywh[k] for k in fields if k in xywh},
        "expect": "record",
        "degradations": knobs.as_dict() if style.capture == "scan" else {},
        # Phones write 72 dpi into their files whatever the page's scale.
        "dpi": dpi if style.capture == "scan" else PHONE_DPI,
        "capture": {**captured, "page_dpi": dpi},
        "paper": {"security": sheet.as_dict()} if sheet else {"security": None},
        "tone_placement": "old" if style.old_tones else "new",
        "name_sources": {
            k: lexicon.name_source(str(fields[k])) for k in NAME_FIELDS if k in fields
        },
        "marks": seal,
        "form": {
            "era": doc.form.era,
            "typewriter": doc.form.typed,
            "font": style.family,
            "style": style.as_dict(),
            "profile": "realistic",
            "seed": seed,
            **{k: v for k, v in doc.info.items() if k != "handwritten"},
        },
    }
    if handwritten:
        truth["handwritten"] = handwritten
    for name in extra:
        truth[name] = xywh[f"__{name}"]
    missing = set(fields) - set(truth["boxes"])
    if missing:
        raise AssertionError(f"fields without a box: {sorted(missing)}")
    return out, truth
