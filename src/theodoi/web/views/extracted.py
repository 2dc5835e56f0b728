"""Số liệu trích từ văn bản: figures read out of old reports wait here until a reviewer accepts
them (they become data values quoting their source) or rejects them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.archive.review import extracted_figure_accept, extracted_figure_reject
from theodoi.archive.selectors import review_queue, units_reviewed_by
from theodoi.documents.models import Document
from theodoi.documents.selectors import documents_visible_to
from theodoi.domain.figures import SCOPE_LABELS
from theodoi.domain.formatting import FormatError, format_number, parse_date
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.text import fold
from theodoi.progress.models import DataElement
from theodoi.progress.services.periods import stated_figure_period
from theodoi.web.views.common import table_download

ACTIONS = {"nhan", "loai"}


def _ensure_reviewer(user: Any) -> None:
    if not user.is_superuser and not units_reviewed_by(user=user).exists():
        raise PermissionDenied(
            "Bạn không có quyền duyệt số liệu trích từ văn bản: cần vai trò đầu mối tổng hợp "
            "hoặc quản trị của đơn vị."
        )


def _status_from(query: QueryDict) -> str:
    """Pending figures unless the filter asks otherwise ("" for every status)."""
    if "trang-thai" not in query:
        return FigureStatus.PENDING
    wanted = query["trang-thai"]
    return wanted if wanted in FigureStatus.values else ""


def _document_from(query: QueryDict, user: Any) -> Document | None:
    wanted = query.get("van-ban", "")
    if not wanted:
        return None
    document = None
    if wanted.isdigit():
        document = documents_visible_to(user=user).filter(pk=int(wanted)).first()
    if document is None:
        raise Http404("Không có văn bản này trong phạm vi bạn được xem.")
    return document


def _stated_period(figure: ExtractedFigure) -> DomainPeriod | None:
    """The period the figure would be counted in, as acceptance would work it out."""
    try:
        return stated_figure_period(
            start=figure.period_start, end=figure.period_end, as_of=figure.document.issued_on
        )
    except ValidationError:
        return None


def _row(figure: ExtractedFigure, errors: list[str] | None = None) -> dict[str, Any]:
    element = figure.element
    return {
        "figure": figure,
        "period": _stated_period(figure),
        "period_inferred": figure.period_start is None or figure.period_end is None,
        "unit_differs": element is not None
        and bool(element.unit)
        and fold(element.unit) != fold(figure.unit),
        "errors": errors or [],
    }


def _choices(user: Any) -> dict[str, Any]:
    return {
        "element_choices": DataElement.objects.order_by("code").only("code", "name"),
        "unit_choices": units_reviewed_by(user=user).order_by("path").only("code", "name"),
    }


def _list_page(
    request: HttpRequest,
    query: QueryDict,
    *,
    errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The queue, filtered by ``query`` (the page's own, or the one a refused form came from),
    with ``errors`` shown on the rows they concern."""
    user = request.user
    state = _status_from(query)
    document = _document_from(query, user)
    figures = review_queue(user=user, document=document, status=state)
    download = table_download(
        request,
        "so-lieu-trich-tu-van-ban",
        "Số liệu trích từ văn bản",
        [
            "Văn bản",
            "Dòng",
            "Mã số liệu",
            "Tên số liệu",
            "Giá trị",
            "Đơn vị tính",
            "Phân tổ",
            "Từ ngày",
            "Đến ngày",
            "Số liệu của đơn vị",
            "Trích dẫn",
            "Trạng thái",
            "Ghi chú, lý do",
        ],
        (
            [
                f.document.symbol or str(f.document),
                f.line,
                f.element.code if f.element else f.element_code,
                f.element.name if f.element else "",
                format_number(f.value, 4, strip_zeros=True),
                f.unit,
                SCOPE_LABELS.get(f.scope, f.scope),
                f.period_start,
                f.period_end,
                f.org_unit.name if f.org_unit else "",
                f.quote,
                f.get_status_display(),
                f.review_note,
            ]
            for f in figures
        ),
    )
    if download:
        return download
    page = Paginator(figures, 100).get_page(query.get("trang"))
    documents = documents_visible_to(user=user).filter(
        pk__in=review_queue(user=user, status="").values("document")
    )
    return render(
        request,
        "web/extracted_list.html",
        {
            "page": page,
            "rows": [_row(f, (errors or {}).get(f.id)) for f in page.object_list],
            "document": document,
            "documents": documents.order_by("-issued_on", "symbol"),
            "state": state,
            "states": FigureStatus.choices,
            "filters": query.urlencode(),
            **_choices(user),
        },
        status=status,
    )


@login_required
def extracted_list(request: HttpRequest) -> HttpResponse:
    _ensure_reviewer(request.user)
    return _list_page(request, request.GET)


def _accept_changes(request: HttpRequest, figure: ExtractedFigure) -> dict[str, Any]:
    """What the reviewer changed before accepting: element, unit, period (blank: as read)."""
    changes: dict[str, Any] = {}
    code = request.POST.get("ma-so-lieu", "").strip()
    if code and code != (figure.element.code if figure.element else None):
        element = DataElement.objects.filter(code=code).first()
        if element is None:
            raise ValidationError(f"Không có loại số liệu mã “{code}” trong danh mục số liệu.")
        changes["element"] = element
    unit_code = request.POST.get("don-vi", "").strip()
    if unit_code and unit_code != (figure.org_unit.code if figure.org_unit else None):
        unit = units_reviewed_by(user=request.user).filter(code=unit_code).first()
        if unit is None:
            raise ValidationError(
                f"Không có đơn vị mã “{unit_code}” trong phạm vi bạn được duyệt số liệu."
            )
        changes["org_unit"] = unit
    typed = [request.POST.get(name, "").strip() for name in ("tu-ngay", "den-ngay")]
    if any(typed):
        try:
            start, end = (parse_date(text) if text else None for text in typed)
        except FormatError as error:
            raise ValidationError(str(error)) from None
        if (start, end) != (figure.period_start, figure.period_end):
            changes["period"] = (start, end)
    return changes


@login_required
@require_POST
def extracted_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept ("nhan") or reject ("loai") one figure; HTMX gets the row back, a plain form the
    list (with the refusal on the row)."""
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    figure = get_object_or_404(review_queue(user=request.user, status=""), pk=pk)
    errors: list[str] = []
    done = ""
    try:
        if action == "nhan":
            value = extracted_figure_accept(
                figure=figure,
                user=request.user,
                note=request.POST.get("ghi-chu", ""),
                **_accept_changes(request, figure),
            )
            done = (
                f"Đã nhận số liệu “{value.element.name}”: "
                f"{format_number(value.value, 4, strip_zeros=True)} "
                f"({value.period.label}, {value.org_unit.name})."
            )
        else:
            extracted_figure_reject(
                figure=figure, user=request.user, note=request.POST.get("ly-do", "")
            )
            done = f"Đã loại số liệu ở dòng {figure.line} của {figure.document}."
    except ValidationError as error:
        errors = error.messages
    if request.headers.get("HX-Request"):
        figure = review_queue(user=request.user, status="").get(pk=pk)
        context = {"row": _row(figure, errors), "done": done, "filters": request.POST.get("loc")}
        return render(request, "web/partials/extracted_row.html", context)
    filters = QueryDict(request.POST.get("loc", ""))  # the list as the reviewer saw it
    if errors:
        return _list_page(request, filters, errors={figure.id: errors}, status=400)
    messages.success(request, done)
    url = reverse("web:extracted_list")
    return redirect(f"{url}?{filters.urlencode()}" if filters else url)
