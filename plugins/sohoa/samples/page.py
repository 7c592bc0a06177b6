"""One synthetic scan page and its truth: layout, marks, then degradations.

Content and degradations draw from separate seeded streams, so the same seed gives
the same record under every profile (handy to compare clean and harsh reads).
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from PIL import Image

from ocr import doctypes
from sohoa.samples import degrade, documents, marks, paper
from sohoa.samples.layout import FAMILIES, render

A4_INCHES = (8.27, 11.69)
BUILDERS = {name: getattr(documents, name) for name in documents.DOC_TYPES}
# Scan profiles (the reader was tuned on these), then the pages of issue 18: "realistic"
# (photos, scans and screenshots mixed) and "photo" (the same pages, all phone photos).
REALISTIC = ("realistic", "photo")
PROFILES = (*degrade.PROFILES, *REALISTIC)
CERTIFICATES = doctypes.certificate_names()  # printed on security paper, when it is used


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_stamp(
    image: Image.Image,
    doc: documents.Document,
    anchors: dict,
    boxes: dict,
    rng: random.Random,
    dpi: int,
    family: str,
) -> None:
    """Seal over the left part of the signature space, moved down off any truth box."""
    area = anchors.get("signature")
    if not area:
        return
    radius = dpi * rng.uniform(0.62, 0.75)
    cx = area[0] + (area[2] - area[0]) * rng.uniform(0.2, 0.4)
    cy = (area[1] + area[3]) / 2 + rng.uniform(-0.1, 0.1) * dpi
    for _ in range(20):
        ring = [cx - radius, cy - radius, cx + radius, cy + radius]
        if not any(_overlaps(ring, b) for b in boxes.values()):
            break
        cy += radius * 0.15
    marks.stamp(image, (cx, cy), radius, doc.stamp_text, rng, family)


def scan_content(
    doc_type: str, seed: int, profile: str, knobs: degrade.Knobs | None = None
) -> tuple[documents.Document, random.Random, degrade.Knobs, random.Random]:
    """The record a scan profile's page holds, before any drawing, with the streams
    rendering goes on with: cheap (a few ms), so a caller can look for a seed whose
    record it wants (say, one registered in a given year) without rendering pages."""
    content_rng = random.Random(f"{seed}/{doc_type}/content")
    knob_rng = random.Random(f"{seed}/knobs/{profile}")
    sampled = degrade.sample_knobs(profile, knob_rng)
    knobs = knobs or sampled
    return BUILDERS[doc_type](content_rng, knobs.leaders), content_rng, knobs, knob_rng


def render_document(
    doc_type: str,
    seed: int,
    profile: str,
    dpi: int | None = None,
    knobs: degrade.Knobs | None = None,
    security_paper: bool | None = None,
    captured_as: str | None = None,
) -> tuple[Image.Image, dict]:
    """``dpi`` overrides the sampled resolution (pages of one multi-page file share one);
    ``knobs`` replaces the profile's sampled degradations altogether (scan profiles only);
    ``security_paper`` prints certificates on security paper (True), never (False), or as
    the profile decides (None: the realistic profiles draw it, the scan profiles never);
    ``captured_as`` forces the capture of a realistic page ("scan", "photo", "screenshot")."""
    if doc_type not in BUILDERS:
        raise ValueError(f"unknown document type {doc_type!r}; choose from {', '.join(BUILDERS)}")
    if profile in REALISTIC:
        from sohoa.samples.realistic import render_realistic

        return render_realistic(
            doc_type,
            seed,
            dpi=dpi,
            captured_as=captured_as or ("photo" if profile == "photo" else None),
            security_paper=security_paper,
        )
    if captured_as not in (None, "scan"):
        raise ValueError(f"profile {profile!r} makes scans; use 'realistic' for {captured_as}s")
    doc, content_rng, knobs, knob_rng = scan_content(doc_type, seed, profile, knobs)
    if dpi is not None:
        knobs = replace(knobs, dpi=dpi)
    family = content_rng.choices(list(FAMILIES), weights=[6, 3, 1])[0]
    dpi = knobs.dpi
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    cm = dpi / 2.54
    margins = (
        round(cm * content_rng.uniform(2.0, 3.0)),
        round(cm * content_rng.uniform(1.5, 2.2)),
        round(cm * content_rng.uniform(1.5, 2.0)),
        round(cm * 1.5),
    )
    body_pt = content_rng.uniform(11.0, 13.0)
    spacing = content_rng.uniform(1.5, 2.0)
    rendered = render(doc.form.blocks, size, margins, family, body_pt * dpi / 72, spacing)
    image, boxes = rendered.image, {k: [float(v) for v in b] for k, b in rendered.boxes.items()}
    framed = doc.doc_type in ("birth", "marriage") and content_rng.random() < 0.2
    if framed:
        marks.border(image, margins, dpi)
    extra: dict = {}
    if doc.qr_payload:
        # Bottom left, below everything; smaller when the page is full, left out if no room.
        room = size[1] - margins[3] - rendered.bottom - dpi * 0.1
        side = round(min(dpi * content_rng.uniform(0.8, 1.1), room))
        if side >= dpi * 0.6:
            spot = (margins[0], size[1] - margins[3] - side)
            extra["qr"] = [float(v) for v in marks.qr_code(image, doc.qr_payload, (*spot, side))]
    if knobs.signature and "signature" in rendered.anchors:
        marks.signature(image, rendered.anchors["signature"], knob_rng, dpi)
    if knobs.stamp:
        _place_stamp(image, doc, rendered.anchors, boxes, knob_rng, dpi, family)

    gen = np.random.default_rng(knob_rng.getrandbits(63))
    sheet = None
    if security_paper and doc.doc_type in CERTIFICATES:
        paper_rng = random.Random(f"{seed}/paper")  # its own stream: the rest stays the same
        sheet = paper.draw_sheet(paper_rng)
        printed = paper.print_on(image, paper.sheet_image(size, dpi, sheet, paper_rng))
        image = Image.fromarray(printed.clip(0, 255).astype(np.uint8))
    arr = np.asarray(image)
    if knobs.yellow:
        aged = degrade.yellow_paper(np.asarray(image, dtype=np.float32), knobs.yellow, gen)
        arr = aged.clip(0, 255).astype(np.uint8)  # geometry is faster on 8-bit pixels
    geo = {**boxes, **{f"__{k}": v for k, v in extra.items()}}
    if knobs.skew_deg:
        arr, geo = degrade.skew(arr, knobs.skew_deg, geo)
    arr, geo = degrade.rotate(arr, knobs.rotation, geo)
    arr = degrade.finish(arr, knobs, gen)
    out = Image.fromarray(arr, "RGB")
    xywh = degrade.to_xywh(geo, out.size)
    truth = {
        "page": 1,
        "doc_type": doc.doc_type,
        "fields": doc.form.fields,
        "boxes": {k: xywh[k] for k in doc.form.fields if k in xywh},
        "expect": "record",
        "degradations": knobs.as_dict(),
        "dpi": dpi,
        "form": {
            "era": doc.form.era,
            "typewriter": doc.form.typed,
            "frame": framed,
            "font": family,
            "profile": profile,
            "seed": seed,
        },
    }
    if sheet:
        truth["paper"] = {"security": sheet.as_dict()}
    for name in extra:
        truth[name] = xywh[f"__{name}"]
    missing = set(doc.form.fields) - set(truth["boxes"])
    if missing:
        raise AssertionError(f"fields without a box: {sorted(missing)}")
    return out, truth
