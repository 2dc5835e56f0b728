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
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import memberships
from theodoi.orgs.selectors import subtree, units_visible_to
from theodoi.progress.selectors.dashboard import dashboard as dashboard_data
from theodoi.progress.selectors.late import explanations_of
from theodoi.progress.selectors.rollup import reader_stamp, units_stamp
from theodoi.progress.services.summaries import summary_version, summary_version_stored
from theodoi.web.context import nav_counts
from theodoi.web.pagecache import page_get, page_keep, page_key
from theodoi.web.views.common import (
    default_period,
    home_unit,
    period_choices,
    scope_from,
    today,
)


@login_required
@use_replica()  # a read-only page: served by the read replica where one is configured
def dashboard(request: HttpRequest) -> HttpResponse:
    key = _page_key(request)
    if key is not None:
        found = page_get(request, key)
        # the plan's counts are kept apart (shared by everyone who sees the plan): the page
        # is served when the fresh stored summary is still the one it showed
        if found is not None and found[1] is not None:
            response, shown = found
            plan_id, period_code, version = shown
            if summary_version_stored(plan_id=plan_id, period_code=period_code) == version:
                return response
    response, shown = _dashboard_page(request)
    if key is not None and shown is not None:
        page_keep(key, response, shown)
    return response


def _page_key(request: HttpRequest) -> str | None:
    """The key of this person's dashboard as asked: their roles, the menu's counts, the
    period shown, the day, and the stamps of every unit the page may name — those they see
    and those above them, whose plans apply to them."""
    user = request.user
    if not memberships(user) and not user.is_superuser:
        return None
    return page_key(
        request,
        "dashboard",
        reader_stamp(user),
        nav_counts(request),
        request.GET.get("ky") or default_period().code,
        today().isoformat(),
    )


def _dashboard_page(request: HttpRequest) -> tuple[HttpResponse, tuple | None]:
    """The page made afresh, and what it showed of the plan (plan, period, the version of
    its summary) when it can be kept."""
    if not request.GET.get("don-vi") and home_unit(request.user) is None:
        return render(request, "web/no_role.html"), None
    scope = scope_from(request)
    data = None
    chart = None
    version = _summary_version(scope)
    cache_key = dashboard_cache_key(scope, version)
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
    response = render(
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
            "explanations": explanations_of(user=request.user, period=scope.period),
        },
    )
    if version is None or scope.plan is None:
        return response, None
    return response, (scope.plan.id, scope.period.code, version)


def _summary_version(scope) -> str | None:
    if scope.plan is None:
        return None
    return summary_version(plan=scope.plan, period_code=scope.period.code)


def dashboard_cache_key(scope, version: str | None) -> str | None:
    """The key of the page's plan part, shared by everyone who sees it: the scope, the
    version of what the plan counts, and the stamps of the units it names — the unit's
    subtree (who has reported, each report's state, the units' names) and the plan's owner
    (the plan's symbol) — which a report, a unit renamed or a symbol corrected changes
    without changing the counts."""
    if scope.plan is None or version is None:
        return None
    named = subtree(scope.unit) | OrgUnit.objects.filter(pk=scope.plan.owner_unit_id)
    units, total = units_stamp(named)
    return (
        f"{scope.plan.id}:{scope.unit.id}:{scope.period.code}:{scope.as_of.isoformat()}:{version}"
        f":{units}:{total}"
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
