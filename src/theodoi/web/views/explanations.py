"""Explanations for red, in the browser: on a task's or an indicator's page, the requests
and answers; a coordinator or leader asks; the lead unit answers on the request's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from theodoi.domain import periods as p
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Indicator, Task
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.models import Explanation
from theodoi.progress.services.explanations import explanation_answer, explanation_request
from theodoi.progress.services.periods import period_ensure
from theodoi.web.views.common import default_period, period_choices


def explanations_context(request: HttpRequest, *, task=None, indicator=None) -> dict[str, Any]:
    subject = task or indicator
    lead = subject.lead_unit or subject.plan.owner_unit
    found = Explanation.objects.filter(
        **({"task": task} if task else {"indicator": indicator})
    ).select_related("period", "requested_by", "answered_by")
    return {
        "explanations": list(found),
        "may_request_explanation": can(request.user, "explanation.request", lead),
        "explain_period": default_period(),
        "explain_periods": [q for q in period_choices() if q.kind is p.PeriodKind.QUARTER],
        "explain_subject": "nhiem-vu" if task else "chi-tieu",
    }


def _visible(request: HttpRequest, pk: int) -> Explanation:
    return get_object_or_404(
        Explanation.objects.filter(org_unit__in=units_visible_to(user=request.user)).select_related(
            "org_unit", "period", "task", "indicator", "requested_by", "answered_by"
        ),
        pk=pk,
    )


@login_required
def explanation_page(request: HttpRequest, pk: int) -> HttpResponse:
    explanation = _visible(request, pk)
    may_answer = can(request.user, "progress.edit", explanation.org_unit)
    if request.method == "POST":
        try:
            explanation_answer(
                user=request.user,
                explanation=explanation,
                text=request.POST.get("giai-trinh", ""),
                corrective_action=request.POST.get("giai-phap", ""),
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã gửi giải trình.")
            return redirect("web:explanation", pk=explanation.pk)
    return render(
        request,
        "web/explanation.html",
        {
            "e": explanation,
            "may_answer": may_answer,
            "typed_text": request.POST.get("giai-trinh", explanation.explanation),
            "typed_action": request.POST.get("giai-phap", explanation.corrective_action),
        },
    )


@login_required
@require_POST
def explanation_ask(request: HttpRequest) -> HttpResponse:
    plans = plans_visible_to(user=request.user)
    kind, pk = request.POST.get("loai", ""), request.POST.get("ma", "")
    if not pk.isdigit():
        raise Http404("Không có nhiệm vụ, chỉ tiêu này.")
    task = indicator = None
    if kind == "nhiem-vu":
        task = get_object_or_404(Task.objects.filter(plan__in=plans), pk=int(pk))
        back = "web:task_detail"
    elif kind == "chi-tieu":
        indicator = get_object_or_404(Indicator.objects.filter(plan__in=plans), pk=int(pk))
        back = "web:indicator_detail"
    else:
        raise Http404("Không có nhiệm vụ, chỉ tiêu này.")
    try:
        period = period_ensure(period=p.parse_period(request.POST.get("ky", "")), user=None)
    except p.PeriodError as exc:
        messages.error(request, str(exc))
        return redirect(back, pk=int(pk))
    try:
        explanation = explanation_request(
            user=request.user,
            period=period,
            task=task,
            indicator=indicator,
            reason=request.POST.get("ly-do", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back, pk=int(pk))
    messages.success(request, f"Đã gửi yêu cầu giải trình đến {explanation.org_unit.name}.")
    return redirect("web:explanation", pk=explanation.pk)
