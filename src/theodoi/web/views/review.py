"""Review of a unit's period: the list of reports sent, one report with its tasks and
figures, and the coordinator's and leader's steps (accept, return, approve, unlock)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from theodoi.orgs.models import Role
from theodoi.progress.models import UpdateState
from theodoi.progress.selectors.entry import entry_elements, entry_rows
from theodoi.progress.selectors.figures import rule_violations
from theodoi.progress.selectors.submissions import (
    progress_hidden_from,
    review_queue,
    submission_actions,
    submissions_visible_to,
)
from theodoi.progress.services.submissions import (
    submission_approve,
    submission_review,
    submission_unlock,
)
from theodoi.web.forms import ReviewForm, UnlockForm
from theodoi.web.views.common import period_choices, table_download
from theodoi.web.views.progress import figure_rows


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ky", "")
    state = request.GET.get("trang-thai", "")
    waiting = review_queue(user=request.user, period_code=code, state=state)
    download = table_download(
        request,
        "bao-cao-tien-do",
        "Báo cáo tiến độ",
        ["Kỳ", "Đơn vị", "Trạng thái", "Gửi lúc", "Tiếp nhận lúc", "Phê duyệt lúc", "Minh họa"],
        (
            [
                s.period.label,
                s.org_unit.name,
                s.get_state_display(),
                _local(s.submitted_at),
                _local(s.reviewed_at),
                _local(s.approved_at),
                "có" if s.is_illustrative else "",
            ]
            for s, _ in waiting
        ),
    )
    if download:
        return download
    return render(
        request,
        "web/review_list.html",
        {
            "rows": waiting,
            "states": UpdateState.choices,
            "state": state,
            "code": code,
            "periods": period_choices(),
        },
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(
        submissions_visible_to(user=request.user).exclude(state=UpdateState.DRAFT), pk=pk
    )
    from theodoi.web.views.browse import history_rows

    unit, period = submission.org_unit, submission.period
    if progress_hidden_from(user=request.user, unit=unit, period=period):
        raise Http404("Báo cáo này đã trả lại đơn vị để sửa; sẽ xem được khi đơn vị gửi lại.")
    rows = entry_rows(unit=unit, period=period, user=request.user)
    user = request.user
    return render(
        request,
        "web/submission_detail.html",
        {
            "submission": submission,
            "rows": rows,
            "figures": figure_rows(unit, period, entry_elements(unit=unit)),
            "violations": rule_violations(unit=unit, period=period),
            **submission_actions(submission=submission, user=user),
            "review_form": ReviewForm(),
            "unlock_form": UnlockForm(),
            "history": history_rows(submission),
        },
    )


@login_required
@require_POST
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    submission = get_object_or_404(submissions_visible_to(user=request.user), pk=pk)
    done = {
        "tiep-nhan": "Đã tiếp nhận báo cáo tiến độ.",
        "tra-lai": "Đã trả lại báo cáo tiến độ cho đơn vị.",
        "phe-duyet": "Đã phê duyệt; kỳ báo cáo của đơn vị đã khóa.",
        "mo-khoa": "Đã mở khóa kỳ báo cáo; đơn vị có thể sửa và gửi lại.",
    }
    if action not in done:
        raise Http404("Không có thao tác này.")
    comment = request.POST.get("comment", "")
    try:
        if action in ("tiep-nhan", "tra-lai"):
            submission_review(
                submission=submission,
                user=request.user,
                accept=action == "tiep-nhan",
                comment=comment,
            )
        elif action == "phe-duyet":
            submission_approve(submission=submission, user=request.user, comment=comment)
        else:
            submission_unlock(
                submission=submission, user=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done[action])
    return redirect(reverse("web:submission_detail", args=[submission.pk]))


__all__ = ["Role"]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""
