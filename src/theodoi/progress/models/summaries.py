"""A plan's counts by status at the end of a period, stored so that a province or the country
adds thousands of them up at once (kept fresh by ``progress/freshness.py``)."""

from __future__ import annotations

from django.db import models


class PlanSummary(models.Model):
    """A plan's tasks and indicators counted by status at the end of a period: the same
    counts the plan's dashboard shows (``selectors.plan_summary``), stored so that a
    province or the country can add thousands of them up at once. Refreshed when a report is
    approved or unlocked, by ``summaries_refresh`` (command line, background job) and by a
    reader that finds it stale: the database bumps ``data_version`` on every write that
    changes what the plan counts (``progress/freshness.py``)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="summaries", verbose_name="kế hoạch"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="plan_summaries",
        verbose_name="đơn vị chủ trì kế hoạch",
    )
    period = models.ForeignKey(
        "progress.Period",
        on_delete=models.CASCADE,
        related_name="plan_summaries",
        verbose_name="kỳ",
    )
    unit_path = models.CharField("đường dẫn đơn vị", max_length=1024, db_index=True)
    tasks_completed_on_time = models.PositiveIntegerField(default=0)
    tasks_completed_late = models.PositiveIntegerField(default=0)
    tasks_in_progress = models.PositiveIntegerField(default=0)
    tasks_overdue = models.PositiveIntegerField(default=0)
    tasks_not_started = models.PositiveIntegerField(default=0)
    indicators_achieved = models.PositiveIntegerField(default=0)
    indicators_not_achieved = models.PositiveIntegerField(default=0)
    indicators_on_track = models.PositiveIntegerField(default=0)
    indicators_at_risk = models.PositiveIntegerField(default=0)
    indicators_no_data = models.PositiveIntegerField(default=0)
    illustrative = models.BooleanField("có dữ liệu minh họa", default=False)
    computed_at = models.DateTimeField("tính lúc")
    # bumped by the database on every write that changes what the plan counts
    # (progress/freshness.py); the summary is fresh while the two versions are equal
    data_version = models.PositiveBigIntegerField("phiên bản dữ liệu", default=0)
    computed_version = models.PositiveBigIntegerField("phiên bản đã tính", default=0)
    data_changed_at = models.DateTimeField("dữ liệu đổi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tổng hợp kế hoạch theo kỳ"
        verbose_name_plural = "tổng hợp kế hoạch theo kỳ"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period"],
                name="plansummary_unique",
                violation_error_message="Kế hoạch này đã có bản tổng hợp cho kỳ này.",
            )
        ]
        indexes = [models.Index(fields=["period", "unit_path"], name="plansummary_period_path")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.period}"


class UnitStamp(models.Model):
    """A random stamp the database sets again on every write that changes what a roll-up
    says of one unit beyond its plans' summaries: its figures, its reports, the plans it
    owns, the tasks and indicators it leads, its place in the tree (``progress/freshness.py``).
    A roll-up's cached part is keyed by the stamps of its subtree: a change gives a new key,
    and a change rolled back and another committed never share one (a counter would)."""

    # not a foreign key: a deleted unit's stamp stays, and the subtree's count of stamps
    # then tells that the unit has gone
    unit_id = models.BigIntegerField("mã số đơn vị", primary_key=True)
    stamp = models.BigIntegerField("dấu thay đổi", default=0)

    class Meta:
        verbose_name = "dấu thay đổi dữ liệu của đơn vị"
        verbose_name_plural = "dấu thay đổi dữ liệu của đơn vị"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.stamp}"
