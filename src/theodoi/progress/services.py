"""Writes to periods, figures and progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.documents.models import Document
from theodoi.domain.entry import entry_problems, normalised_percent
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.periods import PeriodError, custom
from theodoi.domain.rules import single_value_problems
from theodoi.history import save_tracked, upsert
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.plans.models import Task
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Evidence,
    Period,
    PlanSummary,
    Submission,
    TaskUpdate,
    UpdateState,
)


@transaction.atomic
def period_ensure(*, period: DomainPeriod, user: Any, reason: str = "Tạo kỳ báo cáo") -> Period:
    """The stored row of a reporting period, created on first use (found by its code)."""
    obj, _ = upsert(
        Period,
        lookup={"code": period.code},
        values={
            "kind": period.kind.value,
            "basis": period.basis.value,
            "start": period.start,
            "end": period.end,
            "label": period.label,
        },
        user=user,
        reason=reason,
    )
    return obj  # type: ignore[return-value]


def stated_figure_period(
    *, start: dt.date | None, end: dt.date | None, as_of: dt.date | None
) -> DomainPeriod:
    """The period a figure stated in a document covers: the range the text gives for it; with
    no end, up to ``as_of`` (the date the document's figures run to, by default its date);
    with no start, from 1 January of the end's year. The dataset loader and the review of
    extracted figures both use this one rule. Raises ValidationError in Vietnamese."""
    end = end or as_of
    if end is None:
        raise ValidationError(
            "Không xác định được kỳ của số liệu: văn bản không ghi kỳ và chưa có ngày ban hành."
        )
    try:
        return custom(start or dt.date(end.year, 1, 1), end)
    except PeriodError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def period_for_stated_figure(
    *,
    start: dt.date | None,
    end: dt.date | None,
    as_of: dt.date | None,
    user: Any,
    reason: str,
) -> Period:
    """The stored period of a figure stated in a document (see :func:`stated_figure_period`),
    created on first use."""
    period = stated_figure_period(start=start, end=end, as_of=as_of)
    return period_ensure(period=period, user=user, reason=reason)


# --- Progress entry and approval -------------------------------------------------------------

EDITABLE_FIELDS = (
    "reported_state",
    "progress_percent",
    "completion_date",
    "results",
    "difficulties",
    "causes",
    "proposals",
    "next_steps",
)
EVIDENCE_EXTENSIONS = {
    ".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".jpg", ".jpeg", ".png", ".zip",
}  # fmt: skip
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _submission_for(unit: OrgUnit, period: Period, user: Any) -> Submission:
    submission = Submission.objects.select_for_update().filter(org_unit=unit, period=period).first()
    if submission is None:
        if period.start > timezone.localdate():
            raise ValidationError(f"{period.label} chưa bắt đầu nên chưa nhập tiến độ được.")
        submission = Submission(org_unit=unit, period=period)
        try:
            with transaction.atomic():
                save_tracked(submission, user=user, reason="Bắt đầu nhập tiến độ kỳ")
        except IntegrityError:  # another save of the same unit and period came first
            submission = Submission.objects.select_for_update().get(org_unit=unit, period=period)
    return submission


def _ensure_editable(submission: Submission) -> None:
    if not submission.is_editable:
        raise ValidationError(
            f"Báo cáo tiến độ {submission.period} của {submission.org_unit.name} đang ở trạng "
            f"thái “{submission.get_state_display()}” nên không sửa được."
            + (" Cần lãnh đạo mở khóa." if submission.is_locked else "")
        )


@transaction.atomic
def task_update_save(
    *, task: Task, period: Period, user: Any, values: dict[str, Any], reason: str | None = None
) -> TaskUpdate:
    """Save the lead unit's progress on ``task`` for ``period`` as a draft (or keep it
    returned), after checking the user may enter progress for that unit and the period is
    still open."""
    unit = task.reporting_unit
    ensure_can(user, "progress.edit", unit)
    submission = _submission_for(unit, period, user)
    _ensure_editable(submission)
    update = TaskUpdate.objects.filter(task=task, period=period).first()
    if update is None:
        update = TaskUpdate(task=task, period=period, org_unit=unit, created_by=user)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(update, name, values[name])
    # The same entry rules for the web form, the API and Excel import.
    problems = entry_problems(
        reported_state=update.reported_state,
        progress_percent=update.progress_percent,
        completion_date=update.completion_date,
        results=update.results,
        period_end=period.end,
    )
    if problems:
        raise ValidationError(problems)
    update.progress_percent = normalised_percent(update.reported_state, update.progress_percent)
    update.state = submission.state
    update.is_illustrative = False
    update.full_clean(validate_unique=False)
    save_tracked(update, user=user, reason=reason or "Nhập tiến độ")
    return update


@transaction.atomic
def evidence_add(*, update: TaskUpdate, upload: Any, user: Any) -> Evidence:
    """Attach an uploaded file to a task update; only common office formats, at most 20 MB."""
    ensure_can(user, "progress.edit", update.org_unit)
    _ensure_editable(_submission_for(update.org_unit, update.period, user))
    name = Path(upload.name).name
    if Path(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        allowed = ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))
        raise ValidationError(
            f"Tệp “{name}” không nhận được: chỉ nhận tệp {allowed}.", code="evidence_type"
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"Tệp “{name}” nặng {upload.size / 1024 / 1024:.1f} MB, quá giới hạn 20 MB.",
            code="evidence_size",
        )
    evidence = Evidence(task_update=update, original_name=name, size=upload.size, uploaded_by=user)
    evidence.file.save(name, upload, save=False)
    save_tracked(evidence, user=user, reason="Tải lên minh chứng")
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: Any) -> None:
    """Take a file off the task's evidence; the file and its record stay for the history."""
    update = evidence.task_update
    ensure_can(user, "progress.edit", update.org_unit)
    _ensure_editable(_submission_for(update.org_unit, update.period, user))
    evidence.removed_at = timezone.now()
    evidence.removed_by = user
    save_tracked(evidence, user=user, reason="Gỡ bỏ minh chứng")


@transaction.atomic
def evidence_documents_set(*, update: TaskUpdate, documents: list[Document], user: Any) -> None:
    """Link the documents that evidence the task's progress (văn bản minh chứng)."""
    ensure_can(user, "progress.edit", update.org_unit)
    _ensure_editable(_submission_for(update.org_unit, update.period, user))
    update._history_user = user  # type: ignore[attr-defined]
    update._change_reason = "Cập nhật văn bản minh chứng"  # type: ignore[attr-defined]
    update.evidence_documents.set(documents)
    save_tracked(update, user=user, reason="Cập nhật văn bản minh chứng")


@transaction.atomic
def data_value_save(
    *,
    element: DataElement,
    area: OrgUnit,
    unit: OrgUnit,
    period: Period,
    value: Decimal | None,
    user: Any,
    comment: str = "",
    reason: str | None = None,
    entries: list | None = None,
) -> DataValue | None:
    """``unit`` enters one figure of ``area`` (itself, or the plan owner whose indicators it
    leads) for ``period``; ``None`` removes an entered figure. ``entries`` may pass the unit's
    ``entry_elements`` when saving many figures at once."""
    from theodoi.progress.selectors.entry import entry_elements

    ensure_can(user, "progress.edit", unit)
    entries = entry_elements(unit=unit) if entries is None else entries
    if not any(e.element == element and e.area == area for e in entries):
        raise ValidationError(f"{unit.name} không nhập số liệu “{element.name}” của {area.name}.")
    _ensure_editable(_submission_for(unit, period, user))
    existing = DataValue.objects.filter(
        element=element, org_unit=area, period=period, breakdown=""
    ).first()
    if value is None:
        if existing is not None:
            existing._history_user = user  # type: ignore[attr-defined]
            existing._change_reason = "Xóa số liệu"  # type: ignore[attr-defined]
            existing.delete()
        return None
    problems = single_value_problems(
        element.code, value, unit=element.unit, integral=element_is_count(element)
    )
    if problems:
        raise ValidationError({"value": problems})
    obj, _ = upsert(
        DataValue,
        lookup={"element": element, "org_unit": area, "period": period, "breakdown": ""},
        values={
            "value": value,
            "entered_by": user,
            "reporting_unit": unit,
            "is_illustrative": False,
            "comment": comment,
            "source_document": None,
            "source_quote": "",
            "source_line": None,
        },
        user=user,
        reason=reason or f"Nhập số liệu ({unit.name})",
    )
    return obj  # type: ignore[return-value]


def element_is_count(element: DataElement) -> bool:
    """Counts of things (dossiers, procedures, people) are whole numbers; rates, money and
    scores are not."""
    return element.unit not in {"%", "điểm", "đồng", "triệu đồng", "km²", "hạng"} and bool(
        element.unit
    )


def _missing_tasks(unit: OrgUnit, period: Period) -> list[Task]:
    from theodoi.progress.selectors.entry import entry_rows

    return [row.task for row in entry_rows(unit=unit, period=period, user=None) if not row.update]


@transaction.atomic
def submission_submit(
    *, unit: OrgUnit, period: Period, user: Any, explanation: str = ""
) -> Submission:
    """Send the unit's progress for the period to the coordinator. Every listed task needs an
    entry; figures breaking a high-importance rule need an explanation."""
    from theodoi.progress.selectors.figures import rule_violations

    ensure_can(user, "progress.submit", unit)
    submission = _submission_for(unit, period, user)
    _ensure_editable(submission)
    missing = _missing_tasks(unit, period)
    if missing:
        codes = ", ".join(t.code for t in missing[:10])
        raise ValidationError(
            f"Chưa nhập tiến độ cho {len(missing)} nhiệm vụ: {codes}. Hãy nhập đủ rồi gửi."
        )
    blocking = [v for v in rule_violations(unit=unit, period=period) if v.rule.importance == "high"]
    if blocking and not explanation.strip():
        raise ValidationError(
            {
                "explanation": [
                    "Số liệu chưa khớp quy tắc kiểm tra: "
                    + " ".join(v.message for v in blocking)
                    + " Hãy sửa số liệu hoặc ghi giải trình."
                ]
            }
        )
    submission.state = UpdateState.SUBMITTED
    submission.explanation = explanation.strip()
    submission.submitted_by = user
    submission.submitted_at = timezone.now()
    save_tracked(submission, user=user, reason="Gửi báo cáo tiến độ")
    _set_update_states(submission, user, "Gửi báo cáo tiến độ")
    return submission


def _set_update_states(submission: Submission, user: Any, reason: str) -> None:
    for update in TaskUpdate.objects.filter(
        org_unit=submission.org_unit, period=submission.period
    ).exclude(state=submission.state):
        update.state = submission.state
        save_tracked(update, user=user, reason=reason)


@transaction.atomic
def submission_review(
    *, submission: Submission, user: Any, accept: bool, comment: str = ""
) -> Submission:
    """The coordinator accepts the unit's report or returns it with a comment."""
    ensure_can(user, "progress.review", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != UpdateState.SUBMITTED:
        raise ValidationError(
            f"Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi; báo cáo này đang ở trạng thái "
            f"“{submission.get_state_display()}”."
        )
    if not accept and not comment.strip():
        raise ValidationError({"comment": ["Trả lại báo cáo thì phải ghi lý do."]})
    if submission.submitted_by_id == getattr(user, "id", None):
        raise ValidationError(
            "Người gửi báo cáo không tự tiếp nhận được; cần một đầu mối tổng hợp khác."
        )
    submission.state = UpdateState.ACCEPTED if accept else UpdateState.RETURNED
    submission.review_comment = comment.strip()
    submission.reviewed_by = user
    submission.reviewed_at = timezone.now()
    reason = "Tiếp nhận báo cáo tiến độ" if accept else "Trả lại báo cáo tiến độ"
    save_tracked(submission, user=user, reason=reason)
    _set_update_states(submission, user, reason)
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user: Any, comment: str = "") -> Submission:
    """A leader approves an accepted report, which locks the unit's period."""
    ensure_can(user, "progress.approve", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != UpdateState.ACCEPTED:
        raise ValidationError(
            f"Chỉ phê duyệt được báo cáo đã được tiếp nhận; báo cáo này đang ở trạng thái "
            f"“{submission.get_state_display()}”."
        )
    submission.state = UpdateState.APPROVED
    if comment.strip():
        submission.review_comment = comment.strip()
    submission.approved_by = user
    submission.approved_at = timezone.now()
    save_tracked(submission, user=user, reason="Phê duyệt, khóa kỳ báo cáo")
    _set_update_states(submission, user, "Phê duyệt, khóa kỳ báo cáo")
    _summaries_after_review(submission)
    return submission


@transaction.atomic
def submission_unlock(*, submission: Submission, user: Any, reason: str) -> Submission:
    """Reopen an approved period so the unit can correct it; the reason is kept in history."""
    ensure_can(user, "progress.unlock", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_locked:
        raise ValidationError("Kỳ báo cáo này chưa khóa.")
    if not reason.strip():
        raise ValidationError({"reason": ["Mở khóa kỳ báo cáo thì phải ghi lý do."]})
    submission.state = UpdateState.RETURNED
    submission.review_comment = f"Mở khóa: {reason.strip()}"
    save_tracked(submission, user=user, reason=f"Mở khóa kỳ báo cáo: {reason.strip()}")
    _set_update_states(submission, user, f"Mở khóa kỳ báo cáo: {reason.strip()}")
    _summaries_after_review(submission)
    return submission


@transaction.atomic
def validation_rules_install_builtin(*, user: Any) -> int:
    """Store the built-in rules (administrative procedures, dossiers, tasks) in the database,
    where administrators can switch them off or add their own. Returns how many were written."""
    from theodoi.domain.rules import BUILTIN_RULES
    from theodoi.progress.models import ValidationRule

    written = 0
    for rule in BUILTIN_RULES:
        _, changed = upsert(
            ValidationRule,
            lookup={"code": rule.code},
            values={
                "name": rule.message.split("(")[0].strip()[:255],
                "left": str(rule.left),
                "operator": rule.operator.value,
                "right": str(rule.right),
                "importance": rule.importance.value,
                "message": rule.message,
                "period_kind": rule.period_kind.value if rule.period_kind else "",
                "is_builtin": True,
            },
            user=user,
            reason="Cài quy tắc kiểm tra có sẵn",
        )
        written += changed
    return written


# -- summaries ---------------------------------------------------------------------------------

SUMMARY_TASK_FIELDS = {
    "completed_on_time": "tasks_completed_on_time",
    "completed_late": "tasks_completed_late",
    "in_progress": "tasks_in_progress",
    "overdue": "tasks_overdue",
    "not_started": "tasks_not_started",
}
SUMMARY_INDICATOR_FIELDS = {
    "achieved": "indicators_achieved",
    "not_achieved": "indicators_not_achieved",
    "on_track": "indicators_on_track",
    "at_risk": "indicators_at_risk",
    "no_data": "indicators_no_data",
}


def plan_summary_store(*, plan: Any, period: Period) -> PlanSummary:
    """Store what the plan's dashboard counts at the end of ``period`` (the same selector,
    ``plan_summary``), for roll-ups. A derived copy, not data: no history row; the time it
    was computed is kept instead."""
    from theodoi.progress.selectors.tasks import plan_summary

    counted = plan_summary(plan=plan, as_of=period.end, user=None)
    values: dict[str, Any] = {
        "org_unit": plan.owner_unit,
        "unit_path": plan.owner_unit.path,
        "illustrative": counted["illustrative"],
        "computed_at": timezone.now(),
    }
    for name, field in SUMMARY_TASK_FIELDS.items():
        values[field] = counted["tasks"][name]
    for name, field in SUMMARY_INDICATOR_FIELDS.items():
        values[field] = counted["indicators"][name]
    summary, _ = PlanSummary.objects.update_or_create(plan=plan, period=period, defaults=values)
    return summary


def summaries_refresh(*, period: Period, plans: Any = None, progress: Any = None) -> int:
    """Recompute the stored summaries of ``plans`` (every plan by default) for ``period``;
    returns how many. Run by the command line and by the background worker."""
    from theodoi.plans.models import Plan

    plans = Plan.objects.select_related("owner_unit", "document") if plans is None else plans
    count = 0
    for plan in plans.iterator(chunk_size=200) if hasattr(plans, "iterator") else plans:
        with transaction.atomic():
            plan_summary_store(plan=plan, period=period)
        count += 1
        if progress is not None and count % 100 == 0:
            progress(count)
    return count


def _summaries_after_review(submission: Submission) -> None:
    """An approval or an unlock changes what counts: refresh the summaries of the plans the
    unit reports on, for this period and any later period already summarised."""
    summaries_after_change(
        unit=submission.org_unit, period=submission.period, since=submission.period.start
    )


def summaries_after_change(*, unit: OrgUnit, period: Period | None, since: dt.date) -> None:
    """What counts for ``unit`` changed from ``since`` on (a report approved or unlocked, a
    figure accepted from a document): refresh the stored summaries of the plans it owns or
    reports on — those already computed for periods ending after ``since``, and ``period``.
    Dashboards cached under the old summary's time are thereby out of date."""
    from django.db.models import Q

    from theodoi.plans.models import Plan

    plans = list(
        Plan.objects.filter(Q(owner_unit=unit) | Q(tasks__lead_unit=unit))
        .select_related("owner_unit", "document")
        .distinct()
    )
    if not plans:
        return
    periods = set(Period.objects.filter(plan_summaries__plan__in=plans, end__gte=since).distinct())
    if period is not None:
        periods.add(period)
    for each in periods:
        for plan in plans:
            plan_summary_store(plan=plan, period=each)


def summaries_refresh_current() -> int:
    """The background job (django-q2 schedule "Tổng hợp kế hoạch", see docs/deployment.md):
    recompute every plan's summary for the quarter in progress and the one before it, so a
    roll-up is never older than the schedule's interval even for changes made outside the
    workflow (the admin, an import). Returns how many summaries were written."""
    from theodoi.domain.periods import quarter_containing

    today = timezone.localdate()
    current = quarter_containing(today)
    previous = quarter_containing(current.start - dt.timedelta(days=1))
    written = 0
    for domain_period in (previous, current):
        period = period_ensure(period=domain_period, user=None, reason="Tổng hợp định kỳ")
        written += summaries_refresh(period=period)
    return written
