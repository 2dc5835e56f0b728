"""Plans (kế hoạch), their tasks (nhiệm vụ) and indicators (chỉ tiêu) with targets."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from theodoi.domain.deadlines import Deadline, DeadlineKind
from theodoi.domain.fields import Field
from theodoi.domain.indicators import Comparator, Direction, Target


class Plan(models.Model):
    """A document that assigns tasks and indicators; plans cascade through ``implements``."""

    document = models.OneToOneField(
        "documents.Document",
        verbose_name="văn bản",
        on_delete=models.PROTECT,
        related_name="plan",
    )
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="đơn vị ban hành",
        on_delete=models.PROTECT,
        related_name="plans",
    )
    title = models.TextField("tên kế hoạch")
    implements = models.ManyToManyField(
        "documents.Document",
        verbose_name="thực hiện văn bản",
        blank=True,
        related_name="implementing_plans",
    )
    parent_plans = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="child_plans",
        verbose_name="kế hoạch cấp trên",
    )

    history = HistoricalRecords(m2m_fields=[implements])

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"

    def __str__(self) -> str:
        return self.document.symbol or self.title[:60]

    @property
    def symbol(self) -> str:
        return self.document.symbol


class PlanAdjustment(models.Model):
    """A later document that changes a plan (e.g. a notice changing 2026 targets)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="adjustments", verbose_name="kế hoạch"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, verbose_name="văn bản điều chỉnh"
    )
    effective_from = models.DateField("áp dụng từ")
    note = models.TextField("nội dung điều chỉnh", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "điều chỉnh kế hoạch"
        verbose_name_plural = "điều chỉnh kế hoạch"
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "document"],
                name="adjustment_unique",
                violation_error_message="Văn bản này đã điều chỉnh kế hoạch.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.document}"


class TaskChange(models.Model):
    """One change an adjustment makes to a task: added to the plan, taken out of it, or its
    deadline moved — from the adjustment's date on, for ``year`` only when given (see
    :mod:`theodoi.domain.adjustments`)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Bổ sung nhiệm vụ"
        REMOVED = "removed", "Đưa ra khỏi kế hoạch"
        RESCHEDULED = "rescheduled", "Điều chỉnh thời hạn"

    adjustment = models.ForeignKey(
        PlanAdjustment,
        on_delete=models.CASCADE,
        related_name="task_changes",
        verbose_name="điều chỉnh",
    )
    task = models.ForeignKey(
        "plans.Task", on_delete=models.PROTECT, related_name="changes", verbose_name="nhiệm vụ"
    )
    kind = models.CharField("điều chỉnh", max_length=16, choices=Kind.choices)
    year = models.PositiveIntegerField(
        "áp dụng cho năm", null=True, blank=True, help_text="Để trống: từ ngày áp dụng trở đi."
    )
    deadline_kind = models.CharField("loại thời hạn mới", max_length=16, blank=True)
    deadline_date = models.DateField("thời hạn mới", null=True, blank=True)
    deadline_text = models.CharField("thời hạn mới (như văn bản ghi)", max_length=128, blank=True)
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "điều chỉnh nhiệm vụ"
        verbose_name_plural = "điều chỉnh nhiệm vụ"
        ordering = ["adjustment__effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["adjustment", "task"],
                name="task_change_once_per_adjustment",
                violation_error_message="Văn bản điều chỉnh này đã có điều chỉnh cho nhiệm vụ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.task.code}"


class TaskGroup(models.Model):
    """A heading of the plan under which tasks or indicators are listed."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="groups", verbose_name="kế hoạch"
    )
    code = models.CharField("mã", max_length=32)
    title = models.TextField("tên nhóm")
    position = models.PositiveIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhóm nhiệm vụ, chỉ tiêu"
        verbose_name_plural = "nhóm nhiệm vụ, chỉ tiêu"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="group_code_unique",
                violation_error_message="Mã nhóm đã có trong kế hoạch.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


ONE_OFF_KINDS = [DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.YEAR]


class Task(models.Model):
    """A task (nhiệm vụ) of a plan, led by one unit with coordinating units, due by a deadline."""

    class DeadlineKindChoices(models.TextChoices):
        DATE = DeadlineKind.DATE.value, "Ngày cụ thể"
        MONTH = DeadlineKind.MONTH.value, "Tháng"
        QUARTER = DeadlineKind.QUARTER.value, "Quý"
        YEAR = DeadlineKind.YEAR.value, "Năm"
        YEARLY = DeadlineKind.YEARLY.value, "Hằng năm"
        ONGOING = DeadlineKind.ONGOING.value, "Thường xuyên"
        PERIODIC = DeadlineKind.PERIODIC.value, "Định kỳ"
        PER_SOURCE = DeadlineKind.PER_SOURCE.value, "Theo văn bản nguồn"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch"
    )
    group = models.ForeignKey(
        TaskGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name="nhóm",
    )
    code = models.CharField("mã", max_length=32)
    title = models.TextField("nội dung nhiệm vụ")
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="cơ quan chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_units = models.ManyToManyField(
        "orgs.OrgUnit",
        verbose_name="cơ quan phối hợp",
        blank=True,
        related_name="coordinated_tasks",
    )
    coordinating_text = models.TextField(
        "cơ quan phối hợp khác",
        blank=True,
        help_text="Cơ quan phối hợp không phải là một đơn vị trong hệ thống, ghi như kế hoạch.",
    )
    lead_text = models.CharField(
        "cơ quan chủ trì (như kế hoạch ghi)",
        max_length=255,
        blank=True,
    )
    output = models.TextField("sản phẩm đầu ra", blank=True)
    field = models.CharField(
        "lĩnh vực",
        max_length=16,
        blank=True,
        choices=[(f.value, f.label) for f in Field],
        help_text="Phần của báo cáo mà kết quả nhiệm vụ thuộc về (chính quyền số, xã hội số …).",
    )
    deadline_kind = models.CharField(
        "loại thời hạn", max_length=16, choices=DeadlineKindChoices.choices
    )
    deadline_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    deadline_text = models.CharField("thời hạn (như kế hoạch ghi)", max_length=128, blank=True)
    upstream_task = models.ForeignKey(
        "self",
        verbose_name="nhiệm vụ cấp trên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downstream_tasks",
    )
    upstream_document = models.ForeignKey(
        "documents.Document",
        verbose_name="văn bản cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="downstream_tasks",
    )
    upstream_code = models.CharField("số thứ tự tại văn bản cấp trên", max_length=32, blank=True)
    upstream_text = models.TextField("nhiệm vụ tương ứng tại văn bản cấp trên", blank=True)
    source_line = models.PositiveIntegerField("dòng trong văn bản nguồn", null=True, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)

    history = HistoricalRecords(m2m_fields=[coordinating_units])

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="task_code_unique",
                violation_error_message="Mã nhiệm vụ đã có trong kế hoạch.",
            ),
            models.CheckConstraint(
                condition=(Q(deadline_kind__in=ONE_OFF_KINDS) & Q(deadline_date__isnull=False))
                | (~Q(deadline_kind__in=ONE_OFF_KINDS) & Q(deadline_date__isnull=True)),
                name="task_deadline_date_matches_kind",
                violation_error_message=(
                    "Thời hạn theo ngày, tháng, quý, năm phải có ngày hạn; thời hạn hằng năm, "
                    "thường xuyên, định kỳ không có ngày hạn cố định."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(upstream_task=F("id")),
                name="task_not_own_upstream",
                violation_error_message="Nhiệm vụ không thể thực hiện chính nó.",
            ),
        ]
        indexes = [models.Index(fields=["lead_unit", "plan"])]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"

    @property
    def reporting_unit(self):
        """The unit that reports the task's progress: its lead unit, else the plan's owner."""
        return self.lead_unit or self.plan.owner_unit

    @property
    def deadline(self) -> Deadline:
        """As the plan sets it, or as an adjustment in force on the day it is read for has
        moved it (:func:`theodoi.plans.selectors.tasks_in_force` sets that)."""
        adjusted = self.__dict__.get("adjusted_deadline")
        if adjusted is not None:
            return adjusted
        return Deadline(DeadlineKind(self.deadline_kind), self.deadline_date, self.deadline_text)


class Indicator(models.Model):
    """An indicator (chỉ tiêu) with milestone targets, a lead unit and where its data comes from.

    Its actual value is the data value of ``data_element``; where it is a ratio, it is
    computed from ``numerator`` and ``denominator`` elements.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name="kế hoạch"
    )
    group = models.ForeignKey(
        TaskGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name="nhóm",
    )
    code = models.CharField("mã", max_length=32)
    name = models.TextField("tên chỉ tiêu")
    unit = models.CharField("đơn vị tính", max_length=64)
    direction = models.CharField(
        "chiều tốt",
        max_length=8,
        default=Direction.HIGHER.value,
        choices=[
            (Direction.HIGHER.value, "Càng cao càng tốt"),
            (Direction.LOWER.value, "Càng thấp càng tốt"),
        ],
    )
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="cơ quan chủ trì theo dõi, đánh giá",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_indicators",
    )
    lead_text = models.CharField("cơ quan chủ trì (như kế hoạch ghi)", max_length=255, blank=True)
    output = models.CharField("sản phẩm đầu ra", max_length=255, blank=True)
    data_element = models.ForeignKey(
        "progress.DataElement",
        verbose_name="số liệu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    numerator = models.ForeignKey(
        "progress.DataElement",
        verbose_name="tử số",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="numerator_of",
    )
    denominator = models.ForeignKey(
        "progress.DataElement",
        verbose_name="mẫu số",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="denominator_of",
    )
    baseline_value = models.DecimalField(
        "giá trị gốc", max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField("ngày của giá trị gốc", null=True, blank=True)
    tolerance = models.DecimalField(
        "mức chậm cho phép",
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Để trống: một phần mười khoảng cách từ giá trị gốc đến mục tiêu.",
    )
    source_line = models.PositiveIntegerField("dòng trong văn bản nguồn", null=True, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="indicator_code_unique",
                violation_error_message="Mã chỉ tiêu đã có trong kế hoạch.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="indicator_ratio_complete",
                violation_error_message="Chỉ tiêu tỷ lệ phải có cả tử số và mẫu số.",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_date__isnull=False),
                name="indicator_baseline_dated",
                violation_error_message="Giá trị gốc phải kèm ngày.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name[:80]}"


class IndicatorTarget(models.Model):
    """The target of an indicator for a milestone year; a later document may adjust it."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="chỉ tiêu"
    )
    year = models.PositiveSmallIntegerField("mốc năm")
    comparator = models.CharField(
        "so sánh",
        max_length=8,
        choices=[
            (Comparator.EQ.value, "Đạt"),
            (Comparator.GTE.value, "≥"),
            (Comparator.GT.value, ">"),
            (Comparator.LTE.value, "≤"),
            (Comparator.LT.value, "<"),
            (Comparator.RANGE.value, "Trong khoảng"),
        ],
    )
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=4)
    value_high = models.DecimalField(
        "cận trên", max_digits=18, decimal_places=4, null=True, blank=True
    )
    text = models.CharField("mục tiêu (như kế hoạch ghi)", max_length=128)
    effective_from = models.DateField("áp dụng từ", null=True, blank=True)
    adjusted_by = models.ForeignKey(
        "documents.Document",
        verbose_name="văn bản điều chỉnh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mục tiêu theo mốc"
        verbose_name_plural = "mục tiêu theo mốc"
        ordering = ["indicator", "year", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(adjusted_by__isnull=True),
                name="target_original_unique",
                violation_error_message="Chỉ tiêu đã có mục tiêu cho mốc năm này.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "adjusted_by"],
                name="target_adjustment_unique",
                violation_error_message="Văn bản này đã điều chỉnh mục tiêu của mốc năm này.",
            ),
            models.CheckConstraint(
                condition=(Q(comparator=Comparator.RANGE.value) & Q(value_high__gte=F("value")))
                | (~Q(comparator=Comparator.RANGE.value) & Q(value_high__isnull=True)),
                name="target_range_bounds",
                violation_error_message="Khoảng mục tiêu phải có cận trên không nhỏ hơn cận dưới.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="target_year_range",
                violation_error_message="Mốc năm phải từ 2000 đến 2100.",
            ),
            models.CheckConstraint(
                condition=Q(adjusted_by__isnull=True) | Q(effective_from__isnull=False),
                name="target_adjustment_dated",
                violation_error_message="Mục tiêu điều chỉnh phải có ngày áp dụng.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.year}: {self.text}"

    def as_target(self) -> Target:
        return Target(Comparator(self.comparator), self.value, self.value_high, self.text)
