"""Typed errors, each mapped to the exit codes of the README.

Modelled on OCRmyPDF: every error carries a message a clerk can act on, so the CLI
prints one line and never a traceback.
"""

from __future__ import annotations


class SohoaError(Exception):
    """Base class. ``exit_code`` is what the CLI returns when this error ends a run."""

    exit_code = 1


class InputFileError(SohoaError):
    """A file that cannot be read as a scan: empty, truncated, encrypted, too large..."""

    exit_code = 2


class MissingDependencyError(SohoaError):
    """A program or language pack is missing; the message says how to install it."""

    exit_code = 3


class ConfigurationError(SohoaError):
    """Bad arguments or settings."""

    exit_code = 2
