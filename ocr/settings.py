"""The reader's own settings, and how every ``SOHOA_*`` variable is parsed.

All of sohoa's settings form one frozen object, :class:`sohoa.settings.Settings`; the
reader's two (which recognizers read, which Tesseract binding) are its ``ocr`` section,
:class:`OcrSettings`, defined here. ``ocr/`` must not import ``sohoa`` (no Airflow, no
database, and ``sohoa`` already imports ``ocr``), so the section and the parsers both
sections share live at this lower layer, and ``ocr`` reads its section with
:func:`ocr_settings` without the rest. ``sohoa.settings`` builds the same section from
the same variables, so the two never disagree.

A setting is a dataclass field made with :func:`setting`: its variable, its default, one
line saying what it is for, and its parser. A parser gets the environment, the variable
and the default; a blank value is the default; a value it cannot use raises
:class:`~ocr.errors.ConfigurationError` naming the variable (exit code 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from ocr.errors import ConfigurationError

PREFIX = "SOHOA_"
Parser = Callable[[Mapping[str, str], str, Any], Any]
T = TypeVar("T")


def _raw(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def text(env: Mapping[str, str], name: str, default: Any) -> Any:
    """The value as written; blank or unset is the default (which may be ``None``)."""
    return _raw(env, name) or default


def path(env: Mapping[str, str], name: str, default: Path | None) -> Path | None:
    raw = _raw(env, name)
    return Path(raw) if raw else default


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off``."""
    raw = _raw(env, name).lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be 1 or 0 (true/false, yes/no), got {raw!r}")


def names(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list, each name once, in order."""
    given = (n.strip() for n in _raw(env, name).split(","))
    return tuple(dict.fromkeys(n for n in given if n)) or default


def _number(env: Mapping[str, str], name: str, kind: Callable[[str], T], what: str) -> T | None:
    raw = _raw(env, name)
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be {what}, got {raw!r}") from None


def whole(floor: int | None = None) -> Parser:
    """A whole number; one below ``floor`` is raised to it (as sohoa always did)."""

    def parse(env: Mapping[str, str], name: str, default: int | None) -> int | None:
        value = _number(env, name, int, "a whole number")
        value = default if value is None else value
        return value if value is None or floor is None else max(floor, value)

    return parse


def positive(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number above zero; zero or less is an error."""
    value = _number(env, name, int, "a whole number")
    if value is None:
        return default
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, got {value}")
    return value


def decimal(floor: float | None = None) -> Parser:
    """A number (``1.5``); one below ``floor`` is raised to it."""

    def parse(env: Mapping[str, str], name: str, default: float) -> float:
        value = _number(env, name, float, "a number")
        value = default if value is None else value
        return value if floor is None else max(floor, value)

    return parse


def one_of(*choices: str) -> Parser:
    def parse(env: Mapping[str, str], name: str, default: str) -> str:
        raw = _raw(env, name) or default
        if raw not in choices:
            raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return raw

    return parse


def setting(
    variable: str, default: Any, doc: str, parse: Parser = text, *, secret: bool = False
) -> Any:
    """A field of a settings object, read from ``variable``; a ``secret`` one is left out
    of the object's ``repr`` (a settings object may end up in a log)."""
    meta = {"variable": variable, "doc": doc, "parse": parse}
    return field(default=default, repr=not secret, metadata=meta)


def section(cls: type) -> Any:
    """A field holding another settings object (built from the same environment)."""
    return field(default_factory=cls, metadata={"section": cls})


def build(cls: type[T], env: Mapping[str, str]) -> T:
    """An instance of the settings class ``cls`` from ``env``: every field parsed."""
    values = {}
    for f in fields(cls):
        if "section" in f.metadata:
            values[f.name] = build(f.metadata["section"], env)
        else:
            values[f.name] = f.metadata["parse"](env, f.metadata["variable"], f.default)
    return cls(**values)


def variables(cls: type) -> Iterator[tuple[str, Any, str]]:
    """``(variable, default, what it is for)`` of every setting of ``cls`` and its sections."""
    for f in fields(cls):
        if "section" in f.metadata:
            yield from variables(f.metadata["section"])
        else:
            yield f.metadata["variable"], f.default, f.metadata["doc"]


def sohoa_items(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The ``SOHOA_*`` items of ``env``, sorted: the key of a cached settings object."""
    return tuple(sorted((k, v) for k, v in env.items() if k.startswith(PREFIX)))


@dataclass(frozen=True)
class OcrSettings:
    """How pages are read."""

    recognizers: tuple[str, ...] = setting(
        "SOHOA_RECOGNIZERS",
        ("tesseract", "aster"),
        "the recognizers that read, by entry-point name; the first that reads whole pages"
        " reads them, the others give the second readings; an unknown name is an error",
        names,
    )
    ocr_backend: str = setting(
        "SOHOA_OCR_BACKEND",
        "tesserocr",
        "Tesseract's binding: `tesserocr` (in process) or `pytesseract` (the program, per page)",
        one_of("tesserocr", "pytesseract"),
    )


def ocr_settings() -> OcrSettings:
    """The reader's settings from this process's environment (read again when it changed)."""
    return _ocr_settings(sohoa_items(os.environ))


@lru_cache(maxsize=16)
def _ocr_settings(items: tuple[tuple[str, str], ...]) -> OcrSettings:
    return build(OcrSettings, dict(items))
