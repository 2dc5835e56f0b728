"""Reads of the report register, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from theodoi.orgs.selectors import units_visible_to
from theodoi.reports.models import Report


def reports_visible_to(*, user: Any | None) -> QuerySet[Report]:
    """Reports of the units the user may read."""
    return (
        Report.objects.filter(org_unit__in=units_visible_to(user=user))
        .select_related("org_unit", "period", "created_by", "corrects")
        .prefetch_related("corrections")
    )


def register_rows(*, user: Any | None, unit: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The unit's register, newest first: each report with the report that replaced it, if
    any (a replaced report stays in the register, marked as such)."""
    rows = []
    for report in reports_visible_to(user=user).filter(org_unit=unit)[:limit]:
        replaced_by = next(iter(report.corrections.all()), None)
        rows.append({"report": report, "replaced_by": replaced_by})
    return rows
