"""Stored reporting periods: created on first use by their code, and the period a figure stated
in a document covers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.periods import PeriodError, PeriodKind, custom
from theodoi.history import upsert
from theodoi.progress.models import (
    Period,
)


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


def stated_figure_period(
    *, start: dt.date | None, end: dt.date | None, as_of: dt.date | None
) -> DomainPeriod:
    """The period a figure stated in a document covers: the range the text gives for it; with
    no end, up to ``as_of`` (the date the document's figures run to, by default its date);
    with no start, from 1 January of the end's year. The dataset loader and the review of
    extracted figures both use this one rule. Raises ValidationError in Vietnamese."""
    end = end or as_of
    if end is None:
        raise ValidationError(
            "Không xác định được kỳ của số liệu: văn bản không ghi kỳ và chưa có ngày ban hành."
        )
    try:
        return custom(start or dt.date(end.year, 1, 1), end)
    except PeriodError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def period_for_stated_figure(
    *,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None,
    user: Any,
    reason: str,
) -> Period:
    """The stored period of a figure stated in a document (see :func:`stated_figure_period`),
    created on first use."""
    period = stated_figure_period(start=start, end=end, as_of=as_of)
    return period_ensure(period=period, user=user, reason=reason)


@transaction.atomic
def entry_period_ensure(*, period: DomainPeriod, user: Any) -> Period:
    """The stored period progress and figures are entered for: a reporting period (month,
    quarter, half-year, nine months, year) that has begun. A custom range is for reports, not
    entry; a period not yet begun has nothing to report."""
    if period.kind is PeriodKind.CUSTOM:
        raise ValidationError(
            "Tiến độ và số liệu được nhập theo kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm); "
            "khoảng ngày tùy chọn chỉ dùng khi lập báo cáo."
        )
    if period.start > timezone.localdate():
        raise ValidationError(f"{period.label} chưa bắt đầu nên chưa nhập tiến độ được.")
    return period_ensure(period=period, user=user)
