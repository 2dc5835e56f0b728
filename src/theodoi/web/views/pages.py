"""Sign-in and the user guide."""

from __future__ import annotations

import sys

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 in Vietnamese, with what was wrong when our code said it."""
    message = str(exception) if exception is not None else ""
    return render(request, "400.html", {"message": message}, status=400)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in Vietnamese. Our own code raises Http404 with a Vietnamese message; Django's
    generic ones ("No Plan matches the given query.") and unknown addresses get a plain one."""
    message = ""
    if exception is not None and not isinstance(exception, Resolver404):
        text = str(exception)
        if text and not text.startswith("No "):
            message = text
    return render(request, "404.html", {"message": message}, status=404)


BUSY_MESSAGE = (
    "Hệ thống đang bận ghi dữ liệu của một thao tác khác (nhập tệp lớn, nạp văn bản). Thao tác "
    "của bạn chưa được thực hiện; hãy thử lại sau ít phút."
)


def _database_busy() -> bool:
    """Whether the error being handled is the embedded database waiting too long for another
    writer (SQLite's "database is locked")."""
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in Vietnamese; a busy database says so (503), as JSON for the API."""
    if _database_busy():
        if request.path.startswith("/api/"):
            body = {"code": "he_thong_ban", "message": BUSY_MESSAGE, "details": None}
            response = JsonResponse(body, status=503)
        else:
            response = render(request, "503.html", {"message": BUSY_MESSAGE}, status=503)
        response["Retry-After"] = "60"
        return response
    if request.path.startswith("/api/"):
        body = {
            "code": "loi_he_thong",
            "message": "Phần mềm gặp lỗi khi xử lý yêu cầu và đã hủy thao tác đang làm dở.",
            "details": None,
        }
        return JsonResponse(body, status=500)
    return HttpResponseServerError(render_to_string("500.html"))
