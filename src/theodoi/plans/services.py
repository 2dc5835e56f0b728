"""Writes to plans: adjusting targets keeps the original and every earlier version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.documents.models import Document
from theodoi.domain.indicators import TargetError, parse_target
from theodoi.history import save_tracked
from theodoi.plans.models import Indicator, IndicatorTarget, PlanAdjustment


@transaction.atomic
def indicator_target_adjust(
    *,
    indicator: Indicator,
    year: int,
    text: str,
    document: Document,
    effective_from: dt.date,
    user: Any,
) -> IndicatorTarget:
    """Record that ``document`` sets the target of ``indicator`` for ``year`` to ``text`` from
    ``effective_from`` (e.g. a steering committee notice changing the 2026 targets). The
    earlier target stays and still applies to dates before ``effective_from``."""
    try:
        target = parse_target(text)
    except TargetError as exc:
        raise ValidationError(str(exc)) from None
    adjusted = IndicatorTarget(
        indicator=indicator,
        year=year,
        comparator=target.comparator.value,
        value=target.value,
        value_high=target.high,
        text=text,
        effective_from=effective_from,
        adjusted_by=document,
    )
    save_tracked(adjusted, user=user, reason=f"Điều chỉnh mục tiêu theo {document}")
    adjustment = PlanAdjustment.objects.filter(plan=indicator.plan, document=document).first()
    if adjustment is None:
        adjustment = PlanAdjustment(
            plan=indicator.plan, document=document, effective_from=effective_from
        )
    adjustment.note = (adjustment.note + "\n" if adjustment.note else "") + (
        f"Chỉ tiêu {indicator.code}, mốc {year}: {text}"
    )
    save_tracked(adjustment, user=user, reason="Điều chỉnh kế hoạch")
    return adjusted
