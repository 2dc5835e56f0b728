"""Browsing: plans and their tasks and indicators, documents, org units, search; each
object's page shows its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone

from theodoi.archive.selectors import review_queue
from theodoi.documents.models import Document
from theodoi.documents.selectors import documents_visible_to, implemented_documents
from theodoi.domain.formatting import format_number
from theodoi.domain.status import TaskStatus
from theodoi.domain.text import matches
from theodoi.history import history_of
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Indicator, Task
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.selectors.dashboard import indicator_trend
from theodoi.progress.selectors.tasks import (
    filter_task_rows,
    indicator_rows,
    task_rows,
    task_updates_visible,
)
from theodoi.web.views.common import period_choices, period_from, table_download, today
from theodoi.web.views.explanations import explanations_context


def history_rows(obj: models.Model) -> list[dict[str, Any]]:
    """The object's history with field names and values as a person reads them."""
    fields = {f.name: f for f in obj._meta.get_fields() if hasattr(f, "verbose_name")}
    rows = history_of(obj)
    for row in rows:
        for change in row["changes"]:
            field = fields.get(change["field"])
            change["label"] = str(field.verbose_name) if field else change["field"]
            change["old"] = _readable(field, change["old"])
            change["new"] = _readable(field, change["new"])
    return rows


def _readable(field, value) -> str:
    if value is None or value == "":
        return ""
    if field is None:
        return str(value)
    if field.many_to_many:
        return f"{len(value)} mục" if isinstance(value, list) else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(đã xóa: {value})"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format_number(value, 4, strip_zeros=True)
    return str(value)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        plans_visible_to(user=request.user)
        .prefetch_related("implements")
        .order_by("document__issued_on")
    )
    return render(request, "web/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(user=request.user), pk=pk)
    period = period_from(request)
    as_of = min(period.end, max(today(), period.start))
    rows = task_rows(plan=plan, as_of=as_of, user=request.user)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "don-vi", "tinh-trang", "nhom", "han")}
    rows = filter_task_rows(
        rows,
        period=period,
        query=f["q"],
        unit_code=f["don-vi"],
        status=f["tinh-trang"],
        group=f["nhom"],
        deadline=f["han"],
    )
    download = table_download(
        request,
        f"nhiem-vu-{plan.document.symbol}".replace("/", "-"),
        "Nhiệm vụ",
        ["Mã", "Nhóm", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "Minh họa"],
        (
            [
                r.task.code,
                r.task.group.code if r.task.group else "",
                r.task.title,
                r.task.lead_unit.name if r.task.lead_unit else r.task.lead_text,
                r.task.deadline_text,
                r.status.label,
                "có" if r.update is not None and r.update.is_illustrative else "",
            ]
            for r in rows
        ),
    )
    if download:
        return download
    groups: dict[Any, list] = {}
    for row in rows:
        groups.setdefault(row.task.group, []).append(row)
    indicators = indicator_rows(plan=plan, as_of=as_of, user=request.user)
    if f["q"]:
        indicators = [i for i in indicators if matches(f["q"], i.indicator.code, i.indicator.name)]
    lead_ids = {t.reporting_unit.id for t in plan.tasks.select_related("lead_unit", "plan")}
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "groups": groups,
            "count": len(rows),
            "indicators": indicators,
            "filters": f,
            "period": period,
            "periods": period_choices(),
            "as_of": as_of,
            "statuses": list(TaskStatus),
            "units": OrgUnit.objects.filter(id__in=lead_ids).order_by("path"),
            "task_groups": plan.groups.order_by("position"),
            "cascade": implemented_documents(plan.document, extra=list(plan.implements.all())),
            "history": history_rows(plan),
        },
    )


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.filter(plan__in=plans_visible_to(user=request.user)).select_related(
            "plan__document", "plan__owner_unit", "group", "lead_unit", "upstream_document"
        ),
        pk=pk,
    )
    updates = task_updates_visible(task=task, user=request.user)
    return render(
        request,
        "web/task_detail.html",
        {
            "task": task,
            "updates": updates,
            "history": history_rows(task),
            "update_history": {u.id: history_rows(u) for u in updates},
            **explanations_context(request, task=task),
        },
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator.objects.filter(plan__in=plans_visible_to(user=request.user)), pk=pk
    )
    period = period_from(request)
    as_of = min(period.end, max(today(), period.start))
    row = next(
        r
        for r in indicator_rows(plan=indicator.plan, as_of=as_of, user=request.user)
        if r.indicator.id == indicator.id
    )
    return render(
        request,
        "web/indicator_detail.html",
        {
            "indicator": indicator,
            "row": row,
            "as_of": as_of,
            "targets": indicator.targets.select_related("adjusted_by").order_by(
                "year", "effective_from"
            ),
            "history": history_rows(indicator),
            "trend": _trend_chart(indicator, row, as_of),
            **explanations_context(request, indicator=indicator),
        },
    )


def _trend_chart(indicator, row, as_of) -> dict | None:
    """The indicator's values over the periods, with the milestone's target: the chart's data
    (None when there is no value to draw)."""
    trend = indicator_trend(indicator=indicator, area=indicator.plan.owner_unit, until=as_of)
    if not trend:
        return None
    target = row.evaluation.target
    return {
        "labels": [label for label, _ in trend],
        "values": [float(value) for _, value in trend],
        "unit": indicator.unit,
        "target": float(target.reference_value) if target is not None else None,
        "target_label": (
            f"Mục tiêu {row.evaluation.milestone_year}: {target.display(indicator.unit)}"
            if target is not None
            else ""
        ),
        "expected": (float(row.evaluation.expected) if row.evaluation.interpolated else None),
    }


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    documents = documents_visible_to(user=request.user).order_by("-issued_on", "symbol")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    if kind:
        documents = documents.filter(doc_type=kind)
    found = [d for d in documents if not q or matches(q, d.symbol, d.subject, d.issuer)]
    download = table_download(
        request,
        "van-ban",
        "Văn bản",
        ["Loại", "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Trích yếu"],
        ([d.get_doc_type_display(), d.symbol, d.issued_on, d.issuer, d.subject] for d in found),
    )
    if download:
        return download
    page = Paginator(found, 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "web/document_list.html",
        {"page": page, "q": q, "kind": kind, "kinds": Document._meta.get_field("doc_type").choices},
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(documents_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "web/document_detail.html",
        {
            "document": document,
            "extracted_pending": review_queue(user=request.user, document=document).count(),
            "cites": document.outgoing.select_related("target"),
            "cited_by": document.incoming.select_related("source"),
            "history": history_rows(document),
        },
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = units_visible_to(user=request.user).order_by("path")
    q = request.GET.get("q", "").strip()
    if q:
        units = [u for u in units if matches(q, u.search_key)]
    download = table_download(
        request,
        "don-vi",
        "Đơn vị",
        ["Mã", "Tên", "Loại", "Trực thuộc", "Hiệu lực từ", "Hiệu lực đến"],
        (
            [
                u.code,
                u.name,
                u.get_kind_display(),
                u.parent.code if u.parent_id else "",
                u.valid_from,
                u.valid_to,
            ]
            for u in units
        ),
    )
    if download:
        return download
    return render(request, "web/unit_list.html", {"units": units, "q": q})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(units_visible_to(user=request.user), code=code)
    return render(
        request,
        "web/unit_detail.html",
        {
            "unit": unit,
            "children": unit.children.order_by("path"),
            "members": Membership.objects.filter(org_unit=unit).select_related("user"),
            "tasks": Task.objects.filter(lead_unit=unit).select_related("plan__document"),
            "history": history_rows(unit),
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Documents, tasks and indicators ranked by how literally they match (diacritics and OCR
    errors tolerated), each with the hit in context; and the org units whose name matches."""
    from theodoi.search.models import SearchKind
    from theodoi.search.selectors import search as search_objects

    q = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    if kind not in SearchKind.values:
        kind = ""
    results, units = [], []
    if q:
        results = search_objects(user=request.user, query=q, kinds=[kind] if kind else None)
        if not kind:
            units = [u for u in units_visible_to(user=request.user) if matches(q, u.search_key)]
    return render(
        request,
        "web/search.html",
        {
            "q": q,
            "kind": kind,
            "kinds": SearchKind.choices,
            "results": results,
            "units": units[:20],
            "total": len(results) + len(units[:20]),
        },
    )
