"""The report register and the files of issued reports, exactly as issued."""

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from theodoi.api.common import ERRORS, PERIOD_DESCRIPTION, Pagination, caller, visible_unit
from theodoi.domain import periods as p
from theodoi.reports.models import Report, ReportState
from theodoi.reports.render import PdfUnavailableError
from theodoi.reports.selectors import reports_visible_to
from theodoi.reports.services import report_file_content

router = Router(tags=["Báo cáo"])

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ReportOut(Schema):
    id: int
    unit: str = Field(description="Mã đơn vị báo cáo.")
    period: str = Field(description="Mã kỳ báo cáo.")
    state: ReportState = Field(description="draft (dự thảo) hoặc issued (đã ban hành).")
    state_label: str = Field(description="Tên trạng thái.")
    number: int | None = Field(description="Số báo cáo.")
    symbol: str = Field(description="Số, ký hiệu, ví dụ 66/BC-UBND.")
    issued_on: dt.date | None = Field(description="Ngày ban hành.")
    as_of: dt.date = Field(description="Số liệu tính đến ngày.")
    plan_symbols: list[str] = Field(description="Các kế hoạch được báo cáo.")
    signer_name: str = Field(description="Người ký.")
    corrects: str | None = Field(description="Báo cáo được đính chính (số, ký hiệu).")
    created_by: str | None = Field(description="Người lập.")
    created_at: dt.datetime = Field(description="Lập lúc.")

    @staticmethod
    def resolve_unit(report: Report) -> str:
        return report.org_unit.code

    @staticmethod
    def resolve_period(report: Report) -> str:
        return report.period.code

    @staticmethod
    def resolve_state_label(report: Report) -> str:
        return report.get_state_display()

    @staticmethod
    def resolve_corrects(report: Report) -> str | None:
        return report.corrects.symbol if report.corrects else None

    @staticmethod
    def resolve_created_by(report: Report) -> str | None:
        return report.created_by.get_username() if report.created_by else None


class ReportFilters(Schema):
    unit: str | None = Field(None, description="Chỉ báo cáo của đơn vị có mã này.")
    period: str | None = Field(None, description=PERIOD_DESCRIPTION)


@router.get("/reports", response={200: list[ReportOut], **ERRORS}, summary="Sổ đăng ký báo cáo")
@paginate(Pagination)
def report_list(request: HttpRequest, filters: Query[ReportFilters]):
    """Báo cáo của các đơn vị người gọi được xem, mới ban hành trước."""
    reports = reports_visible_to(user=caller(request)).defer("snapshot", "docx", "xlsx", "pdf")
    if filters.unit:
        reports = reports.filter(org_unit=visible_unit(request, filters.unit))
    if filters.period:
        reports = reports.filter(period__code=p.parse_period(filters.period).code)
    return reports.order_by("-issued_on", "-number", "-id")


BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/reports/{report_id}/files/{fmt}",
    response=ERRORS,
    summary="Tệp của báo cáo đã ban hành",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp DOCX, XLSX hoặc PDF đúng như khi ban hành.",
                "content": {content_type: BINARY for content_type in CONTENT_TYPES.values()},
            }
        }
    },
)
def report_file(request: HttpRequest, report_id: int, fmt: Literal["docx", "xlsx", "pdf"]):
    """Tệp của một báo cáo đã ban hành, đúng như khi ban hành. PDF chưa lưu thì được chuyển
    từ DOCX đã lưu (cần LibreOffice trên máy chủ)."""
    report = (
        reports_visible_to(user=caller(request))
        .filter(pk=report_id, state=ReportState.ISSUED)
        .first()
    )
    if report is None:
        raise Http404("Không có báo cáo đã ban hành này trong phạm vi bạn được xem.")
    try:
        content = report_file_content(report, fmt)
    except PdfUnavailableError as error:
        raise Http404(str(error)) from None
    if content is None:
        raise Http404("Báo cáo không có tệp này.")
    response = HttpResponse(bytes(content), content_type=CONTENT_TYPES[fmt])
    name = f"bao-cao-{report.symbol or report.pk}".replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
