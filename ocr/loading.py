"""Open an uploaded scan and hand it out one page at a time, refusing bad files clearly.

The format comes from the file's first bytes, never its name: clerks rename files, phones
save HEIC as ``.jpg``, and an e-mailed "scan" is sometimes an HTML error page.

Pages are grayscale ``uint8`` arrays (2-D): a grayscale A4 page at 300 dpi is 8.7 MB where
colour would be three times that. The reader asks for colour (``colour=True``, BGR), which
it needs to tell print from security paper, seals and signatures.

Nothing is rotated here. docs/record.md puts ``bbox`` in pixels of the page *as uploaded*, so the
EXIF orientation tag of a JPEG is deliberately ignored; ``ocr.prepare`` finds the upright
orientation itself and keeps the transform back to these pixels. For a PDF, "as uploaded"
means the page as a PDF viewer shows it (its ``/Rotate`` applied), rendered at ``dpi``.

Memory: dimensions are checked from the header before any pixel is decoded, with a cap of
:data:`MAX_PAGE_PIXELS` per page; PDF pages that would exceed it are rendered at a lower
resolution. Truncated files raise instead of loading half a page: this relies on Pillow's
``ImageFile.LOAD_TRUNCATED_IMAGES`` staying ``False``, which :func:`iter_pages` checks.

A PNG whose pixel data is complete but which lacks its closing ``IEND`` chunk loads: the
page is whole, only the end marker is missing.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFile, ImageSequence

from ocr.errors import ConfigurationError, InputFileError

MAX_PAGE_PIXELS = 80_000_000
"""Largest page decoded, in pixels: A0 at 300 dpi is 139 MP, A3 at 600 dpi is 70 MP."""

MIN_PAGE_SIDE = 32
"""Below this many pixels on a side an image cannot be a page; ``ocr.quality`` judges the rest."""

PDF_DPI = 300
"""Resolution PDF pages are rendered at (lowered for huge pages, see :data:`MAX_PAGE_PIXELS`)."""

MIN_PDF_DPI = 100
"""A PDF page so large that it would render below this within the pixel cap is refused."""

SUPPORTED = ("png", "jpeg", "tiff", "pdf")

_PILLOW_FORMAT = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}

# What Pillow's decoders raise on damaged data besides OSError: a malformed TIFF directory
# surfaces as KeyError/TypeError/IndexError, a broken PNG chunk as SyntaxError.
_DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    zlib.error,
    IndexError,
    KeyError,
    TypeError,
)

_REUPLOAD = "Upload the original file again, or re-scan the page."


@dataclass
class LoadedPage:
    """One page of an uploaded file."""

    number: int  # 1-based, in file order
    image: np.ndarray  # uint8, pixels of the page as uploaded: grey, or BGR if asked for
    dpi: int | None  # pixels per inch, from the file (or the PDF render); None if unknown


def sha256_of(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so a 2 GB upload costs 1 MB of memory."""
    digest = hashlib.sha256()
    with _open_for_reading(Path(path), _label(path, None)) as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def format_of_head(head: bytes) -> str | None:
    """``png | jpeg | tiff | pdf`` from a file's first 1 KB, else None. The one rule for
    what sohoa reads, shared with the web upload's content check."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if b"%PDF-" in head[:1024]:  # readers accept junk before the header within the first 1 KB
        return "pdf"
    return None


def sniff_format(path: str | os.PathLike[str], name: str | None = None) -> str:
    """``"png" | "jpeg" | "tiff" | "pdf"`` from the file's first bytes.

    ``name`` is how messages call the file (default: its file name); pass the uploaded
    name when ``path`` is a temporary copy. Raises :class:`InputFileError` otherwise.
    """
    label = _label(path, name)
    with _open_for_reading(Path(path), label) as handle:
        head = handle.read(1024)
    if not head:
        raise InputFileError(
            f"{label}: the file is empty (0 bytes). The upload was probably interrupted; "
            "upload it again."
        )
    kind = format_of_head(head)
    if kind:
        return kind
    other = other_kind(head)
    if other in IMAGE_KINDS:
        raise InputFileError(
            f"{label}: this is {KIND_WORDS[other]}, which sohoa does not read. Save it as PNG, "
            "JPEG, TIFF or PDF and upload it again."
        )
    raise InputFileError(
        f"{label}: this is not an image or PDF (it looks like {KIND_WORDS[other]}). "
        "Re-scan the page or upload the original file."
    )


def iter_pages(
    path: str | os.PathLike[str], name: str | None = None, *, colour: bool = False
) -> Iterator[LoadedPage]:
    """Yield the pages of a PNG, JPEG, TIFF (multi-page too) or PDF, one at a time.

    ``colour``: colour pages come as BGR (3-D) arrays instead of grey, for the reader,
    which tells print from security paper, seals and signatures by their colour.

    Only one page is decoded at a time. If a page in the middle of a file is bad, the pages
    before it have already been yielded and the error is raised when the bad page is
    reached; the caller records it for that page and the rest of the file. ``name``: see
    :func:`sniff_format`.
    """
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        raise ConfigurationError(
            "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True somewhere in this process; sohoa "
            "needs it False so that half-uploaded scans are refused instead of read."
        )
    label = _label(path, name)
    kind = sniff_format(path, name)
    if kind == "pdf":
        yield from _pdf_pages(Path(path), label, colour)
    else:
        yield from _image_pages(Path(path), label, kind, colour)


def _label(path: str | os.PathLike[str], name: str | None) -> str:
    return name if name else Path(path).name


def _open_for_reading(path: Path, label: str):
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputFileError(f"{label}: no such file. Check the name and folder.") from None
    except IsADirectoryError:
        raise InputFileError(f"{label}: this is a folder, not a file.") from None
    except PermissionError:
        raise InputFileError(
            f"{label}: the file cannot be read (permission denied). Ask whoever manages the "
            "folder to give read access."
        ) from None


# What a file that is not a scan seems to be, as a key; the CLI's words are below, the
# web upload has its own (Vietnamese) words for the same keys.
IMAGE_KINDS = frozenset({"gif", "bmp", "jpeg_xr", "webp", "heic", "jpeg2000"})
KIND_WORDS = {
    "gif": "a GIF image",
    "bmp": "a BMP image",
    "jpeg_xr": "a JPEG XR image",
    "webp": "a WebP image",
    "heic": "a HEIC/AVIF photo (the iPhone format)",
    "jpeg2000": "a JPEG 2000 image",
    "zip": "a ZIP archive or a Word/Excel document",
    "archive": "a compressed archive",
    "ole": "an old Word/Excel document",
    "rtf": "an RTF document",
    "html": "a web page",
    "xml": "XML or a web page",
    "zeros": "only zero bytes, as if the copy failed",
    "text": "text",
    "unknown": "an unknown kind of file",
}
_HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"heif", b"avif")


def other_kind(head: bytes) -> str:
    """A key of :data:`KIND_WORDS` for a file :func:`format_of_head` does not accept."""
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM":
        return "bmp"
    if head.startswith(b"II\xbc"):
        return "jpeg_xr"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heic"
    if head.startswith(b"\x00\x00\x00\x0cjP  ") or head.startswith(b"\xff\x4f\xff\x51"):
        return "jpeg2000"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "archive"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in text:
        return "html"
    if text.startswith(b"<"):
        return "xml"
    if not head.strip(b"\x00"):
        return "zeros"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        printable = sum(32 <= byte < 127 or byte in b"\t\r\n" for byte in head)
        return "text" if printable > 0.95 * len(head) else "unknown"
    return "text"


def _check_size(label: str, width: int, height: int, where: str) -> None:
    if width * height > MAX_PAGE_PIXELS:
        raise InputFileError(
            f"{label}: {where} is too large to open safely ({width}×{height} px, "
            f"{width * height / 1e6:.0f} megapixels; the limit is {MAX_PAGE_PIXELS // 10**6}). "
            "Scan at 300 dpi or split the file."
        )
    if min(width, height) < MIN_PAGE_SIDE:
        raise InputFileError(
            f"{label}: {where} is only {width}×{height} px, too small to be a scanned page. "
            "Re-scan the page at 300 dpi."
        )


def _image_pages(path: Path, label: str, kind: str, colour: bool) -> Iterator[LoadedPage]:
    image = _open_image(path, label, kind)
    with image:
        frames = ImageSequence.Iterator(image) if kind == "tiff" else [image]
        number = 0
        try:
            for frame in frames:
                number += 1
                where = f"page {number}" if kind == "tiff" else "the image"
                # Header only so far: Pillow decodes lazily, so this check costs nothing.
                _check_size(label, *frame.size, where)
                if kind == "jpeg" and frame.mode in ("RGB", "YCbCr") and not colour:
                    frame.draft("L", frame.size)  # libjpeg decodes luma only: 3x less memory
                pixels = _decode(frame, label, where, colour)
                yield LoadedPage(number=number, image=pixels, dpi=_dpi_of(frame))
        except InputFileError:
            raise
        except _DECODE_ERRORS:
            # Moving to the next TIFF page failed: the directory chain is damaged.
            raise InputFileError(
                f"{label}: page {number + 1} is damaged and cannot be read; the pages before "
                f"it were read. {_REUPLOAD}"
            ) from None


def _open_image(path: Path, label: str, kind: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path, formats=[_PILLOW_FORMAT[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputFileError(
            f"{label}: the image is too large to open safely (more than "
            f"{MAX_PAGE_PIXELS // 10**6} megapixels). Scan at 300 dpi or split the file."
        ) from None
    except _DECODE_ERRORS:
        raise InputFileError(
            f"{label}: the {kind.upper()} header is damaged, so the image cannot be read. "
            f"{_REUPLOAD}"
        ) from None


def _decode(frame: Image.Image, label: str, where: str, colour: bool = False) -> np.ndarray:
    """Decode fully and convert to grayscale (or BGR); a truncated file raises here."""
    try:
        frame.load()
        pixels = _to_bgr(frame) if colour and _in_colour(frame) else _to_gray(frame)
    except _DECODE_ERRORS:
        raise InputFileError(
            f"{label}: {where} is incomplete or damaged (the file may have been cut off "
            f"during upload). {_REUPLOAD}"
        ) from None
    if pixels.shape[:2] != (frame.size[1], frame.size[0]):  # decoder stopped short
        raise InputFileError(f"{label}: {where} could not be decoded completely. {_REUPLOAD}")
    return pixels


def _to_gray(frame: Image.Image) -> np.ndarray:
    mode = frame.mode
    if mode in ("1", "L"):
        return np.asarray(frame.convert("L"), dtype=np.uint8)
    if mode.startswith(("I", "F")):  # 16-bit and 32-bit scans: rescale rather than clip
        values = np.asarray(frame, dtype=np.float64)
        top = float(values.max(initial=0.0))
        peak = 255.0 if top <= 255 else 65535.0 if top <= 65535 else top
        return np.clip(np.rint(values * (255.0 / peak)), 0, 255).astype(np.uint8)
    if mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in frame.info:
        # Transparent areas are paper, not ink: flatten onto white before graying.
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("L"), dtype=np.uint8)
    return np.asarray(frame.convert("L"), dtype=np.uint8)


def _in_colour(frame: Image.Image) -> bool:
    return frame.mode in ("RGB", "RGBA", "RGBa", "RGBX", "YCbCr", "CMYK", "LAB", "HSV", "P", "PA")


def _to_bgr(frame: Image.Image) -> np.ndarray:
    """Colour pixels as BGR (OpenCV's order); transparency flattened onto white."""
    if frame.mode in ("RGBA", "RGBa", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    rgb = np.asarray(frame if frame.mode == "RGB" else frame.convert("RGB"), dtype=np.uint8)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # one pass; numpy's reversed copy is slower


def _dpi_of(frame: Image.Image) -> int | None:
    dpi = frame.info.get("dpi")
    if not dpi:
        return None
    try:
        value = float(dpi[0] if isinstance(dpi, tuple) else dpi)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value < 10:  # 0 or 1 means "unknown" in many writers
        return None
    return round(value)


def _pdf_pages(path: Path, label: str, colour: bool = False) -> Iterator[LoadedPage]:
    import pypdfium2 as pdfium

    document = _open_pdf(path, label, pdfium)
    try:
        count = len(document)
        if count == 0:
            raise InputFileError(f"{label}: the PDF has no pages. {_REUPLOAD}")
        for index in range(count):
            yield _render_pdf_page(document, index, label, pdfium, colour)
    finally:
        document.close()


def _open_pdf(path: Path, label: str, pdfium):
    """Open a PDF, or raise with this file's own reason.

    PDFium keeps its last error code until the next error, and refuses a PDF without
    pages without setting one: the code read after a failure may be the previous file's.
    So a known code is set first (a file that does not exist: ``FPDF_ERR_FILE``; this
    file exists, it was just sniffed) and only a code other than that one is this file's.
    """
    pdfium.raw.FPDF_LoadDocument(_NO_SUCH_PDF, None)  # returns NULL, sets FPDF_ERR_FILE
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            raise InputFileError(
                f"{label}: the PDF is password-protected; ask the sender for an unprotected copy."
            ) from None
        if code == pdfium.raw.FPDF_ERR_FILE and _empty_page_tree(path):
            raise InputFileError(f"{label}: the PDF has no pages. {_REUPLOAD}") from None
        raise InputFileError(
            f"{label}: the PDF is damaged and cannot be opened. {_REUPLOAD}"
        ) from None


_NO_SUCH_PDF = b"/nonexistent/sohoa-resets-the-pdfium-error.pdf"
_PAGE_COUNT = re.compile(rb"/Count\s+(\d+)")


def _empty_page_tree(path: Path) -> bool:
    """Whether every page count the file states is 0 (PDFium parsed it and gave no error:
    what it does for a PDF without pages). Counts inside compressed object streams are
    not seen; such a file is then called damaged, as before."""
    with path.open("rb") as handle:
        counts = _PAGE_COUNT.findall(handle.read(_MAX_PDF_SCAN))
    return bool(counts) and all(int(n) == 0 for n in counts)


_MAX_PDF_SCAN = 64 << 20  # a PDF without pages is small; reading further proves nothing


def _render_pdf_page(document, index: int, label: str, pdfium, colour: bool) -> LoadedPage:
    where = f"page {index + 1}"
    try:
        page = document[index]
    except pdfium.PdfiumError:
        raise InputFileError(f"{label}: {where} of the PDF is damaged. {_REUPLOAD}") from None
    try:
        width_pt, height_pt = page.get_size()
        dpi = _pdf_render_dpi(width_pt, height_pt)
        if dpi < MIN_PDF_DPI:
            raise InputFileError(
                f"{label}: {where} of the PDF is {width_pt / 72 * 2.54:.0f}×"
                f"{height_pt / 72 * 2.54:.0f} cm, far larger than a document page. "
                "Upload the scan of the page itself."
            )
        scale = dpi / 72
        _check_size(label, math.ceil(width_pt * scale), math.ceil(height_pt * scale), where)
        bitmap = page.render(scale=scale, grayscale=not colour)
        pixels = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        pixels = pixels[:, :, :3] if colour else pixels.reshape(bitmap.height, bitmap.width)
    except pdfium.PdfiumError:
        raise InputFileError(
            f"{label}: {where} of the PDF is damaged and cannot be drawn. {_REUPLOAD}"
        ) from None
    finally:
        page.close()
    return LoadedPage(number=index + 1, image=pixels, dpi=dpi)


def _pdf_render_dpi(width_pt: float, height_pt: float) -> int:
    """:data:`PDF_DPI`, or the highest resolution that keeps the page within the pixel cap."""
    area_in2 = max(width_pt, 1e-6) * max(height_pt, 1e-6) / 72**2
    fitting = math.floor(math.sqrt(MAX_PAGE_PIXELS / area_in2) * 0.999)
    return min(PDF_DPI, fitting)
