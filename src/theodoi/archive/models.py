"""Figures read out of old reports, waiting in a review queue before they count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class FigureStatus(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    ACCEPTED = "accepted", "Đã nhận"
    REJECTED = "rejected", "Đã loại"


class ExtractedFigure(models.Model):
    """A figure the extractor read out of a document's text (số liệu trích từ văn bản).

    It counts nowhere until a reviewer accepts it: it then becomes a data value whose
    provenance is the document, the line and the quoted text. ``element_code`` keeps the code
    as extracted; ``element`` is the data element it maps to, empty when the code is unknown
    to the database (such a figure can only be re-coded by the reviewer or rejected).
    """

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="extracted_figures",
        verbose_name="văn bản",
    )
    element_code = models.CharField("mã số liệu (như trích ra)", max_length=128)
    element = models.ForeignKey(
        "progress.DataElement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extracted_figures",
        verbose_name="loại số liệu",
    )
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    unit = models.CharField("đơn vị tính (như văn bản ghi)", max_length=64, blank=True)
    scope = models.CharField(
        "phân tổ, phạm vi", max_length=255, blank=True, help_text="Để trống cho tổng."
    )
    period_start = models.DateField("từ ngày", null=True, blank=True)
    period_end = models.DateField("đến ngày", null=True, blank=True)
    line = models.PositiveIntegerField("dòng")
    quote = models.TextField("trích dẫn")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extracted_figures",
        verbose_name="số liệu của đơn vị",
        help_text="Mặc định là đơn vị ban hành văn bản.",
    )
    status = models.CharField(
        "trạng thái",
        max_length=16,
        choices=FigureStatus.choices,
        default=FigureStatus.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người duyệt",
    )
    reviewed_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    review_note = models.TextField("ghi chú, lý do", blank=True)
    data_value = models.ForeignKey(
        "progress.DataValue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extracted_figures",
        verbose_name="giá trị số liệu đã nhận",
    )
    created_at = models.DateTimeField("trích lúc", auto_now_add=True)

    # The tables keep the names they had in the former ``ingest`` app (see migration 0001).
    history = HistoricalRecords(table_name="ingest_historicalextractedfigure")

    class Meta:
        db_table = "ingest_extractedfigure"
        verbose_name = "số liệu trích từ văn bản"
        verbose_name_plural = "số liệu trích từ văn bản"
        ordering = ["document_id", "line", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "element_code", "scope", "line", "value"],
                name="extractedfigure_unique",
                violation_error_message="Số liệu này của văn bản đã có trong danh sách trích.",
            ),
            models.CheckConstraint(
                condition=Q(status=FigureStatus.PENDING) | Q(reviewed_at__isnull=False),
                name="extractedfigure_reviewed_at",
                violation_error_message="Số liệu đã duyệt phải ghi thời điểm duyệt.",
            ),
            models.CheckConstraint(
                condition=~Q(status=FigureStatus.REJECTED) | ~Q(review_note=""),
                name="extractedfigure_rejection_reason",
                violation_error_message="Loại số liệu thì phải ghi lý do.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "document"], name="ingest_extr_status_811877_idx")
        ]

    def __str__(self) -> str:
        return f"{self.element_code} = {self.value} ({self.document}, dòng {self.line})"

    @property
    def is_pending(self) -> bool:
        return self.status == FigureStatus.PENDING
