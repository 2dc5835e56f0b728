"""Writes to periods, figures and progress."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from theodoi.domain.periods import Period as DomainPeriod
from theodoi.history import upsert
from theodoi.progress.models import Period


@transaction.atomic
def period_ensure(*, period: DomainPeriod, user: Any, reason: str = "Tạo kỳ báo cáo") -> Period:
    """The stored row of a reporting period, created on first use (found by its code)."""
    obj, _ = upsert(
        Period,
        lookup={"code": period.code},
        values={
            "kind": period.kind.value,
            "basis": period.basis.value,
            "start": period.start,
            "end": period.end,
            "label": period.label,
        },
        user=user,
        reason=reason,
    )
    return obj  # type: ignore[return-value]
