"""``theodoi demo``: the Cát Hải dataset, the illustrative progress and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from theodoi.ingest import illustrative
from theodoi.ingest.dataset import LoadReport, _read, load_dataset
from theodoi.plans.models import Plan

DATA_USER = "theodoi-dulieu"
ADMIN_USER = "quantri"
ADMIN_PASSWORD = "quantri-cathai-2026"


@dataclass
class DemoResult(LoadReport):
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


@transaction.atomic
def load_demo(directory: Path) -> DemoResult:
    """Load the dataset, then the illustrative progress it asks for, as one transaction."""
    User = get_user_model()
    loader, _ = User.objects.get_or_create(
        username=DATA_USER, defaults={"first_name": "Nạp dữ liệu", "is_active": False}
    )
    report = load_dataset(directory, user=loader)
    result = DemoResult(written=report.written, unresolved_units=report.unresolved_units)
    settings_path = directory / "illustrative.yaml"
    if settings_path.exists():
        settings = _read(settings_path)
        if settings.get("enabled"):
            for plan in Plan.objects.filter(document__symbol__in=settings.get("plans", [])):
                illustrative.generate(plan, settings=settings, user=loader, report=result)
    admin = User.objects.filter(username=ADMIN_USER).first()
    if admin is None:
        User.objects.create_superuser(ADMIN_USER, password=ADMIN_PASSWORD, first_name="Quản trị")
        result.count("accounts", True)
    result.accounts.append((ADMIN_USER, ADMIN_PASSWORD, "quản trị hệ thống (trang /admin/)"))
    return result
