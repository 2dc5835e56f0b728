"""Report profiles (how a unit signs its reports), custom templates and the report register.

Files are kept in the database, so an issued report travels with the data and every app
server sees the same files.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ReportProfile(models.Model):
    """How one org unit heads and signs its reports (Decree 30/2020 layout)."""

    org_unit = models.OneToOneField(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="report_profile",
        verbose_name="đơn vị",
    )
    parent_body = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    issuer_lines = models.JSONField("tên cơ quan ban hành (từng dòng)", default=list)
    place = models.CharField("địa danh", max_length=64)
    symbol_suffix = models.CharField("ký hiệu báo cáo", max_length=32, default="BC-UBND")
    signing_lines = models.JSONField("thẩm quyền ký (từng dòng)", default=list)
    signer_name = models.CharField("người ký", max_length=128, blank=True)
    recipients = models.JSONField("nơi nhận", default=list)
    archive_line = models.CharField("dòng lưu", max_length=128, default="Lưu: VT.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mẫu trình bày báo cáo của đơn vị"
        verbose_name_plural = "mẫu trình bày báo cáo của đơn vị"

    def __str__(self) -> str:
        return str(self.org_unit)


class ReportTemplate(models.Model):
    """A DOCX template an office edited in Word; used for its unit instead of the default."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="report_templates",
        verbose_name="đơn vị",
    )
    name = models.CharField("tên mẫu", max_length=128)
    content = models.BinaryField("tệp DOCX")
    is_active = models.BooleanField("đang dùng", default=True)
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = "mẫu báo cáo (DOCX)"
        verbose_name_plural = "mẫu báo cáo (DOCX)"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit"],
                condition=Q(is_active=True),
                name="one_active_template",
                violation_error_message="Mỗi đơn vị chỉ dùng một mẫu báo cáo tại một thời điểm.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_unit})"


class ReportState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", "Báo cáo định kỳ"


class Report(models.Model):
    """A report in the register. Once issued it keeps the exact content and files it had:
    ``snapshot`` holds every number and row the document used.

    An issued row never changes, at the database level: triggers on SQLite and PostgreSQL
    (migration 0002) refuse any UPDATE or DELETE of it, whoever tries (the admin, a bulk
    update, a shell). On SQLite, Django remakes a table to alter it, which drops its
    triggers: a migration that alters this model must create them again (ISSUED_FROZEN).
    One issued report per unit, period and kind; another for the same period replaces it
    and names it (``corrects``): the register shows both, the old one as replaced."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="reports", verbose_name="đơn vị"
    )
    period = models.ForeignKey(
        "progress.Period",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="kỳ báo cáo",
    )
    as_of = models.DateField("số liệu tính đến ngày")
    kind = models.CharField(
        "loại báo cáo", max_length=32, choices=ReportKind.choices, default=ReportKind.PERIODIC
    )
    plan_symbols = models.JSONField("kế hoạch", default=list)
    state = models.CharField(
        "trạng thái", max_length=8, choices=ReportState.choices, default=ReportState.DRAFT
    )
    number = models.PositiveIntegerField("số", null=True, blank=True)
    symbol = models.CharField("số, ký hiệu", max_length=64, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    register_year = models.PositiveSmallIntegerField("năm đăng ký", null=True, blank=True)
    signer_name = models.CharField("người ký", max_length=128, blank=True)
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    snapshot = models.JSONField("nội dung đã chốt", null=True, blank=True)
    docx = models.BinaryField("tệp DOCX", null=True, blank=True)
    xlsx = models.BinaryField("tệp XLSX", null=True, blank=True)
    pdf = models.BinaryField("tệp PDF", null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name="thay thế báo cáo",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người lập",
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["docx", "xlsx", "pdf", "snapshot"])

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "sổ đăng ký báo cáo"
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT)
                | (
                    Q(number__isnull=False)
                    & ~Q(symbol="")
                    & Q(issued_on__isnull=False)
                    & Q(snapshot__isnull=False)
                    & Q(docx__isnull=False)
                ),
                name="issued_report_complete",
                violation_error_message=(
                    "Báo cáo đã ban hành phải có số, ký hiệu, ngày ban hành và nội dung đã chốt."
                ),
            ),
            models.UniqueConstraint(
                fields=["org_unit", "register_year", "symbol"],
                condition=Q(state=ReportState.ISSUED),
                name="issued_symbol_unique",
                violation_error_message="Số, ký hiệu này đã dùng cho báo cáo khác trong năm.",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "period", "kind"],
                condition=Q(state=ReportState.ISSUED, corrects__isnull=True),
                name="one_issued_report_per_period",
                violation_error_message=(
                    "Kỳ này đã có báo cáo ban hành; báo cáo khác phải là báo cáo thay thế."
                ),
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(state=ReportState.ISSUED),
                name="one_replacement_per_report",
                violation_error_message="Báo cáo này đã được thay thế bởi một báo cáo khác.",
            ),
        ]

    def __str__(self) -> str:
        if self.state == ReportState.ISSUED:
            return f"Báo cáo số {self.symbol} ngày {self.issued_on:%d/%m/%Y}"
        return f"Dự thảo báo cáo {self.period} — {self.org_unit}"

    def save(self, *args, **kwargs) -> None:
        # Guard: an issued report never changes, whoever tries (admin, shell, a bug).
        if self.pk and Report.objects.filter(pk=self.pk, state=ReportState.ISSUED).exists():
            raise ValidationError("Báo cáo đã ban hành không được sửa; hãy lập báo cáo đính chính.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_issued:
            raise ValidationError("Báo cáo đã ban hành không được xóa.")
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.state == ReportState.ISSUED
