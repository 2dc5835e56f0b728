"""The search index: one entry per document, task, indicator or issued report, as the search
reads it."""

from __future__ import annotations

from django.db import models


class SearchKind(models.TextChoices):
    DOCUMENT = "document", "Văn bản"
    TASK = "task", "Nhiệm vụ"
    INDICATOR = "indicator", "Chỉ tiêu"
    REPORT = "report", "Báo cáo đã ban hành"


class SearchEntry(models.Model):
    """One document, task or indicator as the search reads it: derived, rebuilt at will by
    :mod:`theodoi.search.index`, never edited.

    ``title`` and ``body`` are the original texts (for a document: symbol, subject and issuer;
    and its full text), ``folded`` the same without diacritics, ``keys`` their OCR-tolerant
    keys. On SQLite an FTS5 table indexes them, kept in step by triggers on this table (see
    migration documents 0004; a migration that remakes this table on SQLite must create them
    again); on PostgreSQL, GIN full-text and trigram indexes do.
    """

    kind = models.CharField("loại", max_length=16, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField("mã đối tượng")
    title = models.TextField("tiêu đề")
    body = models.TextField("nội dung", blank=True)
    folded = models.TextField("nội dung không dấu", blank=True)
    keys = models.TextField("khóa tìm kiếm", blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        db_table = "documents_searchentry"  # its name from before search had its own app
        verbose_name = "mục tìm kiếm"
        verbose_name_plural = "mục tìm kiếm"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="searchentry_unique",
                violation_error_message="Đối tượng này đã có trong chỉ mục tìm kiếm.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}: {self.title[:60]}"
