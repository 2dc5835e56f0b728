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


def default_motto() -> list[str]:
    return ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


class ReportProfile(models.Model):
    """How a report is headed and signed when one body issues it (Decree 30/2020 layout).

    An office issues the same kind of report under several names: the People's Committee
    ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"), its steering committee ("TM. BAN CHỈ ĐẠO / KT.
    TRƯỞNG BAN"), the Party committee. Each profile holds that body's header, place, symbol,
    signing block and recipients, and the office's way of writing numbers."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="report_profiles",
        verbose_name="đơn vị lập báo cáo",
    )
    code = models.SlugField("mã", max_length=32, default="ubnd")
    name = models.CharField("tên", max_length=128, default="Ủy ban nhân dân")
    issuing_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cơ quan ban hành",
        help_text="Cơ quan đứng tên báo cáo (UBND, Ban Chỉ đạo, Đảng ủy); để trống là đơn vị lập.",
    )
    parent_body = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    motto_lines = models.JSONField(
        "quốc hiệu, tiêu ngữ (từng dòng)",
        default=default_motto,
        help_text="Báo cáo của cấp ủy Đảng: “ĐẢNG CỘNG SẢN VIỆT NAM”.",
    )
    issuer_lines = models.JSONField("tên cơ quan ban hành (từng dòng)", default=list)
    place = models.CharField("địa danh", max_length=64)
    symbol_suffix = models.CharField(
        "ký hiệu báo cáo",
        max_length=32,
        default="BC-UBND",
        help_text="“BC-UBND” cho số 66/BC-UBND; “-BC/ĐU” (bắt đầu bằng gạch) cho số 45-BC/ĐU.",
    )
    signing_lines = models.JSONField("thẩm quyền ký (từng dòng)", default=list)
    signer_name = models.CharField("người ký", max_length=128, blank=True)
    recipients = models.JSONField("nơi nhận", default=list)
    archive_line = models.CharField("dòng lưu", max_length=128, default="Lưu: VT.")
    share_places = models.PositiveSmallIntegerField(
        "số chữ số thập phân của tỷ lệ", default=1, help_text="Báo cáo của văn phòng: 78,4%."
    )
    zero_word = models.CharField(
        "cách viết số 0",
        max_length=16,
        default="Không",
        help_text="Ví dụ: “Số hồ sơ quá hạn: Không”.",
    )
    pad_counts = models.BooleanField(
        "viết số đếm dưới 10 có số 0 đứng trước",
        default=True,
        help_text="Ví dụ: “02 Tổ giúp việc”.",
    )
    leader_review = models.BooleanField(
        "lãnh đạo đồng ý trước khi ban hành",
        default=False,
        help_text="Bật: báo cáo chỉ ban hành được khi lãnh đạo đã đọc và bấm “Đồng ý ban hành” "
        "bản dự thảo đúng như sẽ ban hành.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cách trình bày báo cáo (cơ quan ban hành)"
        verbose_name_plural = "cách trình bày báo cáo (cơ quan ban hành)"
        ordering = ["org_unit", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "code"],
                name="report_profile_code_unique",
                violation_error_message="Đơn vị đã có cách trình bày với mã này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_unit})"


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
        "loại báo cáo",
        max_length=64,
        default=ReportKind.PERIODIC,
        help_text="Mã dàn ý báo cáo (một báo cáo ban hành cho mỗi đơn vị, kỳ và loại).",
    )
    request_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="văn bản yêu cầu báo cáo",
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


class BlockKind(models.TextChoices):
    TEXT = "text", "Đoạn văn soạn sẵn"
    FIGURES = "figures", "Câu số liệu"
    DOCUMENTS = "documents", "Văn bản đã ban hành trong kỳ"
    COUNTS = "counts", "Nhiệm vụ, chỉ tiêu của kỳ theo kế hoạch"
    NARRATIVE = "narrative", "Kết quả, tồn tại theo lĩnh vực"
    NEXT_TASKS = "next_tasks", "Nhiệm vụ kỳ tới"
    ROLLUP = "rollup", "Tổng hợp các đơn vị trực thuộc"
    APPENDIX = "appendix", "Phụ lục"


class ReportOutline(models.Model):
    """A kind of report as an ordered outline of sections made of blocks (dàn ý báo cáo).

    The defaults shipped in ``data/outlines/`` belong to no unit and serve every unit; a
    coordinator copies one to edit it for their unit. ``code`` names the kind of report: one
    issued report per unit, period and kind."""

    code = models.SlugField("mã loại báo cáo", max_length=64)
    name = models.CharField("tên loại báo cáo", max_length=255)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="report_outlines",
        verbose_name="đơn vị",
        help_text="Để trống: dàn ý mặc định, mọi đơn vị dùng được.",
    )
    subject = models.TextField(
        "trích yếu", help_text="Mẫu câu; ví dụ: Kết quả thực hiện Nghị quyết số 57-NQ/TW {{ ky }}"
    )
    opening = models.TextField(
        "đoạn mở đầu",
        blank=True,
        help_text="Mẫu câu; {{ can_cu }} là văn bản yêu cầu báo cáo (nếu chọn).",
    )
    profile_code = models.SlugField("cơ quan ban hành mặc định", max_length=32, default="ubnd")
    plan_symbols = models.JSONField(
        "kế hoạch, chương trình",
        default=list,
        blank=True,
        help_text="Số, ký hiệu; để trống là mọi kế hoạch của đơn vị.",
    )
    recipients = models.JSONField(
        "nơi nhận",
        default=list,
        blank=True,
        help_text="Để trống là nơi nhận của cơ quan ban hành; báo cáo phục vụ kiểm tra gửi "
        "đoàn kiểm tra, báo cáo năm gửi sở …",
    )
    position = models.PositiveIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dàn ý báo cáo"
        verbose_name_plural = "dàn ý báo cáo"
        ordering = ["org_unit_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "code"],
                name="outline_code_unique_per_unit",
                violation_error_message="Đơn vị đã có dàn ý báo cáo với mã này.",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(org_unit__isnull=True),
                name="default_outline_code_unique",
                violation_error_message="Đã có dàn ý mặc định với mã này.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OutlineSection(models.Model):
    """A section of an outline ("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"), in order."""

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="sections", verbose_name="dàn ý"
    )
    position = models.PositiveIntegerField("thứ tự")
    heading = models.CharField("tiêu đề", max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mục của dàn ý"
        verbose_name_plural = "mục của dàn ý"
        ordering = ["outline_id", "position", "id"]

    def __str__(self) -> str:
        return self.heading


class OutlineBlock(models.Model):
    """A block of a section: what it shows is its kind's, set by ``config`` (the patterns of
    a figures block, the issuing bodies of a documents block, the plans of a counts block …)."""

    section = models.ForeignKey(
        OutlineSection, on_delete=models.CASCADE, related_name="blocks", verbose_name="mục"
    )
    position = models.PositiveIntegerField("thứ tự")
    kind = models.CharField("loại khối", max_length=16, choices=BlockKind.choices)
    heading = models.CharField("tiêu đề nhỏ", max_length=255, blank=True)
    config = models.JSONField("nội dung, thiết lập", default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "khối của dàn ý"
        verbose_name_plural = "khối của dàn ý"
        ordering = ["section_id", "position", "id"]

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()


# The drafting models live beside (one job per module); importing them here registers them
# with the app and keeps ``theodoi.reports.models.DraftSection`` … where callers look.
from theodoi.reports.models.drafts import (  # noqa: E402
    Contribution,
    DraftReview,
    DraftSection,
    DraftUpload,
    SignedScan,
)

__all__ = [
    "BlockKind",
    "Contribution",
    "DraftReview",
    "DraftSection",
    "DraftUpload",
    "OutlineBlock",
    "OutlineSection",
    "Report",
    "ReportKind",
    "ReportOutline",
    "ReportProfile",
    "ReportState",
    "ReportTemplate",
    "SignedScan",
    "default_motto",
]
