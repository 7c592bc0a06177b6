"""Writing scans in every input format, each with ``X.truth.json`` beside it."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from ocr.errors import ConfigurationError, InputFileError
from sohoa.samples import documents
from sohoa.samples.degrade import Knobs
from sohoa.samples.facts import LATEST
from sohoa.samples.page import REALISTIC, render_document, scan_content

FORMATS = {"png": "png", "jpeg": "jpg", "jpg": "jpg", "tiff": "tif", "tif": "tif", "pdf": "pdf"}
MULTI_PAGE = {"tif", "pdf"}


def generate_page(
    doc_type: str,
    seed: int,
    profile: str = "mixed",
    *,
    dpi: int | None = None,
    knobs: Knobs | None = None,
    security_paper: bool | None = None,
    captured_as: str | None = None,
) -> tuple[Image.Image, dict]:
    """One page (RGB) and its truth dict (``"page": 1``); same seed, same page.

    ``doc_type`` may also be ``reject:blank``, ``reject:blurred`` or ``reject:photo``.
    ``knobs`` (a :class:`~sohoa.samples.degrade.Knobs`) forces exact degradations instead
    of the profile's draw; the record's content still comes from ``seed`` alone.
    ``security_paper`` puts certificates on security paper (True) or never (False);
    None leaves it to the profile. ``captured_as`` (realistic profiles only) forces
    ``"scan"``, ``"photo"`` or ``"screenshot"``.
    """
    if doc_type.startswith("reject"):
        from sohoa.samples.rejects import reject_page

        return reject_page(doc_type.partition(":")[2] or "blank", seed, dpi=dpi)
    return render_document(
        doc_type,
        seed,
        profile,
        dpi=dpi,
        knobs=knobs,
        security_paper=security_paper,
        captured_as=captured_as,
    )


def truth_path(scan_path: Path) -> Path:
    scan_path = Path(scan_path)
    return scan_path.with_name(f"{scan_path.stem}.truth.json")


def load_truth(scan_path: Path) -> dict:
    path = truth_path(scan_path)
    if not path.exists():
        raise InputFileError(f"no truth file beside {scan_path} (expected {path.name})")
    return json.loads(path.read_text(encoding="utf-8"))


def save_pages(path: Path, pages: list[Image.Image], dpi: int, jpeg_quality: int = 88) -> None:
    """Save in the format the suffix names; TIFF and PDF take several pages."""
    ext = path.suffix.lstrip(".").lower()
    if len(pages) > 1 and ext not in MULTI_PAGE:
        raise ConfigurationError(f"{ext} holds one page; use tiff or pdf for several")
    first, rest = pages[0], pages[1:]
    if ext == "png":
        first.save(path, format="PNG", dpi=(dpi, dpi), compress_level=1)
    elif ext == "jpg":
        first.save(path, format="JPEG", quality=jpeg_quality, dpi=(dpi, dpi))
    elif ext == "tif":
        first.save(
            path,
            format="TIFF",
            save_all=True,
            append_images=rest,
            compression="tiff_lzw",
            dpi=(dpi, dpi),
        )
    else:
        buf = io.BytesIO()
        first.save(buf, format="PDF", save_all=True, append_images=rest, resolution=float(dpi))
        path.write_bytes(buf.getvalue())


def _pick_formats(formats: Sequence[str]) -> list[str]:
    exts = []
    for name in formats:
        key = name.strip().lower()
        if key not in FORMATS:
            raise ConfigurationError(f"unknown format {name!r}; choose from png, jpeg, tiff, pdf")
        exts.append(FORMATS[key])
    if not exts:
        raise ConfigurationError("no output format given")
    return exts


def write_samples(
    out_dir: Path,
    count: int,
    seed: int,
    *,
    profile: str = "mixed",
    formats: Sequence[str] = ("png",),
    doc_types: Sequence[str] | None = None,
    pages_per_file: int = 1,
    rejects: int = 0,
    dpi: int | None = None,
    security_paper: bool | None = None,
    year: int | None = None,
) -> list[Path]:
    """Write ``count`` record files (then ``rejects`` reject pages) and their truth files.

    File ``i`` holds ``pages_per_file`` pages of type ``doc_types[i % n]`` (like one
    register book) in format ``formats[i % m]``; names are ``<type>-0001.<ext>`` and
    ``reject-0001.<ext>``. ``dpi`` fixes the resolution of every page (default: the
    profile draws it per file). Returns the scan paths in the order written.

    A single-page phone photo is always written as JPEG and a screenshot as PNG (what a
    phone makes), whatever ``formats`` says; scans take the formats in turn.

    ``year`` keeps only records registered (results: issued) that year, as one year's
    register book holds; scan profiles only.
    """
    types = list(doc_types or documents.DOC_TYPES)
    for t in types:
        if t not in documents.DOC_TYPES:
            raise ConfigurationError(
                f"unknown document type {t!r}; choose from {', '.join(documents.DOC_TYPES)}"
            )
    if year is not None and profile in REALISTIC:
        raise ConfigurationError(f"a year works with the scan profiles, not {profile!r}")
    if count < 0 or rejects < 0 or pages_per_file < 1:
        raise ConfigurationError("count and rejects must be >= 0, pages per file >= 1")
    if dpi is not None and not 72 <= dpi <= 600:
        raise ConfigurationError(f"dpi {dpi} is out of range (72-600)")
    exts = _pick_formats(formats)
    if pages_per_file > 1 and profile == "photo":
        raise ConfigurationError("a phone photo is one page; use --pages-per-file 1")
    if pages_per_file > 1:
        exts = [e for e in exts if e in MULTI_PAGE]
        if not exts:
            raise ConfigurationError("several pages per file need tiff or pdf")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    master = random.Random(seed)
    written: list[Path] = []
    for i in range(count):
        doc_type = types[i % len(types)]
        seeds = [_draw_seed(master, doc_type, profile, year) for _ in range(pages_per_file)]
        written.append(
            _write_file(
                out_dir / f"{doc_type}-{i + 1:04d}.{exts[i % len(exts)]}",
                [(doc_type, s) for s in seeds],
                profile,
                dpi,
                security_paper,
            )
        )
    kinds = ["blank", "blurred", "photo"]
    for j in range(rejects):
        ext = exts[j % len(exts)]
        written.append(
            _write_file(
                out_dir / f"reject-{j + 1:04d}.{ext}",
                [(f"reject:{kinds[j % 3]}", master.getrandbits(48))],
                profile,
                dpi,
            )
        )
    return written


# The field that dates a record in its book; enough draws to find any year the generator
# covers (a birth's year is about 1 in 60), few enough to fail fast outside it.
_DATED_BY = {"dossier_result": "result_date"}
_YEAR_DRAWS = 3000


def _draw_seed(master: random.Random, doc_type: str, profile: str, year: int | None) -> int:
    """The next page seed, or with ``year`` the next one whose record is of that year."""
    if year is None:
        return master.getrandbits(48)
    if year > LATEST.year:
        raise ConfigurationError(f"the generator dates nothing after {LATEST:%d/%m/%Y}")
    for _ in range(_YEAR_DRAWS):
        seed = master.getrandbits(48)
        doc = scan_content(doc_type, seed, profile)[0]
        if str(doc.form.fields[_DATED_BY.get(doc_type, "registration_date")])[:4] == str(year):
            return seed
    raise ConfigurationError(f"the generator makes no {doc_type} record of {year}")


_PHONE_FORMATS = {"photo": "jpg", "screenshot": "png"}


def _write_file(
    path: Path,
    pages: list[tuple[str, int]],
    profile: str,
    dpi: int | None,
    security_paper: bool | None = None,
) -> Path:
    images, truths = [], []  # one file, one resolution: later pages take page 1's
    # A file of several pages is a scanned book, even in the realistic profiles: a phone
    # photo or a screenshot is one image.
    captured_as = "scan" if len(pages) > 1 and profile in REALISTIC else None
    for number, (doc_type, page_seed) in enumerate(pages, start=1):
        image, truth = generate_page(
            doc_type,
            page_seed,
            profile,
            dpi=dpi,
            security_paper=security_paper,
            captured_as=captured_as,
        )
        dpi = truth["dpi"]
        truth["page"] = number
        images.append(image)
        truths.append(truth)
    assert dpi is not None
    captured = truths[0].get("capture", {}).get("capture")
    quality = 88
    if len(pages) == 1 and captured in _PHONE_FORMATS:
        path = path.with_suffix(f".{_PHONE_FORMATS[captured]}")
        quality = 95  # the photo was compressed by the "phone" already: keep that look
    save_pages(path, images, dpi, jpeg_quality=quality)
    record = {"file": path.name, "pages": truths}
    truth_path(path).write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path
