"""``theodoi demo``: the Cát Hải dataset, the illustrative progress and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from theodoi.dataset import illustrative
from theodoi.dataset.common import LoadReport, _read
from theodoi.dataset.loader import load_dataset
from theodoi.history import data_user
from theodoi.plans.models import Plan

ADMIN_USER = "quantri"
ADMIN_PASSWORD = "quantri-cathai-2026"


@dataclass
class DemoResult(LoadReport):
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


@transaction.atomic
def load_demo(directory: Path) -> DemoResult:
    """Load the dataset, then the illustrative progress it asks for, as one transaction."""
    User = get_user_model()
    loader = data_user()
    report = load_dataset(directory, user=loader)
    result = DemoResult(written=report.written, unresolved_units=report.unresolved_units)
    settings_path = directory / "illustrative.yaml"
    if settings_path.exists():
        settings = _read(settings_path)
        if settings.get("enabled"):
            for plan in Plan.objects.filter(document__symbol__in=settings.get("plans", [])):
                illustrative.generate(plan, settings=settings, user=loader, report=result)
    result.accounts += _demo_members(User, result)
    admin = User.objects.filter(username=ADMIN_USER).first()
    if admin is None:
        User.objects.create_superuser(ADMIN_USER, password=ADMIN_PASSWORD, first_name="Quản trị")
        result.count("accounts", True)
    result.accounts.insert(
        0, (ADMIN_USER, ADMIN_PASSWORD, "quản trị hệ thống (cả trang Quản trị /admin/)")
    )
    return result


# One account per role for trying the system; demo database only, passwords printed.
DEMO_MEMBERS = [
    (
        "vhxh.tonghop",
        "Cán bộ tổng hợp Phòng VHXH",
        "CATHAI",
        "coordinator",
        "đầu mối tổng hợp báo cáo của đặc khu",
    ),
    (
        "vhxh.baocao",
        "Cán bộ Phòng Văn hóa - Xã hội",
        "CATHAI-VHXH",
        "reporter",
        "nhập tiến độ của Phòng Văn hóa - Xã hội",
    ),
    (
        "tthcc.baocao",
        "Cán bộ Trung tâm Phục vụ hành chính công",
        "CATHAI-TTHCC",
        "reporter",
        "nhập tiến độ của Trung tâm Phục vụ hành chính công",
    ),
    ("lanhdao", "Lãnh đạo UBND đặc khu", "CATHAI", "leader", "lãnh đạo, phê duyệt"),
    ("kiemtra", "Đoàn kiểm tra", "CATHAI", "inspector", "chỉ xem"),
]


def _demo_members(User, result: DemoResult) -> list[tuple[str, str, str]]:
    from theodoi.orgs.models import Membership, OrgUnit

    accounts = []
    for username, full_name, unit_code, role, what in DEMO_MEMBERS:
        password = f"{username.replace('.', '-')}-2026"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=password, first_name=full_name)
            result.count("accounts", True)
        unit = OrgUnit.objects.get(code=unit_code)
        _, created = Membership.objects.get_or_create(user=user, org_unit=unit, role=role)
        result.count("memberships", created)
        accounts.append((username, password, f"{what} ({unit.name})"))
    return accounts


@dataclass(frozen=True)
class PeopleChanges:
    """Changes people made in the database (not the dataset loader): how many, the last."""

    count: int
    last: Any = None


def people_changes() -> PeopleChanges:
    """The history rows written by a person rather than by the data loads: reloading the demo
    dataset over them would put back the dataset's values where people entered their own."""
    from django.apps import apps

    from theodoi.history import DATA_USER

    count, last = 0, None
    for model in apps.get_models():
        if not model.__name__.startswith("Historical") or not hasattr(model, "history_user"):
            continue
        rows = model.objects.exclude(history_user__isnull=True).exclude(
            history_user__username=DATA_USER
        )
        found = rows.count()
        if found:
            count += found
            latest = rows.order_by("-history_date").values_list("history_date", flat=True)[0]
            last = latest if last is None or latest > last else last
    return PeopleChanges(count, last)
