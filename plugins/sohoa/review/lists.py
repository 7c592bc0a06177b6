"""The closed lists a clerk picks from when typing a record in: the 54 ethnic groups and
the nationalities (countries by their Vietnamese names, Việt Nam first)."""

from __future__ import annotations

from functools import lru_cache

from ocr.lexicon import ethnic_groups
from ocr.text import fold

VIETNAM = "Việt Nam"


@lru_cache(maxsize=1)
def ethnic_choices() -> tuple[tuple[str, str], ...]:
    """(official name, other spellings folded) of each group, in the official order: the
    other spellings let "mong" find Mông and "meo" find it too."""
    return tuple((g.name, " ".join(fold(a) for a in g.aliases)) for g in ethnic_groups())


@lru_cache(maxsize=1)
def nationality_choices() -> tuple[str, ...]:
    """Countries by their Vietnamese names (CLDR, through Babel), Việt Nam first."""
    from babel import Locale

    names = {
        name
        for code, name in Locale("vi").territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    names.discard(VIETNAM)
    return (VIETNAM, *sorted(names, key=fold))


# CLDR territory codes that are not countries a person holds the nationality of.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"})
