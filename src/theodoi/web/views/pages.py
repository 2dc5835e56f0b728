"""Sign-in and the user guide."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "web/guide.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form: say so in Vietnamese, change nothing."""
    return render(request, "403_csrf.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in Vietnamese. Our own code raises Http404 with a Vietnamese message; Django's
    generic ones ("No Plan matches the given query.") and unknown addresses get a plain one."""
    message = ""
    if exception is not None and not isinstance(exception, Resolver404):
        text = str(exception)
        if text and not text.startswith("No "):
            message = text
    return render(request, "404.html", {"message": message}, status=404)
