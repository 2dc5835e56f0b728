"""Documents (văn bản) and the references between them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class DocumentType(models.TextChoices):
    NQ = "NQ", "Nghị quyết"
    KH = "KH", "Kế hoạch"
    CTR = "CTr", "Chương trình"
    QD = "QĐ", "Quyết định"
    CV = "CV", "Công văn"
    TB = "TB", "Thông báo"
    BC = "BC", "Báo cáo"
    HD = "HD", "Hướng dẫn"
    CT = "CT", "Chỉ thị"
    TT = "TT", "Thông tư"
    ND = "NĐ", "Nghị định"
    KL = "KL", "Kết luận"
    DA = "ĐA", "Đề án"
    LUAT = "L", "Luật"
    TTR = "TTr", "Tờ trình"
    OTHER = "other", "Văn bản khác"


class Document(models.Model):
    """A document as issued: type, number and symbol as written, issuer, date and subject.

    ``key`` identifies it in the dataset and the CLI: the symbol and date ("96/KH-UBND@
    2025-10-22"), or a descriptive key for a document without a number. A document cited but
    not yet described is a stub (``is_stub``) to complete later.
    """

    key = models.CharField("khóa", max_length=128, unique=True)
    doc_type = models.CharField("loại văn bản", max_length=8, choices=DocumentType.choices)
    symbol = models.CharField("số, ký hiệu", max_length=64, blank=True, db_index=True)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    issuer_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="đơn vị ban hành (trong hệ thống)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    place = models.CharField("nơi ban hành", max_length=128, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    subject = models.TextField("trích yếu", blank=True)
    signer = models.CharField("người ký", max_length=128, blank=True)
    full_text = models.TextField("toàn văn", blank=True)
    source_file = models.CharField("tệp nguồn", max_length=255, blank=True)
    # SHA-256 of the ingested file's bytes: ingesting the same file again changes nothing.
    content_sha256 = models.CharField("mã băm tệp nguồn", max_length=64, blank=True, db_index=True)
    is_stub = models.BooleanField("chưa đủ thông tin", default=False)
    references = models.ManyToManyField(
        "self",
        through="DocumentReference",
        symmetrical=False,
        related_name="referenced_by",
        verbose_name="văn bản liên quan",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "symbol"]

    def __str__(self) -> str:
        label = self.get_doc_type_display()
        if self.symbol:
            label += f" số {self.symbol}"
        if self.issued_on:
            label += f" ngày {self.issued_on:%d/%m/%Y}"
        return label


class ReferenceKind(models.TextChoices):
    IMPLEMENTS = "implements", "Thực hiện, căn cứ"
    ADJUSTS = "adjusts", "Điều chỉnh"
    REPLACES = "replaces", "Thay thế"
    CITES = "cites", "Viện dẫn"


class DocumentReference(models.Model):
    """``source`` refers to ``target``: implements it, adjusts it, replaces it or cites it."""

    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="outgoing", verbose_name="văn bản"
    )
    target = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="incoming",
        verbose_name="văn bản được dẫn",
    )
    kind = models.CharField("quan hệ", max_length=16, choices=ReferenceKind.choices)
    quote = models.TextField("trích dẫn", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "liên hệ giữa văn bản"
        verbose_name_plural = "liên hệ giữa văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="docref_unique",
                violation_error_message="Liên hệ này giữa hai văn bản đã có.",
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="docref_not_self",
                violation_error_message="Văn bản không thể dẫn chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.get_kind_display()} — {self.target}"
