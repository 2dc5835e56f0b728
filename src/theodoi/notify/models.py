"""What the system tells a person: one :class:`Notification` per message, read in the app's
inbox and, as each person chooses (:class:`Preference`), sent by e-mail at once or in a daily
digest. Written only by :mod:`theodoi.notify.services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    SUBMITTED = "submitted", "Đơn vị gửi báo cáo tiến độ"
    RETURNED = "returned", "Báo cáo tiến độ bị trả lại"
    ACCEPTED = "accepted", "Báo cáo tiến độ được tiếp nhận"
    APPROVED = "approved", "Báo cáo tiến độ được phê duyệt"
    UNLOCKED = "unlocked", "Kỳ báo cáo được mở khóa"
    REMINDER = "reminder", "Nhắc hạn gửi báo cáo"
    LATE = "late", "Quá hạn gửi báo cáo"
    EXPLANATION = "explain", "Yêu cầu giải trình, trả lời giải trình"
    ASSIGNED = "assigned", "Nhiệm vụ giao mới, điều chỉnh"


class MailState(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi thư"
    DIGEST = "digest", "Gửi trong thư tổng hợp"
    NONE = "none", "Không gửi thư"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="người nhận",
    )
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    link = models.CharField("đường dẫn", max_length=500, blank=True)
    # One message per occasion: a reminder for a unit's period is sent once, however often
    # the reminders run.
    key = models.CharField("khóa", max_length=200, blank=True)
    created_at = models.DateTimeField("lúc", default=timezone.now)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    mail_state = models.CharField(
        "thư điện tử", max_length=8, choices=MailState.choices, default=MailState.PENDING
    )
    mail_note = models.CharField("ghi chú gửi thư", max_length=255, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notify_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"


class Preference(models.Model):
    """What one person receives: e-mail or not, at once or in one digest a day, and the kinds
    of message they do not want by e-mail (the inbox always has everything)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notify_preference",
        verbose_name="người dùng",
    )
    email = models.BooleanField("nhận thư điện tử", default=True)
    digest = models.BooleanField("gộp thành một thư mỗi ngày", default=False)
    muted = models.JSONField("không nhận thư về", default=list, blank=True)

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "tùy chọn thông báo"

    def __str__(self) -> str:
        return f"Tùy chọn thông báo của {self.user}"
