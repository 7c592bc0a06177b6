"""Recognizers by name: installed through the ``sohoa.recognizers`` entry-point group,
chosen with ``SOHOA_RECOGNIZERS``.

As OCRmyPDF finds its OCR engines through a plugin group, sohoa finds its readers by name:
a package that declares ``[project.entry-points."sohoa.recognizers"] name = "module:Class"``
adds an engine without a change here. ``SOHOA_RECOGNIZERS=tesseract,aster`` (the default)
runs both: the first engine that can read a whole page reads pages, every other one gives
the second, independent readings a value needs to be accepted. An unknown name is a
configuration error (exit code 2) that lists the installed ones.

Each engine is made once per process and kept: a worker reads many pages with the models
it loaded once.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

from ocr.engines.base import Recognizer
from ocr.errors import ConfigurationError
from ocr.settings import ocr_settings

GROUP = "sohoa.recognizers"
SETTING = "SOHOA_RECOGNIZERS"


@cache
def installed() -> dict[str, EntryPoint]:
    """The engines this installation declares, by name (looked up once per process:
    scanning every installed distribution's metadata costs milliseconds)."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def chosen() -> tuple[str, ...]:
    """The engine names the setting asks for, checked against the installed ones."""
    return _chosen(ocr_settings().recognizers)


@cache
def _chosen(names: tuple[str, ...]) -> tuple[str, ...]:
    known = installed()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigurationError(
            f"{SETTING} names an unknown recognizer: {', '.join(unknown)}; installed "
            f"recognizers are: {', '.join(sorted(known)) or 'none'}"
        )
    return names


@cache
def engine(name: str) -> Recognizer:
    """The one instance of an installed engine in this process."""
    known = installed()
    if name not in known:
        raise ConfigurationError(
            f"unknown recognizer {name!r}; installed recognizers are: {', '.join(sorted(known))}"
        )
    made = known[name].load()()
    if not isinstance(made, Recognizer):
        raise ConfigurationError(f"recognizer {name!r} does not implement the Recognizer interface")
    return made


def page_reader() -> Recognizer:
    """The first chosen engine that finds the text of a page by itself."""
    for name in chosen():
        if (reader := engine(name)).reads_pages:
            return reader
    raise ConfigurationError(
        f"{SETTING}={','.join(chosen())} has no recognizer that reads whole pages; "
        "add one (tesseract does)"
    )


def second_readers() -> list[Recognizer]:
    """The chosen engines other than the page reader: the independent second readings."""
    first = page_reader().name
    return [engine(n) for n in chosen() if n != first]


def forget() -> None:
    """Look the installed engines up again (after installing one in this process)."""
    for cached in (installed, _chosen, engine):
        cached.cache_clear()


def check() -> None:
    """Fail before any work when the setting or an engine's own dependencies are wrong:
    a ConfigurationError (exit 2) or a MissingDependencyError (exit 3)."""
    page_reader()
    for name in chosen():
        engine(name)
