"""The drafting of a period's report before it is issued: the units' own text for their
fields, the coordinator's edited sections, a draft edited in Word, the leader's reading, and
the signed scan kept beside the issued report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class DraftSection(models.Model):
    """A section of the period's report as the coordinator edited it in the browser (or as
    carried forward from the previous issued report): it replaces the generated section in
    the draft, and what is issued is what was edited. ``version`` counts saves: a save based
    on an older version is refused, so two people editing one section are told."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="draft_sections",
        verbose_name="đơn vị",
    )
    period_code = models.CharField("kỳ", max_length=32)
    kind = models.SlugField("loại báo cáo", max_length=64)
    position = models.PositiveIntegerField("mục thứ")
    heading = models.CharField("tiêu đề mục", max_length=255)
    html = models.TextField("nội dung đã sửa", blank=True)
    carried_from = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="chép từ báo cáo",
    )
    carried = models.BooleanField("chép từ kỳ trước, chưa xem lại", default=False)
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người sửa",
    )
    updated_at = models.DateTimeField("lúc", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "mục báo cáo đã sửa"
        verbose_name_plural = "mục báo cáo đã sửa"
        ordering = ["org_unit_id", "period_code", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_code", "kind", "position"],
                name="draft_section_once",
                violation_error_message="Mục này của báo cáo đã có bản sửa.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.heading} ({self.period_code})"


class Contribution(models.Model):
    """A unit's own text for one field of the period's report — the service centre on
    digital government, the police on VNeID — written with its progress, sent with its
    report for the period, and counted once that report is approved, like the progress."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="đơn vị viết",
    )
    period = models.ForeignKey(
        "progress.Period",
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="kỳ",
    )
    field = models.CharField("lĩnh vực", max_length=32)
    text = models.TextField(
        "nội dung", blank=True, help_text="HTML đã lọc: đoạn, danh sách, đậm, nghiêng"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người viết",
    )
    updated_at = models.DateTimeField("lúc", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "nội dung đơn vị viết cho báo cáo"
        verbose_name_plural = "nội dung đơn vị viết cho báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period", "field"],
                name="contribution_once_per_unit_period_field",
                violation_error_message="Đơn vị đã có nội dung của lĩnh vực này trong kỳ.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} — {self.field} — {self.period}"


class SignedScan(models.Model):
    """The scan (PDF) of the report as signed and stamped, uploaded after issuing and kept
    beside the register entry; stored as uploaded, never changed nor deleted (database
    triggers, :mod:`theodoi.reports.frozen`)."""

    report = models.OneToOneField(
        "reports.Report",
        on_delete=models.PROTECT,
        related_name="signed_scan",
        verbose_name="báo cáo",
    )
    content = models.BinaryField("tệp PDF đã ký")
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    pages = models.PositiveIntegerField("số trang")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("lúc tải lên", auto_now_add=True)

    class Meta:
        verbose_name = "bản quét báo cáo đã ký"
        verbose_name_plural = "bản quét báo cáo đã ký"

    def __str__(self) -> str:
        return f"Bản ký {self.report}"


class DraftUpload(models.Model):
    """The draft as the office edited it in Word and uploaded back, to be issued as it is:
    the file issued is this one. What it says differently in numbers from the data is kept
    (``typed_numbers``) and shown before issuing."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="draft_uploads",
        verbose_name="đơn vị",
    )
    period_code = models.CharField("kỳ", max_length=32)
    kind = models.SlugField("loại báo cáo", max_length=64)
    content = models.BinaryField("tệp DOCX")
    filename = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    typed_numbers = models.JSONField("số không có trong dữ liệu", default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("lúc tải lên", auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = "dự thảo sửa bằng Word"
        verbose_name_plural = "dự thảo sửa bằng Word"
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "period_code", "kind"],
                name="draft_upload_once",
                violation_error_message="Kỳ này đã có một tệp Word tải lên; hãy bỏ tệp cũ trước.",
            )
        ]

    def __str__(self) -> str:
        return self.filename


class DraftReview(models.Model):
    """A leader's reading of the draft: a comment on a section, or "đồng ý ban hành" for
    the draft as it stood (``fingerprint`` of its text: a later change of the draft needs a
    new agreement)."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Ý kiến"
        AGREE = "agree", "Đồng ý ban hành"

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.CASCADE,
        related_name="draft_reviews",
        verbose_name="đơn vị",
    )
    period_code = models.CharField("kỳ", max_length=32)
    kind = models.SlugField("loại báo cáo", max_length=64)
    action = models.CharField("việc", max_length=16, choices=Kind.choices)
    position = models.PositiveIntegerField("mục thứ", null=True, blank=True)
    text = models.TextField("ý kiến", blank=True)
    fingerprint = models.CharField("dấu của bản dự thảo", max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người đọc",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ý kiến lãnh đạo về dự thảo"
        verbose_name_plural = "ý kiến lãnh đạo về dự thảo"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.period_code}"
