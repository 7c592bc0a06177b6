"""Errors that carry a stable code and their parameters beside the English message.

The CLI prints the English message (``str(exc)``). The web pages say the same thing in
Vietnamese by looking the *code* up in their own table and filling in the parameters
(:mod:`sohoa.web.error_texts`), never by reading the English text: rewording a message
here cannot leave a clerk with English on the page, and a new code without a Vietnamese
text fails the tests instead of slipping through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ocr.errors import SohoaError


class CodedError(SohoaError):
    """Base of the coded errors. A subclass lists its codes in ``MESSAGES`` (code ->
    English template for :meth:`str.format` over the parameters); that mapping is the
    registry the translations are checked against. A list or tuple parameter prints
    joined by ", "."""

    MESSAGES: ClassVar[Mapping[str, str]] = {}

    def __init__(self, code: str, **params: Any) -> None:
        if code not in self.MESSAGES:
            raise ValueError(f"{type(self).__name__} has no code {code!r}")
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(english(self.MESSAGES[code], params))

    @property
    def field(self) -> str | None:
        """The field the error is about (for showing it beside its input), if any."""
        return self.params.get("field")

    def __getattr__(self, name: str) -> Any:
        """The parameters read as attributes (``exc.number``, ``exc.state``)."""
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __reduce__(self):  # pickled by code and parameters, not by the message
        return (_rebuild, (type(self), self.code, self.params))


def english(template: str, params: Mapping[str, Any]) -> str:
    return template.format(**{k: _joined(v) for k, v in params.items()})


def _joined(value: Any) -> Any:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else value


def _rebuild(cls: type[CodedError], code: str, params: dict[str, Any]) -> CodedError:
    return cls(code, **params)
