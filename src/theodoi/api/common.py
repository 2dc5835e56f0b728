"""What every endpoint shares: the error shape, pagination, and finding the unit and period
named in the address within the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from theodoi.domain import periods as p
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.selectors.entry import period_stored_or_unsaved


class ErrorDetail(Schema):
    field: str | None = Field(None, description="Trường có lỗi, nếu lỗi thuộc về một trường.")
    message: str = Field(description="Nội dung lỗi bằng tiếng Việt.")


class ErrorOut(Schema):
    code: str = Field(
        description=(
            "Mã lỗi ổn định để chương trình xử lý: khong_xac_thuc (401), khong_co_quyen (403), "
            "khong_tim_thay (404), du_lieu_khong_hop_le (422), ky_khong_hop_le (422), "
            "quy_tac_nghiep_vu (400)."
        )
    )
    message: str = Field(description="Thông báo lỗi bằng tiếng Việt.")
    details: list[ErrorDetail] | None = Field(None, description="Lỗi của từng trường, nếu có.")


# Declared on every operation, so the OpenAPI document lists what a client may receive.
ERRORS: dict[int, Any] = {code: ErrorOut for code in (400, 401, 403, 404, 422)}


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with bounds, so a huge number is refused (422)
    rather than passed to the database."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="Số bản ghi tối đa trả về.")
        offset: int = Field(0, ge=0, le=10**9, description="Bỏ qua bao nhiêu bản ghi đầu.")


def caller(request: HttpRequest) -> Any:
    """The user the token (or the browser session) stands for."""
    return request.auth  # type: ignore[attr-defined]


def today() -> dt.date:
    return timezone.localdate()


def visible_unit(request: HttpRequest, code: str) -> OrgUnit:
    unit = units_visible_to(user=caller(request)).filter(code=code).first()
    if unit is None:
        raise Http404(f"Không có đơn vị “{code}” trong phạm vi bạn được xem.")
    return unit


def period_of(code: str | None) -> p.Period:
    """The period a code names (PeriodError, in Vietnamese, if unreadable); by default the
    current quarter."""
    return p.parse_period(code) if code else p.quarter_containing(today())


def as_of(period: p.Period) -> dt.date:
    """The date a period's statuses are judged at: its end, or today while it runs (the same
    rule as the web dashboard)."""
    return min(period.end, max(today(), period.start))


period_row = period_stored_or_unsaved  # one implementation, in progress.selectors


PERIOD_DESCRIPTION = (
    "Mã kỳ báo cáo: 2026-Q1 (quý I), 2026-Q1-cutoff (quý I tính từ ngày 15 đến ngày 14), "
    "2026-03 (tháng 3), 2026-H1, 2026-9M, 2026, hoặc 2026-01-01..2026-04-28."
)
