"""How many days before a reporting deadline a unit is reminded, per unit and kind of period."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from theodoi.domain import periods as p


class ReminderSetting(models.Model):
    """Remind ``days_before`` the due day (the 14th) of a ``period_kind`` period; set for a unit
    it applies to it and the units below it, the nearest setting winning; with no unit, for
    everyone. Without any, ``THEODOI_REMIND_DAYS`` applies."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị (để trống: mọi đơn vị)",
    )
    period_kind = models.CharField(
        "loại kỳ",
        max_length=16,
        choices=[(p.PeriodKind.MONTH.value, "Tháng"), (p.PeriodKind.QUARTER.value, "Quý")],
    )
    days_before = models.PositiveSmallIntegerField("nhắc trước hạn (ngày)")

    history = HistoricalRecords()

    class Meta:
        app_label = "progress"
        verbose_name = "ngày nhắc hạn báo cáo"
        verbose_name_plural = "ngày nhắc hạn báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_kind"],
                name="reminder_setting_once",
                violation_error_message="Đơn vị đã có ngày nhắc cho loại kỳ này.",
            ),
            models.UniqueConstraint(
                fields=["period_kind"],
                condition=Q(org_unit__isnull=True),
                name="reminder_setting_default_once",
                violation_error_message="Đã có ngày nhắc chung cho loại kỳ này.",
            ),
            models.CheckConstraint(
                condition=Q(days_before__lte=60),
                name="reminder_setting_days",
                violation_error_message="Nhắc trước hạn tối đa 60 ngày.",
            ),
        ]

    def __str__(self) -> str:
        where = self.org_unit.name if self.org_unit_id else "mọi đơn vị"
        return f"Nhắc trước {self.days_before} ngày — {self.get_period_kind_display()}, {where}"
