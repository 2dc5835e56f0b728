"""Figures stated in a report, read out of its text (clean or OCR'd).

This module holds the shapes; the readers are in ``domain/figures/`` (figures),
``domain/header.py`` (document metadata) and ``domain/arithmetic.py`` (checks), and
``domain/extract.py`` runs them all over one text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ExtractedFigure:
    """One figure a document states: ``element`` is a catalogue code ("dossiers.received"),
    ``value`` the number as stated (1.495 → 1495, 98,39% → 98.39), ``unit`` the unit word
    ("hồ sơ", "%", "đồng"), ``scope`` a breakdown or the plan it counts in (or None),
    ``period`` the range the text gives for it (either end may be None) or None, ``line`` the
    1-based line of the value and ``quote`` the source text around it, verbatim but for
    line breaks."""

    element: str
    value: Decimal
    unit: str
    scope: str | None
    period: tuple[dt.date | None, dt.date | None] | None
    line: int
    quote: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["value"] = _json_number(self.value)
        data["period"] = (
            [d.isoformat() if d else None for d in self.period] if self.period else None
        )
        return data


@dataclass(frozen=True)
class DocumentMeta:
    """What a document's header says about it; any part may be missing."""

    doc_type: str | None = None  # code as in documents.DocumentType: "BC", "KH", …
    symbol: str | None = None  # "276/BC-UBND"
    number: str | None = None  # "276"
    issuer: str | None = None  # "Ủy ban nhân dân đặc khu Cát Hải"
    place: str | None = None  # "Cát Hải"
    issued_on: dt.date | None = None
    subject: str | None = None
    signer: str | None = None
    references: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        return data


@dataclass(frozen=True)
class Finding:
    """Something the reader noticed and a person should look at (an arithmetic mismatch,
    a figure it could not read). ``kind`` is a stable code, ``message`` Vietnamese."""

    kind: str
    message: str
    line: int | None = None
    quotes: list[str] = field(default_factory=list)
    stated: Decimal | None = None
    computed: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["stated"] = _json_number(self.stated) if self.stated is not None else None
        data["computed"] = _json_number(self.computed) if self.computed is not None else None
        return data


@dataclass(frozen=True)
class Extraction:
    document: DocumentMeta
    figures: list[ExtractedFigure]
    findings: list[Finding]

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document.as_json(),
            "figures": [f.as_json() for f in self.figures],
            "findings": [f.as_json() for f in self.findings],
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
