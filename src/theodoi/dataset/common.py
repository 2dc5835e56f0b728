"""What the dataset's loaders share: the error that names the file and entry, the tally of what
was written, reading YAML, and finding units and documents by the names the files give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from theodoi.documents.models import Document, DocumentType
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.references import normalize_symbol
from theodoi.domain.text import fold, normalize
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period
from theodoi.progress.services.periods import period_ensure

REASON = "Nạp bộ dữ liệu"


class DatasetError(ValueError):
    """A dataset file that cannot be loaded; the message is Vietnamese and says where."""


@dataclass
class LoadReport:
    written: dict[str, int] = field(default_factory=dict)
    unresolved_units: set[str] = field(default_factory=set)

    def count(self, kind: str, written: bool) -> None:
        if written:
            self.written[kind] = self.written.get(kind, 0) + 1


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except FileNotFoundError:
        raise DatasetError(f"Không thấy tệp dữ liệu {path}.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        raise DatasetError(f"Tệp {path.name} sai cú pháp YAML{where}: {exc}") from None
    if not isinstance(content, dict):
        raise DatasetError(f"Tệp {path.name} phải là một bảng khóa–giá trị YAML.")
    return content


def _text(value: Any) -> str:
    return normalize(str(value)) if value is not None else ""


def period_store(period: DomainPeriod, *, user: Any) -> Period:
    return period_ensure(period=period, user=user, reason=REASON)


class UnitResolver:
    """Maps the unit names written in the data (name or alias, any diacritics) to units."""

    def __init__(self) -> None:
        self.by_key: dict[str, OrgUnit] = {}
        for unit in OrgUnit.objects.all():
            for name in [unit.code, unit.name, *unit.aliases]:
                self.by_key.setdefault(fold(name), unit)

    def resolve(self, name: str | None) -> OrgUnit | None:
        if not name:
            return None
        return self.by_key.get(fold(name))

    def split(self, names: Iterable[str]) -> tuple[list[OrgUnit], list[str]]:
        units, others = [], []
        for name in names:
            unit = self.resolve(name)
            if unit is None:
                others.append(_text(name))
            elif unit not in units:
                units.append(unit)
        return units, others


VALID_TYPES = {choice.value for choice in DocumentType}


def _doc_type(value: str | None, where: str) -> str:
    if value in VALID_TYPES:
        return value  # type: ignore[return-value]
    if value and normalize(value).upper() in {v.upper() for v in VALID_TYPES}:
        return next(v for v in VALID_TYPES if v.upper() == normalize(value).upper())
    if value in {"QD", "ND", "DA"}:
        return {"QD": "QĐ", "ND": "NĐ", "DA": "ĐA"}[value]
    if value:
        return DocumentType.OTHER.value
    raise DatasetError(f"{where}: thiếu loại văn bản (type).")


class DocumentIndex:
    """Finds documents by symbol (and date when several share a symbol) or by seed name."""

    def __init__(self) -> None:
        self.by_symbol: dict[str, list[Document]] = {}
        self.by_seed: dict[str, Document] = {}
        self.figures_as_of: dict[str, dt.date] = {}

    def add(self, document: Document, seed: str | None) -> None:
        if document.symbol:
            self.by_symbol.setdefault(fold(document.symbol), []).append(document)
        if seed:
            self.by_seed[str(seed)] = document

    def find(self, symbol: str) -> Document | None:
        found = self.by_symbol.get(fold(normalize_symbol(symbol)), [])
        return found[0] if len(found) == 1 else None


def ensure_document(
    index: DocumentIndex, symbol: str, *, user: Any, report: LoadReport
) -> Document:
    """The document with ``symbol``, or a stub to complete later when it is not described."""
    found = index.find(symbol)
    if found is not None:
        return found
    candidates = index.by_symbol.get(fold(normalize_symbol(symbol)), [])
    if candidates:  # several documents share the symbol: the newest is the usual reference
        return max(candidates, key=lambda d: d.issued_on or dt.date.min)
    symbol = normalize_symbol(symbol)
    stub, written = upsert(
        Document,
        lookup={"key": symbol},
        values={
            "doc_type": _doc_type(_guess_type(symbol), symbol),
            "symbol": symbol,
            "is_stub": True,
        },
        user=user,
        reason=REASON,
    )
    report.count("document stubs", written)
    index.add(stub, None)  # type: ignore[arg-type]
    return stub  # type: ignore[return-value]


def _guess_type(symbol: str) -> str:
    from theodoi.domain.references import SYMBOL_TYPES

    for part in symbol.replace("-", "/").split("/"):
        if part.upper() in SYMBOL_TYPES:
            return SYMBOL_TYPES[part.upper()]
    return DocumentType.OTHER.value
