"""Counting a clerk's key presses in a browser test, two ways.

- ``presses``: one per character typed and one per key pressed (Tab, Enter, an arrow),
  as Playwright sends them: the count of issue 15 (351 for a birth record).
- ``telex``: what the fingers do with Telex, Unikey's default way of typing Vietnamese: a
  letter with a circumflex, breve or horn costs a second key (``aa``, ``aw``,
  ``ow``/``w``), "đ" is ``dd``, and a tone mark one more (``s f r x j``). "Nguyễn" is 6
  characters and 8 Telex presses.

Shift or Ctrl held with a key is not counted apart: "Shift+Tab" is one press.
"""

from __future__ import annotations

import unicodedata

_MARKS = {
    "\u0302",  # circumflex: â ê ô (aa ee oo)
    "\u0306",  # breve: ă (aw)
    "\u031b",  # horn: ơ ư (ow w)
    "\u0300",  # grave (f)
    "\u0301",  # acute (s)
    "\u0303",  # tilde (x)
    "\u0309",  # hook above (r)
    "\u0323",  # dot below (j)
}


def telex_keys(text: str) -> int:
    """Key presses to type ``text`` with Telex."""
    count = 0
    for char in text:
        if char in "đĐ":
            count += 2
            continue
        parts = unicodedata.normalize("NFD", char)
        count += 1 + sum(1 for c in parts[1:] if c in _MARKS)
    return count


class Typist:
    """The page's keyboard, counting key presses as a clerk would make them."""

    def __init__(self, page) -> None:
        self.page = page
        self.presses = 0
        self.telex = 0

    def type(self, text: str) -> None:
        """Type ``text`` where the focus is (the input's own script sees each key)."""
        self.page.keyboard.type(text)
        self.presses += len(text)
        self.telex += telex_keys(text)

    def press(self, key: str) -> None:
        """One key, or one chord such as ``Control+a``."""
        self.page.keyboard.press(key)
        self.presses += 1
        self.telex += 1
