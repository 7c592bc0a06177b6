"""The closed lists a clerk picks from when typing a record in: the 54 ethnic groups and
the nationalities (countries by their Vietnamese names, Việt Nam first)."""

from __future__ import annotations

from functools import lru_cache

from ocr.lexicon import VIETNAM, ethnic_groups, nationalities
from ocr.text import fold

__all__ = ["VIETNAM", "ethnic_choices", "nationality_choices"]


@lru_cache(maxsize=1)
def ethnic_choices() -> tuple[tuple[str, str], ...]:
    """(official name, other spellings folded) of each group, in the official order: the
    other spellings let "mong" find Mông and "meo" find it too."""
    return tuple((g.name, " ".join(fold(a) for a in g.aliases)) for g in ethnic_groups())


def nationality_choices() -> tuple[str, ...]:
    """Countries by their Vietnamese names, Việt Nam first (the reader's list)."""
    return nationalities()
