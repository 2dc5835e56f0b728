"""Answers a person (or a program) can read where the framework's are blank or English: a
method the address does not take (405), a HEAD request, whose answer has no body, and an
address whose parameters hold a NUL character (400: no database stores it, none is meant)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string

from theodoi.orgs.permissions import remember_memberships

NOT_ALLOWED = "Địa chỉ này không nhận phương thức {method}; dùng được: {allowed}."
NUL_IN_QUERY = "Tham số “{name}” của địa chỉ có ký tự NUL (mã 0), không hợp lệ."


class PlainAnswersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return self._bad_query(request, name.replace("\x00", "\\0"))
        response = self.get_response(request)
        if response.status_code == 405:
            response = self._not_allowed(request, response)
        if request.method == "HEAD" and not getattr(response, "streaming", False):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    @staticmethod
    def _bad_query(request: HttpRequest, name: str) -> HttpResponse:
        message = NUL_IN_QUERY.format(name=name)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "tham_so_khong_hop_le", "message": message, "details": None}, status=400
            )
        return HttpResponse(render_to_string("400.html", {"message": message}), status=400)

    @staticmethod
    def _not_allowed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        allowed = response.get("Allow", "")
        if request.path.startswith("/api/"):
            message = NOT_ALLOWED.format(method=request.method, allowed=allowed or "—")
            answer: HttpResponse = JsonResponse(
                {"code": "phuong_thuc_khong_hop_le", "message": message, "details": None},
                status=405,
            )
        else:
            answer = HttpResponse(render_to_string("405.html"), status=405)
        if allowed:
            answer["Allow"] = allowed
        return answer


class PermissionsOncePerRequest:
    """The signed-in user's roles are read once per request, however many permission
    questions the page asks (``orgs.permissions.remember_memberships``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None:
            remember_memberships(user)
        return self.get_response(request)


class TextGZipMiddleware(GZipMiddleware):
    """Pages and CSV compressed for slow office lines; files that are already compressed
    (DOCX, XLSX, PDF, images), static files (WhiteNoise sends them pre-compressed) and the
    API's JSON (clients of every kind read it; it is small) as they are. Django's GZip pads
    with random bytes against BREACH on pages with a CSRF token."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        kind = response.get("Content-Type", "")
        if not kind.startswith(("text/html", "text/csv")):
            return response
        return super().process_response(request, response)
