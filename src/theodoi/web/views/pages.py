"""Sign-in and the user guide."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def guide(request: HttpRequest) -> HttpResponse:
    return render(request, "web/guide.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form: say so in Vietnamese, change nothing."""
    return render(request, "403_csrf.html", status=403)
