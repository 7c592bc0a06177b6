"""Builders for the broken uploads the loader must refuse, and for small valid scans.

Each builder writes one file into a folder and returns its path. They are cheap: the
"decompression bomb" is a real 30000×30000 PNG that is 110 KB on disk because its rows are
zeros, so tests never allocate the 900 MB it would decode to.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def noisy_page(width: int = 400, height: int = 500, seed: int = 0) -> Image.Image:
    """A grayscale image whose pixels do not compress, so truncation really cuts pixel data."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width), dtype=np.uint8))


def empty_file(folder: Path, name: str = "empty.png") -> Path:
    path = folder / name
    path.write_bytes(b"")
    return path


def truncated_png(folder: Path, name: str = "cut.png") -> Path:
    whole = folder / "whole.png"
    noisy_page().save(whole, dpi=(300, 300))
    data = whole.read_bytes()
    path = folder / name
    path.write_bytes(data[: len(data) // 2])
    return path


def truncated_jpeg(folder: Path, name: str = "cut.jpg") -> Path:
    whole = folder / "whole.jpg"
    noisy_page().convert("RGB").save(whole, quality=90)  # colour: the usual camera JPEG
    data = whole.read_bytes()
    path = folder / name
    path.write_bytes(data[: len(data) // 2])
    return path


def text_named_jpg(folder: Path, name: str = "report.jpg") -> Path:
    path = folder / name
    path.write_text("Báo cáo số hóa quý II\nXã Tân Phú: 1.204 hồ sơ\n", encoding="utf-8")
    return path


def corrupt_pdf(folder: Path, name: str = "broken.pdf") -> Path:
    """A PDF header followed by bytes that are not PDF objects."""
    path = folder / name
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096) + b"\n%%EOF\n")
    return path


def zero_page_pdf(folder: Path, name: str = "nopages.pdf") -> Path:
    """A well-formed PDF whose page tree is empty (``/Count 0``), as PDFium writes one."""
    import pypdfium2

    path = folder / name
    document = pypdfium2.PdfDocument.new()
    try:
        document.save(str(path))
    finally:
        document.close()
    return path


def encrypted_pdf(folder: Path, name: str = "locked.pdf") -> Path:
    """A one-page PDF under the standard security handler with an unknown user password.

    Written by hand (no PDF library here can encrypt): the ``/O`` and ``/U`` entries are
    random, so no password a reader tries, the empty one included, unlocks it — exactly
    what a reader meets when the sender protected the file.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <"
        + os.urandom(32).hex().encode()
        + b"> /U <"
        + os.urandom(32).hex().encode()
        + b"> >>",
    ]
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_at = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        body += b"%010d 00000 n \n" % offset
    file_id = os.urandom(16).hex().encode()
    body += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id,
        file_id,
    )
    body += b"startxref\n%d\n%%%%EOF\n" % xref_at
    path = folder / name
    path.write_bytes(bytes(body))
    return path


def bomb_png(folder: Path, side: int = 30000, name: str = "bomb.png") -> Path:
    """A valid 1-bit PNG of ``side``×``side`` pixels, tiny on disk (zero rows compress)."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, grayscale
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )
    path = folder / name
    path.write_bytes(data)
    return path


def one_pixel_png(folder: Path, name: str = "dot.png") -> Path:
    path = folder / name
    Image.new("L", (1, 1), 255).save(path)
    return path
