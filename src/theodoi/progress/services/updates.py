"""Task progress (báo cáo tiến độ nhiệm vụ) and its evidence, entered by the task's lead unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from theodoi.documents.models import Document
from theodoi.domain.entry import entry_problems, normalised_percent
from theodoi.domain.text import clean_typed_text
from theodoi.history import save_tracked
from theodoi.orgs.permissions import ensure_can
from theodoi.plans.models import Task
from theodoi.progress.models import (
    Evidence,
    Period,
    TaskUpdate,
)
from theodoi.progress.services.locks import ensure_editable, submission_for_entry

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


@transaction.atomic
def task_update_save(
    *, task: Task, period: Period, user: Any, values: dict[str, Any], reason: str | None = None
) -> TaskUpdate:
    """Save the lead unit's progress on ``task`` for ``period`` as a draft (or keep it
    returned), after checking the user may enter progress for that unit and the period is
    still open."""
    unit = task.reporting_unit
    ensure_can(user, "progress.edit", unit)
    submission = submission_for_entry(unit, period, user)
    ensure_editable(submission)
    update = TaskUpdate.objects.filter(task=task, period=period).first()
    if update is None:
        update = TaskUpdate(task=task, period=period, org_unit=unit, created_by=user)
    for name in EDITABLE_FIELDS:
        if name in values:
            value = values[name]
            if isinstance(value, str):  # as typed, without what a document cannot hold
                value = clean_typed_text(value)
            setattr(update, name, value)
    # The same entry rules for the web form, the API and Excel import.
    problems = entry_problems(
        reported_state=update.reported_state,
        progress_percent=update.progress_percent,
        completion_date=update.completion_date,
        results=update.results,
        period_end=period.end,
        assigned_on=task.plan.document.issued_on,
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
    ensure_editable(submission_for_entry(update.org_unit, update.period, user))
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
    ensure_editable(submission_for_entry(update.org_unit, update.period, user))
    evidence.removed_at = timezone.now()
    evidence.removed_by = user
    save_tracked(evidence, user=user, reason="Gỡ bỏ minh chứng")


@transaction.atomic
def evidence_documents_set(*, update: TaskUpdate, documents: list[Document], user: Any) -> None:
    """Link the documents that evidence the task's progress (văn bản minh chứng)."""
    ensure_can(user, "progress.edit", update.org_unit)
    ensure_editable(submission_for_entry(update.org_unit, update.period, user))
    update._history_user = user  # type: ignore[attr-defined]
    update._change_reason = "Cập nhật văn bản minh chứng"  # type: ignore[attr-defined]
    update.evidence_documents.set(documents)
    save_tracked(update, user=user, reason="Cập nhật văn bản minh chứng")
