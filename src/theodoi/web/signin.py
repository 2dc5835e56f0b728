"""Sign-in throttling (django-axes, configured in settings): whose address a request comes
from, and the sign-in page a locked-out account gets, saying until when."""

from __future__ import annotations

import datetime as dt
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT_STATUS = 429  # Too Many Requests


def client_address(request: HttpRequest) -> str | None:
    """The address the sign-in attempt came from. Behind the reverse proxy (THEODOI_BEHIND_PROXY)
    it is the last address in X-Forwarded-For, the one nginx appended
    ($proxy_add_x_forwarded_for): those before it are whatever the client claimed. Elsewhere
    the header is the client's own word and is ignored."""
    if settings.BEHIND_PROXY:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def lock_ends_at(*, username: str | None, ip_address: str | None, now: dt.datetime) -> dt.datetime:
    """When the account may sign in again from that address: the failures counted are those
    of the last cool-off, and each one stops counting a cool-off after it was recorded (one
    record per user agent, holding its latest time)."""
    cool_off = get_cool_off()
    attempts = sorted(
        AccessAttempt.objects.filter(
            username=username, ip_address=ip_address, attempt_time__gte=now - cool_off
        ).values_list("attempt_time", "failures_since_start"),
    )
    remaining = sum(failures for _, failures in attempts)
    for attempt_time, failures in attempts:
        remaining -= failures
        if remaining < settings.AXES_FAILURE_LIMIT:
            return attempt_time + cool_off
    return now + cool_off


def lockout_message(until: dt.datetime, now: dt.datetime) -> str:
    """ "… Hãy thử lại sau 15 phút (lúc 10:45).", in the site's time zone; the date too when
    the lock ends on another day."""
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    local_until, local_now = timezone.localtime(until), timezone.localtime(now)
    when = f"{local_until:%H:%M}"
    if local_until.date() != local_now.date():
        when += f" ngày {local_until:%d/%m/%Y}"
    return (
        "Tài khoản tạm khóa do đăng nhập sai nhiều lần. "
        f"Hãy thử lại sau {minutes} phút (lúc {when})."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The sign-in page again, with the lock and its end instead of "wrong password" (axes
    calls this for the web sign-in and the admin's alike)."""
    username = get_client_username(request, credentials)
    now = timezone.now()
    until = lock_ends_at(username=username, ip_address=client_address(request), now=now)
    form = AuthenticationForm(request, initial={"username": username or ""})
    context = {
        "form": form,
        "lockout_message": lockout_message(until, now),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "web/login.html", context, status=LOCKED_OUT_STATUS)
