"""Progress bars on stderr for the long commands (``extract``, ``upload``, ``dossiers
import``, ``run``, ``export book``): done and total, rate and time left.

Only when stderr is a terminal: in a pipe, a log file or a cron mail a bar is noise, so
there the commands print what they printed before and nothing more. Lines printed while a
bar is shown go through :func:`say`, which keeps the bar below them intact.
"""

from __future__ import annotations

import sys
from typing import IO

from tqdm import tqdm


def on_terminal(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False


def progress_bar(total: int | None, unit: str, desc: str | None = None) -> tqdm:
    """A bar on stderr, switched off unless stderr is a terminal. Use it as a context
    manager, or close it."""
    return tqdm(
        total=total,
        unit=unit,
        desc=desc,
        file=sys.stderr,
        disable=not on_terminal(sys.stderr),
        dynamic_ncols=True,
        mininterval=0.2,
        smoothing=0.1,
    )


def say(text: str) -> None:
    """A line on stderr that does not tear a bar being drawn."""
    tqdm.write(text, file=sys.stderr)
