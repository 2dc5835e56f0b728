"""Figures (data values): the one write every path goes through — the web, the API, Excel,
the exchange with upper levels, figures accepted from documents — with the same value
rules, the same lock and a history row saying who, when and why."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.domain.rules import single_value_problems
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
)
from theodoi.progress.services.locks import ensure_editable, submission_for_entry


@transaction.atomic
def data_value_save(
    *,
    element: DataElement,
    area: OrgUnit,
    unit: OrgUnit,
    period: Period,
    value: Decimal | None,
    user: Any,
    comment: str = "",
    reason: str | None = None,
    entries: list | None = None,
) -> DataValue | None:
    """``unit`` enters one figure of ``area`` (itself, or the plan owner whose indicators it
    leads) for ``period``; ``None`` removes an entered figure. ``entries`` may pass the unit's
    ``entry_elements`` when saving many figures at once."""
    from theodoi.progress.selectors.entry import entry_elements

    ensure_can(user, "progress.edit", unit)
    entries = entry_elements(unit=unit) if entries is None else entries
    if not any(e.element == element and e.area == area for e in entries):
        raise ValidationError(f"{unit.name} không nhập số liệu “{element.name}” của {area.name}.")
    ensure_editable(submission_for_entry(unit, period, user))
    existing = DataValue.objects.filter(
        element=element, org_unit=area, period=period, breakdown=""
    ).first()
    if value is None:
        if existing is not None:
            existing._history_user = user  # type: ignore[attr-defined]
            existing._change_reason = "Xóa số liệu"  # type: ignore[attr-defined]
            existing.delete()
        return None
    problems = single_value_problems(
        element.code, value, unit=element.unit, integral=element_is_count(element)
    )
    if problems:
        raise ValidationError({"value": problems})
    obj, _ = upsert(
        DataValue,
        lookup={"element": element, "org_unit": area, "period": period, "breakdown": ""},
        values={
            "value": value,
            "entered_by": user,
            "reporting_unit": unit,
            "is_illustrative": False,
            "comment": comment,
            "source_document": None,
            "source_quote": "",
            "source_line": None,
        },
        user=user,
        reason=reason or f"Nhập số liệu ({unit.name})",
    )
    return obj  # type: ignore[return-value]


def element_is_count(element: DataElement) -> bool:
    """Counts of things (dossiers, procedures, people) are whole numbers; rates, money and
    scores are not."""
    return element.unit not in {"%", "điểm", "đồng", "triệu đồng", "km²", "hạng"} and bool(
        element.unit
    )


@transaction.atomic
def validation_rules_install_builtin(*, user: Any) -> int:
    """Store the built-in rules (administrative procedures, dossiers, tasks) in the database,
    where administrators can switch them off or add their own. Returns how many were written."""
    from theodoi.domain.rules import BUILTIN_RULES
    from theodoi.progress.models import ValidationRule

    written = 0
    for rule in BUILTIN_RULES:
        _, changed = upsert(
            ValidationRule,
            lookup={"code": rule.code},
            values={
                "name": rule.message.split("(")[0].strip()[:255],
                "left": str(rule.left),
                "operator": rule.operator.value,
                "right": str(rule.right),
                "importance": rule.importance.value,
                "message": rule.message,
                "period_kind": rule.period_kind.value if rule.period_kind else "",
                "is_builtin": True,
            },
            user=user,
            reason="Cài quy tắc kiểm tra có sẵn",
        )
        written += changed
    return written
