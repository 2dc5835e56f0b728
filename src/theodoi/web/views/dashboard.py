"""The dashboard: a unit's plan for a period at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from theodoi.domain.status import TaskStatus
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.selectors import dashboard as dashboard_data
from theodoi.web.views.common import home_unit, period_choices, scope_from


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("don-vi") and home_unit(request.user) is None:
        return render(request, "web/no_role.html")
    scope = scope_from(request)
    data = None
    chart = None
    if scope.plan is not None:
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
            "trends": {
                str(k): {"labels": [t[0] for t in v], "values": [float(t[1]) for t in v]}
                for k, v in data.trends.items()
                if len(v) > 0
            },
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
        },
    )
