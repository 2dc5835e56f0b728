"""Explanations for red: why a task is overdue or an indicator off track at a period's end,
and what its lead unit does about it (giải trình và giải pháp khắc phục)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Explanation(models.Model):
    """Asked of the lead unit — by the system when the period ends, or by hand by a
    coordinator or a leader — and answered by it. Written only by
    :mod:`theodoi.progress.services.explanations`."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị chủ trì"
    )
    period = models.ForeignKey(
        "progress.Period", on_delete=models.PROTECT, related_name="+", verbose_name="kỳ"
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="explanations",
        verbose_name="nhiệm vụ",
    )
    indicator = models.ForeignKey(
        "plans.Indicator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="explanations",
        verbose_name="chỉ tiêu",
    )
    reason = models.CharField("lý do yêu cầu", max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người yêu cầu",
    )
    requested_at = models.DateTimeField("yêu cầu lúc", default=timezone.now)
    explanation = models.TextField("giải trình", blank=True)
    corrective_action = models.TextField("giải pháp khắc phục", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người giải trình",
    )
    answered_at = models.DateTimeField("giải trình lúc", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        app_label = "progress"
        verbose_name = "giải trình"
        verbose_name_plural = "giải trình"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, indicator__isnull=True)
                | Q(task__isnull=True, indicator__isnull=False),
                name="explanation_one_subject",
                violation_error_message="Giải trình là về một nhiệm vụ hoặc một chỉ tiêu.",
            ),
            models.UniqueConstraint(
                fields=["period", "task"],
                condition=Q(task__isnull=False),
                name="explanation_task_once",
            ),
            models.UniqueConstraint(
                fields=["period", "indicator"],
                condition=Q(indicator__isnull=False),
                name="explanation_indicator_once",
            ),
        ]

    def __str__(self) -> str:
        what = f"nhiệm vụ {self.task.code}" if self.task_id else f"chỉ tiêu {self.indicator.code}"
        return f"Giải trình {what}, {self.period.label}"

    @property
    def subject(self):
        return self.task or self.indicator

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
