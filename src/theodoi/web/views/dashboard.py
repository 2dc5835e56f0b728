"""The dashboard: a unit's plan for a period at a glance."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from theodoi.db_routers import use_replica
from theodoi.domain.status import TaskStatus
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.selectors.dashboard import dashboard as dashboard_data
from theodoi.progress.selectors.late import explanations_of
from theodoi.progress.services.summaries import summary_version
from theodoi.web.views.common import home_unit, period_choices, scope_from


@login_required
@use_replica()  # a read-only page: served by the read replica where one is configured
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("don-vi") and home_unit(request.user) is None:
        return render(request, "web/no_role.html")
    scope = scope_from(request)
    data = None
    chart = None
    cache_key = dashboard_cache_key(scope)
    cached = cache_key is not None and cache.get(
        make_template_fragment_key("dashboard", [cache_key])
    )
    if scope.plan is not None and not cached:
        data = dashboard_data(
            plan=scope.plan,
            unit=scope.unit,
            period=scope.period,
            as_of=scope.as_of,
            user=request.user,
        )
        chart = {
            "labels": [s.label for s in TaskStatus],
            "values": [getattr(data.counts, s.value) for s in TaskStatus],
            "trends": _trends(data),
        }
    return render(
        request,
        "web/dashboard.html",
        {
            "scope": scope,
            "data": data,
            "chart": chart,
            "statuses": list(TaskStatus),
            "units": units_visible_to(user=request.user).order_by("path"),
            "periods": period_choices(),
            "cache_key": cache_key,
            # not in the cached part: an answer shows at once
            "explanations": explanations_of(user=request.user, period=scope.period),
        },
    )


def dashboard_cache_key(scope) -> str | None:
    """The key of the cached page: the scope and the version of what counts."""
    if scope.plan is None:
        return None
    version = summary_version(plan=scope.plan, period_code=scope.period.code)
    if version is None:
        return None
    return (
        f"{scope.plan.id}:{scope.unit.id}:{scope.period.code}:{scope.as_of.isoformat()}:{version}"
    )


def _trends(data: Any) -> dict[str, dict[str, Any]]:
    """Each indicator's values over the periods for its small chart, with its unit and the
    applicable milestone's target (the dashed line), as the indicator page's chart has."""
    rows = {r.indicator.id: r for r in data.indicators}
    out: dict[str, dict[str, Any]] = {}
    for pk, values in data.trends.items():
        if not values:
            continue
        row = rows.get(pk)
        target = row.evaluation.target if row is not None else None
        out[str(pk)] = {
            "labels": [t[0] for t in values],
            "values": [float(t[1]) for t in values],
            "unit": row.indicator.unit if row is not None else "",
            "target": float(target.value) if target is not None else None,
            # worded as the indicator page's chart words it (views.browse)
            "target_label": (
                f"Mục tiêu {row.evaluation.milestone_year}: {target.display(row.indicator.unit)}"
                if target is not None
                else ""
            ),
        }
    return out
