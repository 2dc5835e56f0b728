"""The REST API under /api/: OpenAPI document at /api/openapi.json, interactive docs at
/api/docs/ (served from the app's own static files, no internet needed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from theodoi.api.errors import register_error_handlers
from theodoi.api.routers import documents, orgs, plans, progress, reports
from theodoi.api.services import api_token_user
from theodoi.orgs.permissions import remember_memberships


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <mã truy cập>``; the call acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(secret=token)
        if user is not None:
            remember_memberships(user)  # its roles read once for the call, as on the web
        return user


class BrowserSession(SessionAuth):
    """The user signed in to the web app, for trying the API from the docs page. The CSRF
    check applies only when a session cookie is sent, so a call with a wrong token is told
    401 rather than a CSRF failure."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese as it is, not as \u escapes


class Api(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return operation.view_func.__name__  # short and unique: unit_list, plan_summary …


DESCRIPTION = """
API của hệ thống theo dõi, đánh giá việc thực hiện nghị quyết.

**Xác thực**: gửi tiêu đề `Authorization: Bearer <mã truy cập>`. Quản trị viên tạo mã trong
trang Quản trị (mục *Mã truy cập API*) hoặc bằng lệnh
`theodoi manage api_token create TÊN_ĐĂNG_NHẬP --name "Dùng cho việc gì"`. Người đã đăng nhập
trang web có thể thử API ngay trên trang này.

**Phạm vi**: mỗi lời gọi chỉ thấy và chỉ làm được những gì người dùng của mã được thấy và được
làm trên trang web; đối tượng ngoài phạm vi trả về 404.

**Lỗi** có dạng `{"code", "message", "details"}`: `khong_xac_thuc` (401), `khong_co_quyen`
(403), `khong_tim_thay` (404), `du_lieu_khong_hop_le` (422), `ky_khong_hop_le` (422),
`quy_tac_nghiep_vu` (400).

**Danh sách** được phân trang bằng `limit` và `offset`; kết quả có `items` và `count`.
"""

api = Api(
    title="theodoi API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs/",
    auth=[TokenAuth(), BrowserSession()],
    renderer=Renderer(),
)
register_error_handlers(api)
for module in (orgs, documents, plans, progress, reports):
    api.add_router("", module.router)

# Last: any other address under /api/ gets the API's JSON 404, not the web app's page.
unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_address(request: HttpRequest, rest: str):
    raise Http404("Không có địa chỉ này trong API; xem danh sách tại /api/docs/.")


api.add_router("", unknown)
