"""The extracted record (docs/record.md), as plain dataclasses with a JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ocr import doctypes

Status = Literal["auto_accepted", "needs_review", "rejected"]
DOC_TYPES: tuple[str, ...] = doctypes.names()

BBox = tuple[int, int, int, int]  # x, y, width, height in pixels of the page as uploaded


FieldStatus = Literal["sure", "check"]


@dataclass
class FieldValue:
    """One field as read. ``confidence`` is the calibrated probability that the value is
    right; ``status`` says whether it may be loaded without a person looking ("sure": two
    independent readings agree, or a closed list holds it, and every check passed) or not
    ("check"), and ``reason`` why (see :mod:`ocr.acceptance`). Fields that no reader made
    (typed in, generated) have no status."""

    value: Any
    confidence: float
    bbox: BBox | None = None
    status: FieldStatus | None = None
    reason: str | None = None
    # What the calibration is fitted on (the readers' own confidences); not part of the
    # record's JSON.
    evidence: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    unit: dict[str, str] | None = None  # a place's unit on today's map: {"code", "name"}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "confidence": round(self.confidence, 3)}
        if self.bbox is not None:
            out["bbox"] = [int(v) for v in self.bbox]
        if self.status is not None:
            out["status"] = self.status
            out["reason"] = self.reason or ""
        if self.unit is not None:
            out["unit"] = dict(self.unit)
        return out


@dataclass
class Issue:
    rule: str
    message: str
    field: str | None = None
    suggestion: str | None = None  # a list's spelling the value was not changed to

    def to_json(self) -> dict[str, Any]:
        out = {"field": self.field, "rule": self.rule, "message": self.message}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        return out


@dataclass
class Source:
    uri: str
    page: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"uri": self.uri, "page": self.page, "sha256": self.sha256}


@dataclass
class Quality:
    rotation: int = 0
    skew_deg: float = 0.0
    sharpness: float = 0.0
    readable: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "rotation": self.rotation,
            "skew_deg": round(self.skew_deg, 2),
            "sharpness": round(self.sharpness, 3),
            "readable": self.readable,
        }


@dataclass
class PageRecord:
    source: Source
    doc_type: str = "unknown"
    fields: dict[str, FieldValue] = field(default_factory=dict)
    quality: Quality = field(default_factory=Quality)
    status: str = "needs_review"
    issues: list[Issue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json(),
            "doc_type": self.doc_type,
            "fields": {name: f.to_json() for name, f in self.fields.items()},
            "quality": self.quality.to_json(),
            "status": self.status,
            "issues": [i.to_json() for i in self.issues],
        }


# The least confidence a field of a record loaded without review may have (the data gate
# checks it); a sure field needs far more (ocr.acceptance.SURE_PROBABILITY).
AUTO_ACCEPT_CONFIDENCE = 0.80
