"""“Ai chậm, ai chịu trách nhiệm”: for a period, the units that have not sent their progress
(whom to call, days late), the overdue tasks and the indicators off track by lead unit; over
what the person may see. Printable; the late units as XLSX or CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.selectors.entry import period_stored_or_unsaved
from theodoi.progress.selectors.late import (
    explanations_of,
    late_units,
    off_track_by_lead,
    overdue_by_lead,
)
from theodoi.progress.selectors.rollup import rollup_by_unit
from theodoi.progress.services.summaries import rollup_fresh
from theodoi.web.views.common import (
    home_unit,
    period_choices,
    period_from,
    table_download,
    today,
)

# Over more plans than this (a province, the country), tasks and indicators are counted per
# unit below instead of listed one by one.
DETAIL_PLANS = 30


def _contact(user) -> str:
    profile = getattr(user, "profile", None)
    name = user.get_full_name() or user.get_username()
    parts = (name, profile.position if profile else "", profile.phone if profile else "")
    return ", ".join(p for p in (*parts, user.email) if p)


@login_required
def late_list(request: HttpRequest) -> HttpResponse:
    period = period_stored_or_unsaved(period_from(request))
    now = today()
    due, late = late_units(user=request.user, period=period, today=now)
    download = table_download(
        request,
        f"cham-bao-cao-{period.code}",
        f"Đơn vị chưa gửi báo cáo {period.label}",
        ["Đơn vị", "Tình trạng", "Hạn gửi", "Số ngày chậm", "Người phụ trách"],
        (
            [
                row.unit.name,
                row.state,
                due.strftime("%d/%m/%Y"),
                row.days_late,
                "; ".join(_contact(u) for u in row.contacts),
            ]
            for row in late
        ),
    )
    if download:
        return download
    as_of = min(period.end, now)
    asked = explanations_of(user=request.user, period=period)
    overdue = off_track = by_unit = computed = None
    top = home_unit(request.user)
    if top is not None and plans_visible_to(user=request.user).count() > DETAIL_PLANS:
        # a province or the country: how many per unit directly below, from the plans'
        # summaries (brought up to date first), each unit a link to its own list
        computed = rollup_fresh(unit=top, period=period, user=request.user)["computed"]
        by_unit = sorted(
            rollup_by_unit(unit=top, period=period),
            key=lambda r: (-r["tasks"].overdue, -r["indicators"].at_risk, r["unit"].path),
        )
    else:
        overdue = overdue_by_lead(user=request.user, as_of=as_of)
        off_track = off_track_by_lead(user=request.user, as_of=as_of)
    return render(
        request,
        "web/late_list.html",
        {
            "period": period,
            "periods": period_choices(),
            "due": due,
            "late": late,
            "overdue": overdue,
            "off_track": off_track,
            "by_unit": by_unit,
            "computed": computed,
            "top": top,
            "as_of": as_of,
            "today": now,
            "explained_tasks": {e.task_id: e for e in asked if e.task_id},
            "explained_indicators": {e.indicator_id: e for e in asked if e.indicator_id},
        },
    )
