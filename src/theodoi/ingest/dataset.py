"""Loading a dataset of reviewable YAML files (``data/``) into the database.

The load is one transaction and idempotent: every row is found by its natural key (unit
code, document key, plan and task code …) and written only when it differs, so loading the
same files twice changes nothing, history included. Errors name the file and the entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.documents.models import Document, DocumentReference, DocumentType, ReferenceKind
from theodoi.domain.deadlines import DeadlineError, parse_deadline
from theodoi.domain.indicators import TargetError, parse_target
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.references import normalize_symbol
from theodoi.domain.text import fold, normalize
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit, OrgUnitSuccession, SuccessionKind
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import DataElement, DataValue, Period
from theodoi.progress.services import (
    period_ensure,
    period_for_stated_figure,
    validation_rules_install_builtin,
)

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


def load_units(path: Path, *, user: Any, report: LoadReport) -> None:
    entries = _read(path).get("units") or []
    by_code: dict[str, OrgUnit] = {}
    for index, entry in enumerate(entries, start=1):
        code = entry.get("code")
        if not code or not entry.get("name") or not entry.get("kind"):
            raise DatasetError(f"{path.name}, đơn vị thứ {index}: thiếu code, name hoặc kind.")
        parent = None
        if entry.get("parent"):
            parent = by_code.get(entry["parent"])
            if parent is None:
                raise DatasetError(
                    f"{path.name}, đơn vị {code}: đơn vị cấp trên “{entry['parent']}” chưa được "
                    "khai báo ở phía trên."
                )
        values = {
            "name": _text(entry["name"]),
            "kind": entry["kind"],
            "parent": parent,
            "aliases": [_text(a) for a in entry.get("aliases", [])],
            "valid_from": entry.get("valid_from"),
            "valid_to": entry.get("valid_to"),
            "note": _text(entry.get("note")),
        }
        probe = OrgUnit(code=code, **values)
        probe.refresh_derived()
        values.update(path=probe.path, depth=probe.depth, search_key=probe.search_key)
        obj, written = upsert(
            OrgUnit, lookup={"code": code}, values=values, user=user, reason=REASON
        )
        by_code[code] = obj  # type: ignore[assignment]
        report.count("units", written)
    for entry in entries:
        if entry.get("successor"):
            successor = by_code.get(entry["successor"])
            if successor is None:
                raise DatasetError(
                    f"{path.name}, đơn vị {entry['code']}: đơn vị kế thừa “{entry['successor']}” "
                    "không có trong tệp."
                )
            effective = successor.valid_from or entry.get("valid_to")
            _, written = upsert(
                OrgUnitSuccession,
                lookup={"predecessor": by_code[entry["code"]], "successor": successor},
                values={
                    "kind": SuccessionKind.TRANSFORM,
                    "effective_on": effective,
                    "note": _text(entry.get("note")),
                },
                user=user,
                reason=REASON,
            )
            report.count("successions", written)


def document_key(
    symbol: str | None, issued_on: dt.date | None, seed: str | None = None, description: str = ""
) -> str:
    """The natural key of a document: symbol and date, the seed name, or for a document
    without a number its type, issuer and subject folded."""
    if symbol:
        return f"{symbol}@{issued_on.isoformat()}" if issued_on else symbol
    if seed:
        return f"seed:{seed}"
    if description.strip(": "):
        return "nosymbol:" + fold(description)[:110]
    raise DatasetError(
        "Văn bản không có số, ký hiệu phải có loại, cơ quan ban hành hoặc trích yếu."
    )


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


def load_documents(path: Path, *, user: Any, report: LoadReport) -> DocumentIndex:
    entries = _read(path).get("documents") or []
    index = DocumentIndex()
    units = {u.code: u for u in OrgUnit.objects.all()}
    pending: list[tuple[Document, dict[str, Any]]] = []
    for number, entry in enumerate(entries, start=1):
        symbol = normalize_symbol(_text(entry.get("symbol"))) if entry.get("symbol") else ""
        where = f"{path.name}, văn bản thứ {number} ({symbol or entry.get('seed')})"
        issued_on = entry.get("date")
        if issued_on is not None and not isinstance(issued_on, dt.date):
            raise DatasetError(f"{where}: ngày “{issued_on}” phải viết dạng yyyy-mm-dd.")
        try:
            key = document_key(
                symbol,
                issued_on,
                entry.get("seed"),
                f"{entry.get('type')}:{entry.get('issuer') or ''}:{entry.get('subject') or ''}",
            )
        except DatasetError as exc:
            raise DatasetError(f"{where}: {exc}") from None
        issuer_unit = units.get(entry.get("issuer_unit") or "")
        if entry.get("issuer_unit") and issuer_unit is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry['issuer_unit']}”.")
        doc, written = upsert(
            Document,
            lookup={"key": key},
            values={
                "doc_type": _doc_type(entry.get("type"), where),
                "symbol": symbol,
                "issuer": _text(entry.get("issuer")),
                "issuer_unit": issuer_unit,
                "issued_on": issued_on,
                "subject": _text(entry.get("subject")),
                "source_file": f"seeds/{entry['seed']}" if entry.get("seed") else "",
                "is_stub": False,
            },
            user=user,
            reason=REASON,
        )
        report.count("documents", written)
        index.add(doc, entry.get("seed"))  # type: ignore[arg-type]
        as_of = entry.get("figures_as_of") or issued_on
        if entry.get("seed") and as_of:
            index.figures_as_of[str(entry["seed"])] = as_of
        pending.append((doc, entry))  # type: ignore[arg-type]
    for doc, entry in pending:
        for kind, field_name in (
            (ReferenceKind.IMPLEMENTS, "implements"),
            (ReferenceKind.REPLACES, "replaces"),
        ):
            targets = entry.get(field_name) or []
            if isinstance(targets, str):
                targets = [targets]
            for symbol in targets:
                target = ensure_document(index, str(symbol), user=user, report=report)
                _, written = upsert(
                    DocumentReference,
                    lookup={"source": doc, "target": target, "kind": kind},
                    values={},
                    user=user,
                    reason=REASON,
                )
                report.count("references", written)
    return index


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


def _deadline_fields(text: Any, where: str) -> dict[str, Any]:
    if text in (None, ""):
        return {"deadline_kind": "per_source", "deadline_date": None, "deadline_text": ""}
    try:
        deadline = parse_deadline(str(text))
    except DeadlineError as exc:
        raise DatasetError(f"{where}: {exc}") from None
    return {
        "deadline_kind": deadline.kind.value,
        "deadline_date": deadline.due,
        "deadline_text": _text(text),
    }


def load_plan(directory: Path, *, index: DocumentIndex, user: Any, report: LoadReport) -> Plan:
    meta = _read(directory / "plan.yaml")
    where = f"{directory.name}/plan.yaml"
    document = index.find(meta["document"])
    if document is None:
        raise DatasetError(f"{where}: văn bản “{meta['document']}” không có trong documents.yaml.")
    owner = OrgUnit.objects.filter(code=meta.get("owner_unit")).first()
    if owner is None:
        raise DatasetError(f"{where}: không có đơn vị mã “{meta.get('owner_unit')}”.")
    plan, written = upsert(
        Plan,
        lookup={"document": document},
        values={"owner_unit": owner, "title": _text(meta["title"])},
        user=user,
        reason=REASON,
    )
    report.count("plans", written)
    implements = [
        ensure_document(index, s, user=user, report=report) for s in meta.get("implements", [])
    ]
    if {d.pk for d in plan.implements.all()} != {d.pk for d in implements}:  # type: ignore[attr-defined]
        plan.implements.set(implements)  # type: ignore[attr-defined]
    resolver = UnitResolver()
    position = 0
    groups: dict[str, TaskGroup] = {}
    for filename in meta.get("files", []):
        content = _read(directory / filename)
        for group in content.get("groups", []):
            position += 1
            obj, written = upsert(
                TaskGroup,
                lookup={"plan": plan, "code": str(group["code"])},
                values={"title": _text(group["title"]), "position": position},
                user=user,
                reason=REASON,
            )
            groups[str(group["code"])] = obj  # type: ignore[assignment]
            report.count("groups", written)
        for entry in content.get("tasks", []):
            position += 1
            _load_task(
                plan,
                entry,
                groups,
                resolver,
                position,
                f"{directory.name}/{filename}",
                user,
                report,
            )
        for entry in content.get("indicators", []):
            position += 1
            _load_indicator(
                plan,
                entry,
                groups,
                resolver,
                position,
                f"{directory.name}/{filename}",
                user,
                report,
            )
    return plan  # type: ignore[return-value]


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _load_task(
    plan: Plan,
    entry: dict[str, Any],
    groups: dict[str, TaskGroup],
    resolver: UnitResolver,
    position: int,
    where: str,
    user: Any,
    report: LoadReport,
) -> None:
    code = str(entry.get("code") or "")
    where = f"{where}, nhiệm vụ {code or position}"
    if not code or not entry.get("title"):
        raise DatasetError(f"{where}: thiếu mã (code) hoặc nội dung (title).")
    leads, lead_others = resolver.split(_names(entry.get("lead_unit")))
    coordinating, coordinating_others = resolver.split(_names(entry.get("coordinating_units")))
    report.unresolved_units.update(lead_others + coordinating_others)
    upstream_document = None
    if entry.get("upstream_document"):
        upstream_document = (
            Document.objects.filter(symbol=normalize_symbol(str(entry["upstream_document"])))
            .order_by("-issued_on")
            .first()
        )
    group_code = entry.get("group")
    if group_code is not None and str(group_code) not in groups:
        raise DatasetError(f"{where}: nhóm “{group_code}” chưa được khai báo.")
    values = {
        "group": groups.get(str(group_code)) if group_code is not None else None,
        "title": _text(entry["title"]),
        "lead_unit": leads[0] if leads else None,
        "lead_text": "; ".join([u.name for u in leads[1:]] + lead_others),
        "coordinating_text": "; ".join(coordinating_others),
        "output": _text(entry.get("output")),
        "upstream_document": upstream_document,
        "upstream_code": _text(entry.get("upstream_code")),
        "upstream_text": _text(entry.get("upstream_text")),
        "source_line": entry.get("source_line"),
        "position": position,
        **_deadline_fields(entry.get("deadline"), where),
    }
    task, written = upsert(
        Task, lookup={"plan": plan, "code": code}, values=values, user=user, reason=REASON
    )
    report.count("tasks", written)
    if {u.pk for u in task.coordinating_units.all()} != {u.pk for u in coordinating}:  # type: ignore[attr-defined]
        task.coordinating_units.set(coordinating)  # type: ignore[attr-defined]


def _load_indicator(
    plan: Plan,
    entry: dict[str, Any],
    groups: dict[str, TaskGroup],
    resolver: UnitResolver,
    position: int,
    where: str,
    user: Any,
    report: LoadReport,
) -> None:
    code = str(entry.get("code") or "")
    where = f"{where}, chỉ tiêu {code or position}"
    if not code or not entry.get("name"):
        raise DatasetError(f"{where}: thiếu mã (code) hoặc tên (name).")
    leads, others = resolver.split(_names(entry.get("lead_unit")))
    report.unresolved_units.update(others)
    name = _text(entry["name"])
    element, written = upsert(
        DataElement,
        lookup={"code": f"indicator.{fold(plan.document.symbol)}.{code}"},
        values={
            "name": name[:255],
            "unit": _text(entry.get("unit")),
            "description": f"Giá trị thực hiện chỉ tiêu {code} của {plan.document.symbol}.",
        },
        user=user,
        reason=REASON,
    )
    report.count("data elements", written)
    group_code = entry.get("group")
    if group_code is not None and str(group_code) not in groups:
        raise DatasetError(f"{where}: nhóm “{group_code}” chưa được khai báo.")
    indicator, written = upsert(
        Indicator,
        lookup={"plan": plan, "code": code},
        values={
            "group": groups.get(str(group_code)) if group_code is not None else None,
            "name": name,
            "unit": _text(entry.get("unit")) or "%",
            "direction": entry.get("direction") or "higher",
            "lead_unit": leads[0] if leads else None,
            "lead_text": "; ".join([u.name for u in leads[1:]] + others),
            "output": _text(entry.get("output")),
            "data_element": element,
            "source_line": entry.get("source_line"),
            "position": position,
        },
        user=user,
        reason=REASON,
    )
    report.count("indicators", written)
    for year, text in (entry.get("targets") or {}).items():
        try:
            target = parse_target(str(text))
        except TargetError as exc:
            raise DatasetError(f"{where}, mốc {year}: {exc}") from None
        _, written = upsert(
            IndicatorTarget,
            lookup={"indicator": indicator, "year": int(year), "adjusted_by": None},
            values={
                "comparator": target.comparator.value,
                "value": target.value,
                "value_high": target.high,
                "text": _text(text),
                "effective_from": None,
            },
            user=user,
            reason=REASON,
        )
        report.count("targets", written)


def load_elements(path: Path, *, user: Any, report: LoadReport) -> None:
    for entry in _read(path).get("elements") or []:
        _, written = upsert(
            DataElement,
            lookup={"code": entry["code"]},
            values={
                "name": _text(entry["name"]),
                "unit": _text(entry.get("unit")),
                "description": _text(entry.get("description")),
                "aggregation": entry.get("aggregation", "last"),
            },
            user=user,
            reason=REASON,
        )
        report.count("data elements", written)
    units = {u.code: u for u in OrgUnit.objects.all()}
    for number, entry in enumerate(_read(path).get("reporting") or [], start=1):
        where = f"{path.name}, mục reporting thứ {number}"
        by, area = units.get(entry.get("reported_by")), units.get(entry.get("reported_for"))
        if by is None or (entry.get("reported_for") and area is None):
            raise DatasetError(f"{where}: mã đơn vị không có trong units.yaml.")
        for code in entry.get("elements") or []:
            element = DataElement.objects.filter(code=code).first()
            if element is None:
                raise DatasetError(f"{where}: loại số liệu “{code}” chưa có trong elements.yaml.")
            _, written = upsert(
                DataElement,
                lookup={"code": code},
                values={"reported_by": by, "reported_for": area},
                user=user,
                reason=REASON,
            )
            report.count("data elements", written)


def load_figures(path: Path, *, index: DocumentIndex, user: Any, report: LoadReport) -> None:
    """Figures stated in source documents, kept with the document, line and quoted text."""
    elements = {e.code: e for e in DataElement.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    for number, entry in enumerate(_read(path).get("figures") or [], start=1):
        where = f"{path.name}, số liệu thứ {number} ({entry.get('element')})"
        element = elements.get(entry.get("element"))
        if element is None:
            raise DatasetError(f"{where}: loại số liệu chưa có trong elements.yaml.")
        unit = units.get(entry.get("org_unit") or "")
        if unit is None:
            raise DatasetError(f"{where}: không có đơn vị mã “{entry.get('org_unit')}”.")
        document = index.by_seed.get(str(entry.get("seed")))
        if document is None:
            raise DatasetError(f"{where}: không có văn bản nguồn seed “{entry.get('seed')}”.")
        start, end = (entry.get("period") or [None, None])[:2]
        try:
            # A figure stated without its own range counts from the start of the year up to
            # the date the report's figures run to.
            period = period_for_stated_figure(
                start=start,
                end=end,
                as_of=index.figures_as_of.get(str(entry.get("seed"))),
                user=user,
                reason=REASON,
            )
        except ValidationError as exc:
            raise DatasetError(f"{where}: {' '.join(exc.messages)}") from None
        value = Decimal(str(entry["value"]))
        _, written = upsert(
            DataValue,
            lookup={
                "element": element,
                "org_unit": unit,
                "period": period,
                "breakdown": _text(entry.get("scope")),
            },
            values={
                "value": value,
                "source_document": document,
                "source_line": entry.get("line"),
                "source_quote": str(entry["quote"]),  # verbatim
                "comment": _text(entry.get("note")),
                "is_illustrative": False,
            },
            user=user,
            reason=REASON,
        )
        report.count("data values", written)


@transaction.atomic
def load_dataset(directory: Path, *, user: Any) -> LoadReport:
    """Load every file of the dataset in ``directory``; all or nothing."""
    report = LoadReport()
    load_units(directory / "units.yaml", user=user, report=report)
    index = load_documents(directory / "documents.yaml", user=user, report=report)
    load_elements(directory / "elements.yaml", user=user, report=report)
    rules_written = validation_rules_install_builtin(user=user)
    if rules_written:
        report.written["validation rules"] = rules_written
    for plan_dir in sorted(p for p in (directory / "plans").iterdir() if p.is_dir()):
        load_plan(plan_dir, index=index, user=user, report=report)
    load_figures(directory / "figures.yaml", index=index, user=user, report=report)
    if (directory / "reports.yaml").exists():
        load_report_profiles(directory / "reports.yaml", user=user, report=report)
    from theodoi.documents.search import search_index_rebuild

    search_index_rebuild()
    return report


def load_report_profiles(path: Path, *, user: Any, report: LoadReport) -> None:
    from theodoi.reports.models import ReportProfile

    for entry in _read(path).get("profiles") or []:
        unit = OrgUnit.objects.filter(code=entry.get("org_unit")).first()
        if unit is None:
            raise DatasetError(f"{path.name}: không có đơn vị mã “{entry.get('org_unit')}”.")
        _, written = upsert(
            ReportProfile,
            lookup={"org_unit": unit},
            values={
                "parent_body": _text(entry.get("parent_body")),
                "issuer_lines": [_text(x) for x in entry.get("issuer_lines", [])],
                "place": _text(entry["place"]),
                "symbol_suffix": _text(entry.get("symbol_suffix") or "BC-UBND"),
                "signing_lines": [_text(x) for x in entry.get("signing_lines", [])],
                "signer_name": _text(entry.get("signer_name")),
                "recipients": [_text(x) for x in entry.get("recipients", [])],
                "archive_line": _text(entry.get("archive_line") or "Lưu: VT."),
            },
            user=user,
            reason=REASON,
        )
        report.count("report profiles", written)
