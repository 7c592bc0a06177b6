"""Vietnamese names of the document types: the catalogue's (:mod:`sohoa.labels`)."""

from __future__ import annotations

from sohoa.labels import DOC_TYPE_LABELS

__all__ = ["DOC_TYPE_LABELS"]
