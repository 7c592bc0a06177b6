"""Build Tesseract-like word lists from text lines, for layout and field tests without OCR."""

from __future__ import annotations

from ocr.engines import Word

CHAR_W = 20
LINE_H = 40


def line_words(text: str, x: int, y: int, line_id: int, conf: float = 0.95) -> list[Word]:
    """Words of one printed line starting at (x, y); two spaces or more open a wide gap."""
    words: list[Word] = []
    cursor = x
    for chunk in text.split("  "):
        for token in chunk.split():
            width = CHAR_W * len(token)
            words.append(Word(token, conf, cursor, y, width, LINE_H, 1, line_id))
            cursor += width + CHAR_W
        cursor += 8 * LINE_H  # a wide gap between chunks
    return words


def page_words(lines: list[str | tuple[int, str]], x: int = 100) -> list[Word]:
    """Lines top to bottom; a (x, text) tuple places a line at its own x."""
    words: list[Word] = []
    for n, line in enumerate(lines):
        lx, text = line if isinstance(line, tuple) else (x, line)
        words += line_words(text, lx, 100 + n * 2 * LINE_H, n + 1)
    return words
