"""The outline editor: the kinds of report a unit makes, each an outline of sections made
of blocks; the coordinator copies a default to the unit and edits it — headings, sentence
patterns, the order of sections and blocks — with each change checked before it is saved
and kept in the history (:mod:`theodoi.reports.services.outlines`)."""

from __future__ import annotations

from typing import Any

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.reports.models import BlockKind, OutlineBlock, OutlineSection, ReportOutline
from theodoi.reports.outlines import outline_choices, outlines_for
from theodoi.reports.services import report_profiles
from theodoi.reports.services.outlines import (
    block_settings,
    outline_block_add,
    outline_block_delete,
    outline_block_move,
    outline_block_update,
    outline_copy,
    outline_section_add,
    outline_section_delete,
    outline_section_move,
    outline_section_update,
    outline_update,
)
from theodoi.web.views.common import home_unit

SENTENCE_KEYS = {BlockKind.FIGURES: "patterns", BlockKind.TEXT: "paragraphs"}


def _units(request: HttpRequest) -> list[OrgUnit]:
    units = [
        u
        for u in units_visible_to(user=request.user).order_by("path")
        if can(request.user, "report.generate", u)
    ]
    if not units:
        raise PermissionDenied("Bạn không có quyền lập báo cáo nên không xem được dàn ý báo cáo.")
    return units


def _unit(request: HttpRequest, units: list[OrgUnit]) -> OrgUnit:
    code = request.GET.get("don-vi") or request.POST.get("don-vi") or ""
    unit = next((u for u in units if u.code == code), None)
    if code and unit is None:
        raise Http404(f"Không có đơn vị “{code}” trong phạm vi bạn được lập báo cáo.")
    home = home_unit(request.user)
    return unit or (home if home in units else units[0])


@login_required
def outline_list(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    unit = _unit(request, units)
    return render(
        request,
        "web/outline_list.html",
        {
            "units": units,
            "unit": unit,
            "outlines": outline_choices(unit),
            "may_edit": can(request.user, "outline.edit", unit),
        },
    )


@login_required
@require_POST
def outline_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    units = _units(request)
    unit = _unit(request, units)
    outline = get_object_or_404(outlines_for(unit), pk=pk)
    try:
        copy = outline_copy(outline=outline, unit=unit, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("web:outlines") + f"?don-vi={unit.code}")
    messages.success(request, f"Đã sao chép “{outline.name}” thành dàn ý của {unit.name}.")
    return redirect("web:outline_edit", pk=copy.pk)


def _visible_outline(request: HttpRequest, pk: int) -> ReportOutline:
    units = _units(request)
    outline = get_object_or_404(ReportOutline.objects.select_related("org_unit"), pk=pk)
    if outline.org_unit is not None and not any(
        u.path.startswith(outline.org_unit.path) or outline.org_unit.path.startswith(u.path)
        for u in units
    ):
        raise Http404("Không có dàn ý này trong phạm vi của bạn.")
    return outline


ACTIONS = {"+": "thêm", "~": "sửa", "-": "xóa"}


def outline_history(outline: ReportOutline, limit: int = 40) -> list[dict[str, Any]]:
    """Who changed what in the outline, when and why, newest first — sections and blocks
    since removed included."""
    rows = [
        {"record": r, "what": "thông tin dàn ý"}
        for r in outline.history.select_related("history_user")[:limit]
    ]
    section_records = list(
        OutlineSection.history.filter(outline_id=outline.pk).select_related("history_user")
    )
    rows += [{"record": r, "what": f"mục “{r.heading}”"} for r in section_records]
    section_ids = {r.id for r in section_records}
    rows += [
        {
            "record": r,
            "what": f"khối {BlockKind(r.kind).label.lower()}"
            + (f" “{r.heading}”" if r.heading else ""),
        }
        for r in OutlineBlock.history.filter(section_id__in=section_ids).select_related(
            "history_user"
        )
    ]
    rows.sort(key=lambda row: row["record"].history_date, reverse=True)
    return [
        {
            "when": row["record"].history_date,
            "who": row["record"].history_user.get_username() if row["record"].history_user else "",
            "action": ACTIONS[row["record"].history_type],
            "what": row["what"],
            "reason": row["record"].history_change_reason or "",
        }
        for row in rows[:limit]
    ]


def _block_view(block: OutlineBlock) -> dict[str, Any]:
    config = dict(block.config or {})
    key = SENTENCE_KEYS.get(block.kind)
    sentences = "\n\n".join(config.pop(key, []) or []) if key else ""
    settings = yaml.safe_dump(config, allow_unicode=True, sort_keys=False) if config else ""
    return {
        "block": block,
        "sentences": sentences,
        "settings": settings,
        "has_sentences": bool(key),
    }


@login_required
def outline_edit(request: HttpRequest, pk: int) -> HttpResponse:
    outline = _visible_outline(request, pk)
    may_edit = outline.org_unit is not None and can(request.user, "outline.edit", outline.org_unit)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(
                "Dàn ý này không sửa được: dàn ý mặc định cần sao chép cho đơn vị trước, dàn ý "
                "của đơn vị chỉ đầu mối tổng hợp sửa."
            )
        _apply(request, outline)
        anchor = request.POST.get("neo", "")
        return redirect(
            reverse("web:outline_edit", args=[outline.pk]) + (f"#{anchor}" if anchor else "")
        )
    sections = [
        {"section": s, "blocks": [_block_view(b) for b in s.blocks.order_by("position", "id")]}
        for s in outline.sections.order_by("position", "id")
    ]
    history = outline_history(outline)
    return render(
        request,
        "web/outline_edit.html",
        {
            "outline": outline,
            "may_edit": may_edit,
            "sections": sections,
            "kinds": BlockKind.choices,
            "profiles": report_profiles(outline.org_unit) if outline.org_unit else [],
            "history": history[:30],
        },
    )


def _apply(request: HttpRequest, outline: ReportOutline) -> None:
    """One change from the editor's forms, said back as a message."""
    data = request.POST
    action = data.get("action", "")
    reason = data.get("ly-do", "")
    sections = outline.sections.all()
    blocks = OutlineBlock.objects.filter(section__outline=outline)
    try:
        if action == "outline":
            outline_update(
                outline=outline,
                user=request.user,
                name=data.get("name", ""),
                subject=data.get("subject", ""),
                opening=data.get("opening", ""),
                profile_code=data.get("profile_code", outline.profile_code),
                recipients=data.get("recipients", "").splitlines(),
                plan_symbols=data.get("plan_symbols", "").replace(",", "\n").splitlines(),
                reason=reason,
            )
            messages.success(request, "Đã lưu thông tin dàn ý.")
        elif action == "section-add":
            outline_section_add(
                outline=outline, heading=data.get("heading", ""), user=request.user, reason=reason
            )
            messages.success(request, "Đã thêm mục.")
        elif action in ("section-save", "section-up", "section-down", "section-delete"):
            section = get_object_or_404(sections, pk=data.get("section"))
            if action == "section-save":
                outline_section_update(
                    section=section,
                    heading=data.get("heading", ""),
                    user=request.user,
                    reason=reason,
                )
                messages.success(request, "Đã lưu tiêu đề mục.")
            elif action == "section-delete":
                outline_section_delete(section=section, user=request.user, reason=reason)
                messages.success(request, f"Đã xóa mục “{section.heading}” (lịch sử vẫn giữ).")
            else:
                outline_section_move(
                    section=section, step=-1 if action == "section-up" else 1, user=request.user
                )
        elif action == "block-add":
            section = get_object_or_404(sections, pk=data.get("section"))
            kind = data.get("kind", "")
            config = block_settings(kind, data.get("sentences", ""), data.get("settings", ""))
            outline_block_add(
                section=section,
                kind=kind,
                heading=data.get("heading", ""),
                config=config,
                user=request.user,
                reason=reason,
            )
            messages.success(request, "Đã thêm khối.")
        elif action in ("block-save", "block-up", "block-down", "block-delete"):
            block = get_object_or_404(blocks, pk=data.get("block"))
            if action == "block-save":
                config = block_settings(
                    block.kind, data.get("sentences", ""), data.get("settings", "")
                )
                outline_block_update(
                    block=block,
                    heading=data.get("heading", ""),
                    config=config,
                    user=request.user,
                    reason=reason,
                )
                messages.success(request, "Đã lưu khối.")
            elif action == "block-delete":
                outline_block_delete(block=block, user=request.user, reason=reason)
                messages.success(request, "Đã xóa khối (lịch sử vẫn giữ).")
            else:
                outline_block_move(
                    block=block, step=-1 if action == "block-up" else 1, user=request.user
                )
        else:
            messages.error(request, "Không rõ thao tác cần làm.")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
