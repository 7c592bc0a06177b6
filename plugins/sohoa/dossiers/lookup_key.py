"""The keyed hash that the reuse audit keeps instead of a looked-up ID number.

A ``reuse_event`` needs to say *that* a lookup happened, by whom, for which dossier and
with which result: the reuse rate counts components marked reused, never the value. So
the value is kept only as HMAC-SHA256 under a secret key: whoever holds the key can
still answer "was this ID looked up, and when?", while a copy of the database alone
cannot tell which IDs were looked up (a plain hash could be reversed by trying every
12-digit ID).

The key is ``SOHOA_LOOKUP_KEY``, else the file ``SOHOA_LOOKUP_KEY_FILE`` (default
``./.sohoa/lookup.key``), created with a random key on first use, readable by its owner
only. Every process that records lookups must share it (the compose file keeps it on the
shared data volume). A lost key only means old audit rows can no longer be matched.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from ocr.errors import ConfigurationError
from sohoa.settings import get_settings


def lookup_key() -> bytes:
    """The secret key of :func:`lookup_digest`."""
    settings = get_settings()
    given = settings.lookup_key
    if given:
        if len(given) < 16:
            raise ConfigurationError("SOHOA_LOOKUP_KEY must have at least 16 characters")
        return given.encode()
    path = settings.lookup_key_file
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    key = path.read_text().strip()
    if len(key) < 16:
        raise ConfigurationError(f"the lookup key in {path} is too short or empty")
    return key.encode()


def lookup_digest(kind: str, value: str, key: bytes | None = None) -> str:
    """64 hex digits: HMAC-SHA256 of the lookup's kind and value (``reuse_event``)."""
    message = f"{kind}\x1f{value.strip()}".encode()
    return hmac.new(key or lookup_key(), message, hashlib.sha256).hexdigest()
