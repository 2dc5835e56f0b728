"""Choices every page shares: which unit, plan and period the user is looking at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone

from theodoi.domain import periods as p
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Plan
from theodoi.plans.selectors import plans_for_unit
from theodoi.progress.models import Period, Submission


def today() -> dt.date:
    return timezone.localdate()


def period_choices() -> list[p.Period]:
    """Quarters from the first one holding data to the current one, newest first, then the
    half-years and years those quarters fall in."""
    current = p.quarter_containing(today())
    first = (
        Period.objects.filter(kind="quarter", basis="calendar", start__year__gte=p.FIRST_YEAR)
        .order_by("start")
        .first()
    )
    start = p.quarter_containing(first.start) if first else current.previous()
    quarters = [start]
    while quarters[-1].end < current.end:
        quarters.append(quarters[-1].next())
    years = sorted({q.start.year for q in quarters}, reverse=True)
    longer = []
    for year in years:
        longer += [p.year_period(year), p.half(year, 2), p.nine_months(year), p.half(year, 1)]
    return list(reversed(quarters)) + [x for x in longer if x.start <= today()]


def default_period() -> p.Period:
    """The latest quarter anyone has reported for, else the current quarter."""
    latest = (
        Submission.objects.filter(period__kind="quarter")
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    return latest.period.as_domain() if latest else p.quarter_containing(today())


def period_from(request: HttpRequest, name: str = "ky") -> p.Period:
    code = request.GET.get(name) or ""
    if not code:
        return default_period()
    try:
        return p.parse_period(code)
    except p.PeriodError:
        raise Http404(f"Không có kỳ báo cáo “{code}”.") from None


def stored_period(period: p.Period) -> Period | None:
    return Period.objects.filter(code=period.code).first()


def home_unit(user: Any) -> OrgUnit | None:
    """The highest unit where the user holds a role (the zone for its leader)."""
    membership = (
        Membership.objects.filter(user=user).select_related("org_unit").order_by("org_unit__depth")
    ).first()
    if membership:
        return membership.org_unit
    return units_visible_to(user=user).order_by("depth", "path").first()


def unit_from(request: HttpRequest, name: str = "don-vi") -> OrgUnit:
    code = request.GET.get(name) or ""
    if not code:
        unit = home_unit(request.user)
        if unit is None:
            raise Http404("Tài khoản chưa được giao vai trò ở đơn vị nào.")
        return unit
    unit = units_visible_to(user=request.user).filter(code=code).first()
    if unit is None:
        raise Http404(f"Không có đơn vị “{code}” trong phạm vi bạn được xem.")
    return unit


@dataclass
class Scope:
    unit: OrgUnit
    plan: Plan | None
    plans: list[Plan]
    period: p.Period

    @property
    def as_of(self) -> dt.date:
        return min(self.period.end, max(today(), self.period.start))


def scope_from(request: HttpRequest) -> Scope:
    unit = unit_from(request)
    plans = plans_for_unit(unit=unit, user=request.user)
    plan = None
    wanted = request.GET.get("ke-hoach")
    if wanted:
        plan = next((x for x in plans if str(x.id) == wanted), None)
        if plan is None:
            raise Http404("Không có kế hoạch này trong phạm vi bạn được xem.")
    elif plans:
        plan = plans[-1]
    return Scope(unit, plan, plans, period_from(request))


def table_download(request: HttpRequest, name: str, title: str, headers, rows):
    """The list as ?xuat=xlsx or ?xuat=csv, or None when the page itself was asked for."""
    from django.http import HttpResponse

    from theodoi.exchange.tables import table_csv, table_xlsx

    fmt = request.GET.get("xuat")
    if fmt not in ("xlsx", "csv"):
        return None
    rows = list(rows)
    if fmt == "xlsx":
        content = table_xlsx(title, headers, rows)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = table_csv(headers, rows)
        kind = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
