"""Reads of the report register, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from theodoi.orgs.selectors import units_visible_to
from theodoi.reports.models import Report


def reports_visible_to(*, user: Any | None) -> QuerySet[Report]:
    """Reports of the units the user may read."""
    return Report.objects.filter(org_unit__in=units_visible_to(user=user)).select_related(
        "org_unit", "period", "created_by", "corrects"
    )
