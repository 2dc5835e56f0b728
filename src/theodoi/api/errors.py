"""One error shape for the whole API: {"code", "message", "details"}, in Vietnamese, with a
stable code a program can act on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from theodoi.domain.periods import PeriodError

UNAUTHENTICATED = "Thiếu hoặc sai mã truy cập (token)."

# Pydantic's error types a client meets most, said in Vietnamese; anything else is
# "giá trị không hợp lệ".
SCHEMA_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "enum": "phải là một trong các giá trị {expected}",
    "literal_error": "phải là một trong các giá trị {expected}",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "too_long": "tối đa {max_length} mục mỗi lần gửi; hãy chia thành nhiều lần",
    "too_short": "cần ít nhất {min_length} mục",
    "decimal_parsing": "phải là số",
    "decimal_type": "phải là số",
    "string_type": "phải là chuỗi ký tự",
}


def _field(loc: tuple) -> str:
    # ("body", "payload", "values", 0, "value") → "values.0.value"; ("query", "limit") → "limit"
    parts = [str(x) for x in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


def _schema_message(error: dict[str, Any]) -> str:
    if error.get("type") == "value_error":  # the project's own validators speak Vietnamese
        return str(error.get("msg", "")).removeprefix("Value error, ") or "giá trị không hợp lệ"
    template = SCHEMA_MESSAGES.get(error.get("type", ""), "giá trị không hợp lệ")
    context = {
        key: str(value).replace(" or ", " hoặc ") for key, value in error.get("ctx", {}).items()
    }
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return "giá trị không hợp lệ"


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, code: str, message: str, details: Any = None
    ) -> HttpResponse:
        body = {"code": code, "message": message, "details": details}
        return api.create_response(request, body, status=status)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 401:
            response = respond(request, 401, "khong_xac_thuc", UNAUTHENTICATED)
            response["WWW-Authenticate"] = "Bearer"
            return response
        if exc.status_code == 403:  # ninja refuses a session call without its CSRF token
            message = "Thiếu mã chống giả mạo (CSRF); hãy tải lại trang tài liệu API."
            return respond(request, 403, "khong_co_quyen", message)
        if exc.status_code == 400:  # ninja could not parse the body
            message = "Dữ liệu gửi lên không hợp lệ: nội dung không đọc được (cần JSON hợp lệ)."
            return respond(request, 422, "du_lieu_khong_hop_le", message)
        return respond(request, exc.status_code, "loi_yeu_cau", str(exc))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
        return respond(request, 403, "khong_co_quyen", message)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return respond(request, 404, "khong_tim_thay", str(exc) or "Không tìm thấy.")

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc: SchemaValidationError):
        details = [
            {"field": _field(tuple(e.get("loc", ()))), "message": _schema_message(e)}
            for e in exc.errors
        ]
        message = "Dữ liệu gửi lên không hợp lệ: " + "; ".join(
            f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details
        )
        return respond(request, 422, "du_lieu_khong_hop_le", message + ".", details)

    @api.exception_handler(UnicodeError)
    def bad_characters(request, exc: UnicodeError):
        message = "Dữ liệu gửi lên có ký tự không hợp lệ (không phải UTF-8 chuẩn)."
        return respond(request, 422, "du_lieu_khong_hop_le", message)

    @api.exception_handler(PeriodError)
    def period_invalid(request, exc: PeriodError):
        return respond(request, 422, "ky_khong_hop_le", str(exc))

    @api.exception_handler(DjangoValidationError)
    def rule_broken(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            details = [
                {"field": None if field == "__all__" else field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            details = [{"field": None, "message": message} for message in exc.messages]
        message = " ".join(d["message"] for d in details)
        return respond(request, 400, "quy_tac_nghiep_vu", message, details)
