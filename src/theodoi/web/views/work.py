"""“Việc của tôi”: what waits for the signed-in person, the inbox of notifications, and the
person's own choices of what to receive by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from theodoi.notify.models import Kind, Notification
from theodoi.notify.services import mark_read, preference_of, preference_save
from theodoi.progress.selectors.work import AHEAD, work_for
from theodoi.reports.selectors import contributions_to_write


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    inbox = Notification.objects.filter(recipient=request.user)
    work = work_for(user=request.user, today=timezone.localdate())
    return render(
        request,
        "web/my_work.html",
        {
            "work": work,
            "to_write": contributions_to_write(
                (item.unit, item.period) for item in work["to_report"]
            ),
            "ahead": AHEAD,
            "unread": list(inbox.filter(read_at__isnull=True)[:50]),
            "earlier": list(inbox.filter(read_at__isnull=False)[:20]),
            "preference": preference_of(request.user),
            "kinds": Kind.choices,
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one of my notifications: marked read, then where it points."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(user=request.user, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("web:my_work")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = mark_read(user=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("web:my_work")


@login_required
@require_POST
def notify_preferences(request: HttpRequest) -> HttpResponse:
    wanted = set(request.POST.getlist("nhan"))
    preference_save(
        user=request.user,
        email=request.POST.get("thu") == "1",
        digest=request.POST.get("tong-hop") == "1",
        muted=[k for k in Kind.values if k not in wanted],
    )
    messages.success(request, "Đã lưu tùy chọn nhận thông báo.")
    return redirect("web:my_work")
