"""Reads of the report register, scoped to the user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.models import Submission, TaskUpdate, UpdateState
from theodoi.reports.models import Contribution, Report, ReportState


def reports_visible_to(*, user: Any | None) -> QuerySet[Report]:
    """Reports of the units the user may read."""
    return (
        Report.objects.filter(org_unit__in=units_visible_to(user=user))
        .select_related("org_unit", "period", "created_by", "corrects")
        .prefetch_related("corrections")
    )


def register_rows(*, user: Any | None, unit: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The unit's register, newest first: each report with the report that replaced it, if
    any (a replaced report stays in the register, marked as such)."""
    from theodoi.reports.models import SignedScan

    rows = []
    reports = list(reports_visible_to(user=user).filter(org_unit=unit)[:limit])
    scans = {s.report_id: s for s in SignedScan.objects.filter(report__in=reports).defer("content")}
    for report in reports:
        replaced_by = next(iter(report.corrections.all()), None)
        rows.append({"report": report, "replaced_by": replaced_by, "scan": scans.get(report.pk)})
    return rows


def contributions_counted(
    *, unit: OrgUnit, start: dt.date, end: dt.date, field: str
) -> list[Contribution]:
    """The approved contributions for ``field`` of the units in ``unit``'s subtree whose
    period lies within ``start``–``end``: what the report states."""
    approved = Submission.objects.filter(
        org_unit__path__startswith=unit.path,
        period__start__gte=start,
        period__end__lte=end,
        state=UpdateState.APPROVED,
    ).values_list("org_unit_id", "period_id")
    pairs = set(approved)
    found = Contribution.objects.filter(
        org_unit__path__startswith=unit.path,
        period__start__gte=start,
        period__end__lte=end,
        field=field,
    ).select_related("org_unit", "period")
    return [
        c
        for c in found.order_by("org_unit__path", "period__start")
        if (c.org_unit_id, c.period_id) in pairs and c.text
    ]


def issue_checklist(
    *,
    snapshot: dict[str, Any],
    unit: OrgUnit,
    plans: list[Any],
    period: Any,
    current: Report | None,
    user: Any | None,
) -> list[dict[str, str]]:
    """What to look at before issuing, each line with where to go: units whose progress for
    the period is not approved (their data is not in the report), figures missing, figures
    that disagree without explanation, numbers typed over the data, text carried forward and
    not reviewed, a report already issued for the period."""
    from django.urls import reverse

    from theodoi.domain.periods import PeriodKind
    from theodoi.progress.selectors.dashboard import reporting_units

    lines: list[dict[str, str]] = []
    approved = set(
        Submission.objects.filter(
            period__start__gte=period.start,
            period__end__lte=period.end,
            state=UpdateState.APPROVED,
        ).values_list("org_unit_id", flat=True)
    )
    # Progress approved without a report of its own (loaded, illustrative) is in the report too.
    approved |= set(
        TaskUpdate.objects.filter(
            period__start__gte=period.start,
            period__end__lte=period.end,
            state=UpdateState.APPROVED,
        ).values_list("org_unit_id", flat=True)
    )
    waiting: list[OrgUnit] = []
    for plan in plans:
        for below in reporting_units(plan=plan, unit=unit, user=user):
            if below.pk not in approved and below not in waiting:
                waiting.append(below)
    for below in waiting:
        lines.append(
            {
                "text": f"{below.name}: tiến độ {period.label[:1].lower()}{period.label[1:]} "
                "chưa được phê duyệt — số liệu, tiến độ của đơn vị chưa có trong báo cáo.",
                "link": reverse("web:review_list")
                if period.kind is PeriodKind.CUSTOM
                else reverse("web:progress_unit", args=[below.code, period.code]),
            }
        )
    for missing in snapshot.get("missing", []):
        lines.append({"text": f"Chưa có số liệu, nội dung: {missing['name']}.", "link": "#du-thao"})
    for message in snapshot.get("violations", []):
        lines.append({"text": f"Số liệu chưa khớp: {message}", "link": "#du-thao"})
    for section in snapshot.get("sections", []):
        edit = section.get("edit")
        if not edit:
            continue
        anchor = f"#muc-{section['position']}"
        if edit["typed_numbers"]:
            lines.append(
                {
                    "text": f"{section['title']}: số gõ tay, không có trong dữ liệu: "
                    + ", ".join(edit["typed_numbers"])
                    + ".",
                    "link": anchor,
                    "draft": "1",
                }
            )
        if edit.get("unlinked"):
            lines.append(
                {
                    "text": f"{section['title']}: số của dữ liệu gõ đè bằng tay (không còn tự "
                    "cập nhật theo dữ liệu): " + ", ".join(edit["unlinked"]) + ".",
                    "link": anchor,
                    "draft": "1",
                }
            )
        if edit.get("live_missing"):
            lines.append(
                {
                    "text": f"{section['title']}: {len(edit['live_missing'])} số liệu liên kết "
                    "nay không còn trong dữ liệu kỳ này (in là “[chưa có số liệu]”).",
                    "link": anchor,
                    "draft": "1",
                }
            )
        if edit["carried"]:
            lines.append(
                {
                    "text": f"{section['title']}: nội dung chép từ {edit['carried_from']} chưa "
                    "được xem lại.",
                    "link": anchor,
                    "draft": "1",
                }
            )
    promised = [
        t
        for t in promised_tasks(unit=unit, kind=snapshot["outline"]["code"], period=period)["tasks"]
        if not t["approved"]
    ]
    if promised:
        lines.append(
            {
                "text": f"{len(promised)} nhiệm vụ báo cáo kỳ trước đề ra cho kỳ này chưa có kết "
                "quả được phê duyệt: "
                + "; ".join(f"{t['plan']} {t['code']}".strip() for t in promised[:8])
                + ("; …" if len(promised) > 8 else "")
                + ".",
                "link": "#ky-truoc-de-ra",
                "draft": "1",
            }
        )
    from theodoi.reports.models import DraftUpload

    upload = (
        DraftUpload.objects.filter(
            org_unit=unit, period_code=period.code, kind=snapshot["outline"]["code"]
        )
        .defer("content")
        .first()
    )
    if upload is not None:
        typed = (
            f"; số không có trong dữ liệu: {', '.join(upload.typed_numbers)}"
            if upload.typed_numbers
            else ""
        )
        lines.append(
            {
                "text": f"Tệp Word “{upload.filename}” đã tải lên sẽ được ban hành thay cho "
                f"dự thảo trên trang{typed}.",
                "link": "#word",
                "draft": "1",
            }
        )
    from theodoi.reports.models import DraftReview
    from theodoi.reports.services.drafts import draft_agreement

    kind = snapshot["outline"]["code"]
    for review in DraftReview.objects.filter(
        org_unit=unit, period_code=period.code, kind=kind, action=DraftReview.Kind.COMMENT
    ).select_related("by"):
        where = f"mục {review.position}" if review.position else "dự thảo"
        lines.append(
            {
                "text": f"Ý kiến của {review.by.get_username() if review.by else 'lãnh đạo'} về "
                f"{where}: {review.text}",
                "link": f"#muc-{review.position}" if review.position else "#lanh-dao",
                "draft": "1",
            }
        )
    if snapshot["profile"].get("leader_review") and not draft_agreement(
        unit=unit, period_code=period.code, kind=kind, snapshot=snapshot
    ):
        lines.append(
            {
                "text": "Lãnh đạo chưa đồng ý ban hành bản dự thảo này (bắt buộc trước khi ban "
                "hành).",
                "link": "#lanh-dao",
                "draft": "1",
            }
        )
    if current is not None:
        lines.append(
            {
                "text": f"Kỳ này đã có {current} — báo cáo ban hành lần này sẽ thay thế báo cáo "
                "đó.",
                "link": "#so-dang-ky",
            }
        )
    return lines


def previous_issued(*, unit: OrgUnit, kind: str, before: dt.date) -> Report | None:
    """The last report of ``kind`` issued by ``unit`` for a period that ended before
    ``before`` (a date), the one in force (not replaced)."""
    return (
        Report.objects.filter(
            org_unit=unit, kind=kind, state=ReportState.ISSUED, period__end__lt=before
        )
        .exclude(corrections__state=ReportState.ISSUED)
        .order_by("-period__end", "-issued_on")
        .first()
    )


def promised_tasks(*, unit: OrgUnit, kind: str, period: Any) -> dict[str, Any]:
    """What the last issued report set for this period ("nhiệm vụ, giải pháp thời gian
    tới"): this period's checklist, each task with what this period's approved progress says
    of it (nothing: not reported yet)."""
    previous = previous_issued(unit=unit, kind=kind, before=period.start)
    promised = (previous.snapshot or {}).get("promised", []) if previous else []
    if not promised:
        return {"report": previous, "tasks": []}
    updates: dict[int, Any] = {}
    for update in TaskUpdate.objects.filter(
        task_id__in=[t["id"] for t in promised],
        period__start__gte=period.start,
        period__end__lte=period.end,
    ).order_by("period__end"):
        if update.state == UpdateState.APPROVED or update.task_id not in updates:
            updates[update.task_id] = update
    tasks = []
    for item in promised:
        update = updates.get(item["id"])
        approved = update is not None and update.state == UpdateState.APPROVED
        tasks.append(
            {
                **item,
                "state": update.get_reported_state_display() if update else "",
                "approved": approved,
                "done": approved and update.reported_state == "completed",
            }
        )
    return {"report": previous, "tasks": tasks}


def contributions_to_write(unit_periods) -> list[dict[str, Any]]:
    """For each (unit, period) still to report: the fields of the report the unit writes its
    part for (the outline names it), and whether that part is written."""
    from theodoi.reports.outlines import contribution_fields

    found = []
    for unit, period in unit_periods:
        fields = contribution_fields(unit)
        if not fields:
            continue
        written = set(
            Contribution.objects.filter(org_unit=unit, period_id=period.pk)
            .exclude(text="")
            .values_list("field", flat=True)
        )
        found += [
            {"unit": unit, "period": period, "field": f, "written": f.value in written}
            for f in fields
        ]
    return found
