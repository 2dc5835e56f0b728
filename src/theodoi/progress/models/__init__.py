"""Reporting periods, data elements and values, and task progress updates."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from theodoi.domain import periods as p
from theodoi.domain.rules import Expression, Importance, Operator, Rule
from theodoi.domain.status import ReportedState
from theodoi.domain.values import ValueType


class Period(models.Model):
    """A reporting period: calendar or cut-off (15th → 14th) month, quarter, half-year,
    9 months, year, or a custom range."""

    code = models.CharField("mã kỳ", max_length=32, unique=True)
    kind = models.CharField(
        "loại kỳ",
        max_length=16,
        choices=[
            (p.PeriodKind.MONTH.value, "Tháng"),
            (p.PeriodKind.QUARTER.value, "Quý"),
            (p.PeriodKind.HALF.value, "6 tháng"),
            (p.PeriodKind.NINE_MONTHS.value, "9 tháng"),
            (p.PeriodKind.YEAR.value, "Năm"),
            (p.PeriodKind.CUSTOM.value, "Tùy chọn"),
        ],
    )
    basis = models.CharField(
        "cách tính",
        max_length=16,
        choices=[
            (p.PeriodBasis.CALENDAR.value, "Theo lịch"),
            (p.PeriodBasis.CUTOFF.value, "Chốt số liệu ngày 14"),
        ],
        default=p.PeriodBasis.CALENDAR.value,
    )
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    label = models.CharField("tên kỳ", max_length=128)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["start", "end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="period_range",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def as_domain(self) -> p.Period:
        if self.kind == p.PeriodKind.CUSTOM:
            return p.custom(self.start, self.end)
        return p.parse_period(self.code)


class DataElement(models.Model):
    """A named figure (số liệu): dossiers received, VNeID accounts activated, …"""

    code = models.CharField("mã", max_length=128, unique=True)
    name = models.CharField("tên số liệu", max_length=255)
    unit = models.CharField("đơn vị tính", max_length=64, blank=True)
    value_type = models.CharField(
        "loại số",
        max_length=8,
        choices=[(t.value, t.label) for t in ValueType],
        default=ValueType.COUNT.value,
        help_text="Số đếm là số nguyên; tỷ lệ phần trăm và số đo khác có thể có phần thập phân.",
    )
    description = models.TextField("mô tả", blank=True)
    aggregation = models.CharField(
        "cách cộng dồn",
        max_length=8,
        default="last",
        choices=[("sum", "Cộng các kỳ (số phát sinh)"), ("last", "Lấy số mới nhất (số tồn)")],
        help_text="Số hồ sơ tiếp nhận trong quý là tổng các tháng; số thủ tục là số mới nhất.",
    )
    reported_by = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_elements",
        verbose_name="đơn vị nhập",
        help_text="Đơn vị nhập số liệu này mỗi kỳ (ngoài các chỉ tiêu đơn vị chủ trì).",
    )
    reported_for = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="số liệu của đơn vị",
        help_text="Để trống nếu là số liệu của chính đơn vị nhập.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "loại số liệu"
        verbose_name_plural = "loại số liệu"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Breakdown(models.Model):
    """A part a figure may be given for (a ministry's system, a group of organisations, a
    budget line): its code, as values store it, and the name reports print."""

    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phân tổ số liệu"
        verbose_name_plural = "phân tổ số liệu"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DataValue(models.Model):
    """One figure for one org unit and one period, optionally for a breakdown, with provenance:
    who entered it, or which document and which quoted line it was taken from."""

    element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="values", verbose_name="số liệu"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="data_values", verbose_name="đơn vị"
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="data_values", verbose_name="kỳ"
    )
    breakdown = models.CharField(
        "phân tổ",
        max_length=64,
        blank=True,
        default="",
        help_text="Để trống cho tổng; ví dụ city, ministries (danh mục phân tổ).",
    )
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    comment = models.TextField("ghi chú", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="người nhập",
    )
    source_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_values",
        verbose_name="văn bản nguồn",
    )
    source_line = models.PositiveIntegerField("dòng", null=True, blank=True)
    source_quote = models.TextField("trích dẫn", blank=True)
    reporting_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị báo cáo",
        help_text="Đơn vị đã nhập; số liệu được tính khi báo cáo kỳ của đơn vị này được duyệt.",
    )
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "giá trị số liệu"
        verbose_name_plural = "giá trị số liệu"
        constraints = [
            models.UniqueConstraint(
                fields=["element", "org_unit", "period", "breakdown"],
                name="datavalue_unique",
                violation_error_message="Đã có giá trị của số liệu này cho đơn vị và kỳ này.",
            ),
            models.CheckConstraint(
                condition=Q(entered_by__isnull=False)
                | Q(source_document__isnull=False)
                | Q(is_illustrative=True),
                name="datavalue_has_provenance",
                violation_error_message=(
                    "Giá trị số liệu phải có nguồn: người nhập hoặc văn bản nguồn."
                ),
            ),
            models.CheckConstraint(
                condition=Q(source_document__isnull=True) | ~Q(source_quote=""),
                name="datavalue_document_quoted",
                violation_error_message="Số liệu lấy từ văn bản phải kèm câu trích dẫn.",
            ),
        ]
        indexes = [
            models.Index(fields=["org_unit", "period"]),
            # A roll-up adds up a period's figures by element from this index alone, in
            # element order (PostgreSQL's covering index; other databases skip it).
            models.Index(
                fields=["period", "element", "org_unit"],
                include=["value", "reporting_unit", "breakdown"],
                name="datavalue_period_rollup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} = {self.value} ({self.org_unit.code}, {self.period.code})"


class UpdateState(models.TextChoices):
    DRAFT = "draft", "Bản nháp"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Trả lại"
    ACCEPTED = "accepted", "Đã tiếp nhận"
    APPROVED = "approved", "Đã phê duyệt"


class TaskUpdate(models.Model):
    """Progress of one task for one period, reported by its lead unit (báo cáo tiến độ)."""

    task = models.ForeignKey(
        "plans.Task", on_delete=models.CASCADE, related_name="updates", verbose_name="nhiệm vụ"
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="task_updates", verbose_name="kỳ"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="task_updates",
        verbose_name="đơn vị báo cáo",
    )
    state = models.CharField(
        "trạng thái báo cáo", max_length=16, choices=UpdateState.choices, default=UpdateState.DRAFT
    )
    reported_state = models.CharField(
        "tình hình thực hiện",
        max_length=16,
        choices=[
            (ReportedState.NOT_STARTED.value, "Chưa triển khai"),
            (ReportedState.IN_PROGRESS.value, "Đang thực hiện"),
            (ReportedState.COMPLETED.value, "Đã hoàn thành"),
        ],
    )
    progress_percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    completion_date = models.DateField("ngày hoàn thành", null=True, blank=True)
    results = models.TextField("kết quả thực hiện", blank=True)
    difficulties = models.TextField("tồn tại, hạn chế", blank=True)
    causes = models.TextField("nguyên nhân", blank=True)
    proposals = models.TextField("kiến nghị, đề xuất", blank=True)
    next_steps = models.TextField("nhiệm vụ kỳ tới", blank=True)
    evidence_documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="evidence_for",
        verbose_name="văn bản minh chứng",
    )
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người lập",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    history = HistoricalRecords(m2m_fields=[evidence_documents])

    class Meta:
        verbose_name = "báo cáo tiến độ nhiệm vụ"
        verbose_name_plural = "báo cáo tiến độ nhiệm vụ"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period"],
                name="taskupdate_unique",
                violation_error_message="Nhiệm vụ đã có báo cáo tiến độ cho kỳ này.",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="taskupdate_percent_range",
                violation_error_message="Tiến độ phải từ 0 đến 100%.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(reported_state=ReportedState.COMPLETED.value)
                    & Q(completion_date__isnull=False)
                    & Q(progress_percent=100)
                )
                | (
                    ~Q(reported_state=ReportedState.COMPLETED.value)
                    & Q(completion_date__isnull=True)
                ),
                name="taskupdate_completion_consistent",
                violation_error_message=(
                    "Nhiệm vụ đã hoàn thành phải có ngày hoàn thành và tiến độ 100%; "
                    "nhiệm vụ chưa hoàn thành không có ngày hoàn thành."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reported_state=ReportedState.NOT_STARTED.value)
                | Q(progress_percent=0),
                name="taskupdate_not_started_zero",
                violation_error_message="Nhiệm vụ chưa triển khai phải có tiến độ 0%.",
            ),
        ]
        indexes = [models.Index(fields=["period", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.period.code}"

    @property
    def current_evidence(self) -> list[Evidence]:
        """Evidence files not taken off (removed ones stay for the history)."""
        return [e for e in self.evidence_files.all() if e.removed_at is None]


class Submission(models.Model):
    """A unit's progress report for one period as a whole (báo cáo tiến độ kỳ của đơn vị):
    the reporter submits it, the coordinator accepts or returns it, a leader approves it, which
    locks the unit's figures and task updates for the period until someone unlocks it with a
    reason."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name="đơn vị báo cáo",
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="submissions", verbose_name="kỳ"
    )
    state = models.CharField(
        "trạng thái", max_length=16, choices=UpdateState.choices, default=UpdateState.DRAFT
    )
    explanation = models.TextField(
        "giải trình",
        blank=True,
        help_text="Lý do số liệu chưa khớp quy tắc kiểm tra, nếu có.",
    )
    review_comment = models.TextField("ý kiến của người tiếp nhận, phê duyệt", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gửi",
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tiếp nhận",
    )
    reviewed_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người phê duyệt",
    )
    approved_at = models.DateTimeField("phê duyệt lúc", null=True, blank=True)
    is_illustrative = models.BooleanField("dữ liệu minh họa", default=False)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "báo cáo tiến độ kỳ của đơn vị"
        verbose_name_plural = "báo cáo tiến độ kỳ của đơn vị"
        ordering = ["-period__start", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period"],
                name="submission_unique",
                violation_error_message="Đơn vị đã có báo cáo tiến độ cho kỳ này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} — {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.state == UpdateState.APPROVED

    @property
    def is_editable(self) -> bool:
        """The reporter may still change the unit's entries."""
        return self.state in (UpdateState.DRAFT, UpdateState.RETURNED)


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.task_update.period.code}/{instance.task_update.task_id}/{filename}"


class Evidence(models.Model):
    """A file uploaded as evidence of a task's progress (minh chứng). Served only to users
    who may read the task's unit."""

    task_update = models.ForeignKey(
        TaskUpdate,
        on_delete=models.CASCADE,
        related_name="evidence_files",
        verbose_name="báo cáo tiến độ",
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    # Removing evidence keeps the file and the row, so nothing uploaded is ever lost.
    removed_at = models.DateTimeField("gỡ bỏ lúc", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gỡ bỏ",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tệp minh chứng"
        verbose_name_plural = "tệp minh chứng"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ValidationRule(models.Model):
    """A check between figures of one unit and period (quy tắc kiểm tra số liệu), as in DHIS2:
    left expression, operator, right expression over data element codes. Run on entry, on
    import and on demand; a violated rule of high importance blocks submission unless the
    reporter explains it."""

    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên quy tắc", max_length=255)
    left = models.CharField(
        "vế trái", max_length=500, help_text="Ví dụ: dossiers.online + dossiers.direct"
    )
    operator = models.CharField(
        "phép so sánh",
        max_length=16,
        choices=[(o.value, f"{o.value} ({o.label})") for o in Operator],
    )
    right = models.CharField("vế phải", max_length=500)
    importance = models.CharField(
        "mức quan trọng",
        max_length=8,
        choices=[(i.value, i.label) for i in Importance],
        default=Importance.MEDIUM.value,
    )
    message = models.TextField(
        "thông báo khi vi phạm", help_text="Có thể dùng {left} và {right} để ghi hai giá trị."
    )
    period_kind = models.CharField(
        "chỉ áp dụng cho loại kỳ",
        max_length=16,
        blank=True,
        choices=[(k.value, k.value) for k in p.PeriodKind],
        help_text="Để trống: áp dụng cho mọi kỳ.",
    )
    is_builtin = models.BooleanField("quy tắc có sẵn", default=False)
    is_active = models.BooleanField("đang áp dụng", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "quy tắc kiểm tra số liệu"
        verbose_name_plural = "quy tắc kiểm tra số liệu"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            self.as_rule()
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def as_rule(self) -> Rule:
        return Rule(
            code=self.code,
            left=Expression.parse(self.left),
            operator=Operator(self.operator),
            right=Expression.parse(self.right),
            importance=Importance(self.importance),
            message=self.message,
            period_kind=p.PeriodKind(self.period_kind) if self.period_kind else None,
        )


from theodoi.progress.models.explanations import Explanation  # noqa: E402
from theodoi.progress.models.reminders import ReminderSetting  # noqa: E402
from theodoi.progress.models.summaries import PlanSummary, UnitStamp  # noqa: E402

__all__ = [
    "Breakdown",
    "DataElement",
    "DataValue",
    "Evidence",
    "Explanation",
    "Period",
    "PlanSummary",
    "ReminderSetting",
    "Submission",
    "TaskUpdate",
    "UnitStamp",
    "UpdateState",
    "ValidationRule",
]
