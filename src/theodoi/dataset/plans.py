"""Loading a plan of the dataset (``data/plans/<plan>/``): its document, groups, tasks with
their deadlines and units, indicators with their targets per milestone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from theodoi.dataset.common import (
    REASON,
    DatasetError,
    DocumentIndex,
    LoadReport,
    UnitResolver,
    _read,
    _text,
    ensure_document,
)
from theodoi.documents.models import Document
from theodoi.domain.deadlines import DeadlineError, parse_deadline
from theodoi.domain.fields import Field
from theodoi.domain.indicators import TargetError, parse_target
from theodoi.domain.references import normalize_symbol
from theodoi.domain.text import fold
from theodoi.domain.values import value_type_for_unit
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import DataElement


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
    field = _text(entry.get("field"))
    if field and field not in {f.value for f in Field}:
        fields = ", ".join(f.value for f in Field)
        raise DatasetError(f"{where}: lĩnh vực “{field}” không có; dùng một trong: {fields}.")
    values = {
        "group": groups.get(str(group_code)) if group_code is not None else None,
        "field": field,
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
            "value_type": value_type_for_unit(_text(entry.get("unit")) or "%").value,
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
