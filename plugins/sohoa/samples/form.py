"""Collects a page's blocks and its canonical truth together, so they cannot disagree.

Every value a form prints goes through :meth:`Form.entry` or :meth:`Form.row`, which
emit the layout spans and record the canonical value under the same field name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from ocr.text import nfc, squash_spaces
from sohoa.samples.layout import Columns, Flow, Gap, Rule, Span

HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def canonical(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return squash_spaces(nfc(value))
    return value


class Form:
    def __init__(self, rng: random.Random, *, era: str, leaders: float, next_line: float):
        self.rng = rng
        self.era = era  # "very_old" (before 1999) | "old" (1999-2015) | "new" (2016-)
        self.leaders = leaders  # share of entries with a dotted leader after the value
        self.next_line = next_line  # share of entries whose value sits below the label
        self.blocks: list = []
        self.fields: dict[str, object] = {}
        # Fields printed by another field's text (a parent's full date is also the year):
        # field -> the field whose box it shares.
        self.same_box: dict[str, str] = {}
        # Values typed on a typewriter (old forms only; new ones are printed whole).
        self.typed = era != "new" and rng.random() < (0.5 if era == "very_old" else 0.25)

    @contextmanager
    def into(self, blocks: list) -> Iterator[list]:
        """Send the entries made inside the ``with`` to ``blocks`` (a column) instead."""
        saved, self.blocks = self.blocks, blocks
        try:
            yield blocks
        finally:
            self.blocks = saved

    @property
    def old(self) -> bool:
        return self.era != "new"

    def label(self, text: str) -> Span:
        """A label; old forms sometimes print dots between the label and a typed value."""
        if self.old and self.rng.random() < self.leaders / 2:
            return Span(f"{text}:" + "." * self.rng.randint(3, 9))
        return Span(f"{text}:")

    def value(
        self,
        field: str | None,
        printed: str,
        truth: object,
        *,
        style: str = "value",
        nowrap: bool = False,
        newline: bool = False,
        tab: float | None = None,
    ) -> Span:
        if field is not None:
            self.fields[field] = canonical(truth)
        if self.typed and style in ("value", "name"):
            style = "typed" if style == "value" else "typed_bold"
        return Span(printed, style, field, tab=tab, newline=newline, nowrap=nowrap)

    def entry(
        self,
        label: str,
        field: str | None,
        printed: str,
        truth: object,
        *,
        style: str = "value",
        nowrap: bool = False,
        tail: list[Span] | None = None,
        long: bool = False,
    ) -> None:
        """``Label: value`` on one line, or with the value on the next line."""
        below = self.rng.random() < self.next_line * (2 if long else 1)
        spans = [
            self.label(label),
            self.value(field, printed, truth, style=style, nowrap=nowrap, newline=below),
        ]
        spans += tail or []
        if self.rng.random() < self.leaders:
            spans.append(Span("", leader=True))
        self.blocks.append(Flow(spans, indent=self.rng.choice([0.0, 0.0, 2.0])))

    def blank(self, label: str) -> None:
        """A label whose value is blank on the page (the field is left out of the truth)."""
        self.blocks.append(Flow([Span(f"{label}:"), Span("", leader=True)]))

    def row(self, items: list[tuple[str, str | None, str, object]], tabs: list[float]) -> None:
        """Several short ``Label: value`` pairs on one line at tab stops."""
        spans: list[Span] = []
        for (label, field, printed, truth), tab in zip(items, tabs, strict=True):
            spans.append(Span(f"{label}:", tab=tab))
            spans.append(self.value(field, printed, truth, nowrap=True))
        self.blocks.append(Flow(spans))

    def national_header(self) -> list:
        return [
            Flow([Span(HEADER, "header")], align="center"),
            Flow([Span(MOTTO, "header")], align="center"),
            Rule(0.35),
        ]

    def title(self, text: str, subtitle: str | None = None) -> None:
        self.blocks.append(Flow([Span(text, "title")], align="center", space_before=0.6))
        if subtitle:
            self.blocks.append(Flow([Span(subtitle, "italic")], align="center"))
        self.blocks.append(Gap(0.4))

    def signature(self, heading: str, note: str, signer: str, left: list | None = None) -> None:
        lines = heading.split("\n")
        right = [
            Flow([Span(line, "bold")], align="center", space_before=0.5 if i == 0 else 0)
            for i, line in enumerate(lines)
        ]
        right += [
            Flow([Span(note, "small")], align="center"),
            Gap(3.2, anchor="signature"),
            Flow([Span(signer, "bold")], align="center", anchor="signer"),
        ]
        self.blocks.append(Columns([(0.0, 0.45, left or []), (0.45, 1.0, right)]))


def fmt_date(d: date, rng: random.Random, era: str) -> str:
    """A date as the form's era prints it."""
    if era == "new":
        choice = rng.random()
        if choice < 0.75:
            return f"{d.day:02d}/{d.month:02d}/{d.year}"
        return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    return rng.choice(
        [
            f"{d.day:02d}/{d.month:02d}/{d.year}",
            f"{d.day}/{d.month}/{d.year}",
            f"{d.day:02d}-{d.month:02d}-{d.year}",
            f"ngày {d.day} tháng {d.month} năm {d.year}",
        ]
    )


def era_of(registered: date) -> str:
    if registered.year < 1999:
        return "very_old"
    return "old" if registered.year < 2016 else "new"


def upper_name(name: str, rng: random.Random, upper_share: float = 0.9) -> str:
    """Names are usually printed upper case; some forms type parents' names in title case."""
    return name.upper() if rng.random() < upper_share else name
