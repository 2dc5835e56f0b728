"""Org units (đơn vị, cơ quan), their history of merges and renames, and memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from theodoi.domain.text import fold


class OrgUnitKind(models.TextChoices):
    COUNTRY = "country", "Quốc gia"
    PROVINCE = "province", "Tỉnh, thành phố"
    DISTRICT = "district", "Huyện (trước 01/7/2025)"
    COMMUNE = "commune", "Xã, phường"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    PARTY_COMMITTEE = "party_committee", "Cấp ủy đảng"
    COUNCIL = "council", "Hội đồng nhân dân"
    STEERING_COMMITTEE = "steering_committee", "Ban chỉ đạo"
    OFFICE = "office", "Cơ quan chuyên môn"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp, trung tâm"
    POLICE = "police", "Công an"
    MASS_ORGANISATION = "mass_organisation", "Mặt trận, đoàn thể"
    DEPARTMENT = "department", "Sở, ngành"
    SCHOOL = "school", "Trường học"
    VILLAGE = "village", "Thôn, tổ dân phố"
    OTHER = "other", "Khác"


class OrgUnit(models.Model):
    """A node of the administrative tree: country › province › commune › office, school, village.

    Units are never deleted when they are merged, split or renamed: they get a ``valid_to``
    date and the change is recorded in :class:`OrgUnitSuccession`; renames are kept by the
    change history.
    """

    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=255)
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)
    kind = models.CharField("loại", max_length=32, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        "đường dẫn",
        max_length=1024,
        db_index=True,
        editable=False,
        help_text="Mã các đơn vị từ gốc, để lấy cả cây con bằng một truy vấn.",
    )
    depth = models.PositiveSmallIntegerField("cấp", default=0, editable=False)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    search_key = models.CharField(max_length=1024, editable=False, db_index=True, default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="orgunit_valid_range",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="orgunit_code_not_empty",
                violation_error_message="Mã đơn vị không được để trống.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="orgunit_not_own_parent",
                violation_error_message="Một đơn vị không thể là cấp trên của chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_derived(self) -> None:
        """Recompute the path, depth and search key from the parent and names."""
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        self.depth = self.path.count("/") - 2
        self.search_key = " | ".join(fold(n) for n in [self.code, self.name, *self.aliases])

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class SuccessionKind(models.TextChoices):
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
    TRANSFORM = "transform", "Chuyển đổi mô hình"


class OrgUnitSuccession(models.Model):
    """One edge of a reorganisation: ``predecessor`` continues as ``successor`` from a date."""

    predecessor = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị cũ", on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        OrgUnit,
        verbose_name="đơn vị mới",
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    kind = models.CharField("hình thức", max_length=16, choices=SuccessionKind.choices)
    effective_on = models.DateField("từ ngày")
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="văn bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    note = models.TextField("ghi chú", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thay đổi tổ chức"
        verbose_name_plural = "thay đổi tổ chức"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique",
                violation_error_message="Quan hệ kế thừa này đã có.",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="succession_not_self",
                violation_error_message="Đơn vị không thể kế thừa chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    COORDINATOR = "coordinator", "Đầu mối tổng hợp"
    REPORTER = "reporter", "Cán bộ báo cáo của đơn vị"
    LEADER = "leader", "Lãnh đạo"
    INSPECTOR = "inspector", "Kiểm tra, giám sát"


class Membership(models.Model):
    """A person's role in one org unit; a person may hold several roles in several units."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org_unit", "role"],
                name="membership_unique",
                violation_error_message="Người dùng đã có vai trò này tại đơn vị này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org_unit}"


class Profile(models.Model):
    """What others need to know of a person: the position and phone the late list and the
    report's signing block show (name and e-mail are on the account itself)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name="người dùng",
    )
    position = models.CharField("chức vụ", max_length=128, blank=True)
    phone = models.CharField("điện thoại", max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "hồ sơ người dùng"
        verbose_name_plural = "hồ sơ người dùng"

    def __str__(self) -> str:
        return f"Hồ sơ của {self.user}"
