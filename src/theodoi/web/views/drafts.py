"""Compile and edit the period's report in the browser, section by section.

Each section shows the text made from the data (figures, documents, counts, the units' own
text), the previous issued report's text for it, and an editor (Quill, served locally) holding
the draft: the generated text, or the edit saved before, or the previous report's text carried
forward. Saves go through :func:`theodoi.reports.services.drafts.draft_section_save`, which
refuses a save based on an older version (two people editing one section are told).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from theodoi.domain.richtext import as_html
from theodoi.orgs.permissions import can
from theodoi.reports.content import live_figures
from theodoi.reports.models import DraftReview, DraftUpload
from theodoi.reports.selectors import previous_issued, promised_tasks
from theodoi.reports.services import report_build
from theodoi.reports.services.drafts import (
    MAX_UPLOAD_BYTES,
    draft_agreement,
    draft_review_add,
    draft_section_reset,
    draft_section_save,
    draft_upload_add,
    draft_upload_remove,
)
from theodoi.web.views.reports import report_choice


def _generated_html(section: dict) -> str:
    """The section made from the data as the editor's HTML, its figures live fields."""
    figures = live_figures([f for b in section["blocks"] for f in b["figures"]])
    return "".join(
        as_html(b["paragraphs"], b.get("heading", ""), figures) for b in section["blocks"]
    )


@login_required
def draft_page(request: HttpRequest) -> HttpResponse:
    choice = report_choice(request)
    unit, period = choice.unit, choice.period
    may_edit = can(request.user, "report.issue", unit)
    if choice.errors:
        for message in choice.errors:
            messages.error(request, message)
        return redirect(reverse("web:reports") + "?" + choice.query())
    args = choice.build_args()
    generated = report_build(user=request.user, use_edits=False, **args)
    previous = previous_issued(unit=unit, kind=choice.outline, before=period.start)
    draft = report_build(user=request.user, **args)
    earlier = (previous.snapshot or {}).get("sections", []) if previous else []
    sections = []
    for made, current in zip(generated["sections"], draft["sections"], strict=True):
        position = made["position"]
        old = earlier[position - 1] if 0 < position <= len(earlier) else None
        edit = current.get("edit")
        sections.append(
            {
                "position": position,
                "title": made["title"],
                "generated": made,
                "previous": old,
                "edit": edit,
                "version": edit["version"] if edit else 0,
                "html": edit["html"] if edit else _generated_html(made),
            }
        )
    reviews = list(
        DraftReview.objects.filter(
            org_unit=unit, period_code=period.code, kind=choice.outline
        ).select_related("by")
    )
    for section in sections:
        section["comments"] = [
            r for r in reviews if r.action == "comment" and r.position == section["position"]
        ]
    return render(
        request,
        "web/report_draft.html",
        {
            "choice": choice,
            "unit": unit,
            "period": period,
            "snapshot": draft,
            "sections": sections,
            "previous": previous,
            "may_edit": may_edit,
            "may_review": can(request.user, "report.review", unit),
            "agreement": draft_agreement(
                unit=unit, period_code=period.code, kind=choice.outline, snapshot=draft
            ),
            "general_comments": [r for r in reviews if r.action == "comment" and not r.position],
            "leader_review": draft["profile"].get("leader_review", False),
            "query": choice.query(),
            "promised": promised_tasks(unit=unit, kind=choice.outline, period=period)["tasks"],
            "upload": DraftUpload.objects.filter(
                org_unit=unit, period_code=period.code, kind=choice.outline
            )
            .defer("content")
            .first(),
        },
    )


@login_required
@require_POST
def draft_save(request: HttpRequest) -> HttpResponse:
    """Autosave and save of one section: JSON {version} or, on a conflict, 409 with the
    message in Vietnamese."""
    choice = report_choice(request)
    try:
        position = int(request.POST.get("muc", ""))
        base = int(request.POST.get("phien-ban", ""))
    except ValueError:
        return JsonResponse({"message": "Thiếu mục hoặc phiên bản của bản sửa."}, status=400)
    try:
        section = draft_section_save(
            unit=choice.unit,
            period_code=choice.period.code,
            kind=choice.outline,
            position=position,
            heading=request.POST.get("tieu-de", "")[:255],
            html=request.POST.get("noi-dung", ""),
            base_version=base,
            user=request.user,
        )
    except PermissionDenied as exc:
        return JsonResponse({"message": str(exc)}, status=403)
    except ValidationError as exc:
        status = 409 if getattr(exc, "code", "") == "conflict" else 400
        return JsonResponse({"message": " ".join(exc.messages)}, status=status)
    return JsonResponse(
        {
            "version": section.version,
            "message": f"Đã lưu lúc {section.updated_at:%H:%M:%S} (phiên bản {section.version}).",
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_POST
def draft_reset(request: HttpRequest) -> HttpResponse:
    choice = report_choice(request)
    try:
        position = int(request.POST.get("muc", ""))
    except ValueError:
        position = 0
    try:
        draft_section_reset(
            unit=choice.unit,
            period_code=choice.period.code,
            kind=choice.outline,
            position=position,
            user=request.user,
        )
    except PermissionDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    messages.success(request, "Đã bỏ bản sửa của mục; mục dùng lại nội dung lập từ dữ liệu.")
    return redirect(reverse("web:report_draft") + "?" + choice.query() + f"#muc-{position}")


@login_required
@require_POST
def draft_word_upload(request: HttpRequest) -> HttpResponse:
    """Take back the draft edited in Word: the file issued will be this one."""
    choice = report_choice(request)
    back = reverse("web:report_draft") + "?" + choice.query() + "#word"
    upload = request.FILES.get("tep-word")
    if upload is None:
        messages.error(request, "Hãy chọn tệp Word (.docx) đã sửa.")
        return redirect(back)
    if upload.size > MAX_UPLOAD_BYTES:
        messages.error(
            request, f"Tệp “{upload.name}” lớn quá {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
        return redirect(back)
    draft = report_build(user=request.user, **choice.build_args())
    try:
        stored = draft_upload_add(
            unit=choice.unit,
            period_code=choice.period.code,
            kind=choice.outline,
            content=upload.read(),
            filename=upload.name,
            draft=draft,
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    note = (
        f" Có số không có trong dữ liệu: {', '.join(stored.typed_numbers)}."
        if stored.typed_numbers
        else ""
    )
    messages.success(
        request, f"Đã nhận tệp “{stored.filename}”: khi ban hành, tệp này được ban hành.{note}"
    )
    return redirect(back)


@login_required
@require_POST
def draft_word_remove(request: HttpRequest) -> HttpResponse:
    choice = report_choice(request)
    draft_upload_remove(
        unit=choice.unit, period_code=choice.period.code, kind=choice.outline, user=request.user
    )
    messages.success(request, "Đã bỏ tệp Word; báo cáo sẽ ban hành theo dự thảo trên trang.")
    return redirect(reverse("web:report_draft") + "?" + choice.query() + "#word")


@login_required
@require_POST
def draft_review(request: HttpRequest) -> HttpResponse:
    """A leader comments on a section or agrees to issue the draft as it stands."""
    choice = report_choice(request)
    draft = report_build(user=request.user, **choice.build_args())
    agree = request.POST.get("viec") == "dong-y"
    try:
        position = int(request.POST["muc"]) if request.POST.get("muc") else None
    except ValueError:
        position = None
    try:
        draft_review_add(
            unit=choice.unit,
            period_code=choice.period.code,
            kind=choice.outline,
            snapshot=draft,
            user=request.user,
            agree=agree,
            position=position,
            text=request.POST.get("y-kien", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, "Đã ghi: đồng ý ban hành bản dự thảo này." if agree else "Đã ghi ý kiến."
        )
    anchor = f"#muc-{position}" if position else "#lanh-dao"
    return redirect(reverse("web:report_draft") + "?" + choice.query() + anchor)
