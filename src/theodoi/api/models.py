"""Access tokens for the REST API: one per program or person that calls it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    """A bearer token acting as its user. Only the SHA-256 hash of the secret is stored; the
    secret itself is shown once, when the token is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name="người dùng",
    )
    name = models.CharField(
        "tên gọi", max_length=100, help_text="Dùng cho việc gì, ví dụ “Đồng bộ số liệu TTHCC”."
    )
    key_hash = models.CharField("mã băm", max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        "tiền tố",
        max_length=8,
        editable=False,
        help_text="Tám ký tự đầu của mã, để nhận ra mã mà không lộ mã.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
