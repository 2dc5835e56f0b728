"""Writes to the org unit tree. Reorganisations never delete a unit: they close it and record
who continues it, so the history of every figure and task stays attached to a real unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.domain.text import normalize
from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit, OrgUnitSuccession, SuccessionKind


@transaction.atomic
def org_unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    user: Any,
    valid_from: dt.date | None = None,
    aliases: list[str] | None = None,
) -> OrgUnit:
    """Create a unit under ``parent``."""
    unit = OrgUnit(
        code=code,
        name=normalize(name),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        aliases=aliases or [],
    )
    unit.refresh_derived()
    save_tracked(unit, user=user, reason="Tạo đơn vị")
    return unit


@transaction.atomic
def org_unit_rename(
    *,
    unit: OrgUnit,
    new_name: str,
    effective_on: dt.date,
    user: Any,
    document: Any | None = None,
) -> OrgUnit:
    """Rename a unit. The old name stays searchable as an alias and in the change history."""
    new_name = normalize(new_name)
    if new_name == unit.name:
        raise ValidationError("Tên mới trùng với tên hiện tại của đơn vị.")
    if unit.name not in unit.aliases:
        unit.aliases = [*unit.aliases, unit.name]
    unit.name = new_name
    unit.refresh_derived()
    reason = f"Đổi tên từ ngày {effective_on:%d/%m/%Y}"
    if document is not None:
        reason += f" theo {document}"
    save_tracked(unit, user=user, reason=reason)
    return unit


@transaction.atomic
def org_units_merge(
    *,
    units: list[OrgUnit],
    into: OrgUnit,
    effective_on: dt.date,
    user: Any,
    document: Any | None = None,
    kind: str = SuccessionKind.MERGE,
) -> list[OrgUnitSuccession]:
    """Merge ``units`` into ``into`` from ``effective_on``: the old units are closed the day
    before and each gets a succession edge to the new one. Units below them move to ``into``
    only when the caller moves them; nothing is deleted."""
    if into in units:
        raise ValidationError("Đơn vị tiếp nhận không thể nằm trong danh sách bị hợp nhất.")
    closing = effective_on - dt.timedelta(days=1)
    edges = []
    for unit in units:
        if unit.valid_to is not None and unit.valid_to < closing:
            raise ValidationError(
                f"Đơn vị {unit.name} đã hết hiệu lực từ {unit.valid_to:%d/%m/%Y}, "
                "không thể hợp nhất thêm."
            )
        if unit.valid_from and unit.valid_from > closing:
            raise ValidationError(
                f"Đơn vị {unit.name} có hiệu lực từ {unit.valid_from:%d/%m/%Y}, sau ngày hợp nhất."
            )
        unit.valid_to = closing
        save_tracked(unit, user=user, reason=f"Hợp nhất vào {into.name}")
        edge = OrgUnitSuccession(
            predecessor=unit,
            successor=into,
            kind=kind,
            effective_on=effective_on,
            document=document,
        )
        save_tracked(edge, user=user, reason="Hợp nhất đơn vị")
        edges.append(edge)
    if into.valid_from is None or into.valid_from > effective_on:
        into.valid_from = effective_on
        save_tracked(into, user=user, reason="Thành lập trên cơ sở hợp nhất")
    return edges


PHONE = r"^[0-9 +().-]{6,32}$"


@transaction.atomic
def profile_save(*, user: Any, full_name: str, position: str, phone: str, email: str) -> Any:
    """A person's own name, position, phone and e-mail (recorded in history)."""
    import re

    from django.core.validators import validate_email

    from theodoi.orgs.models import Profile

    errors: dict[str, list[str]] = {}
    full_name = normalize(full_name)[:150]
    phone = " ".join(phone.split())
    email = email.strip().lower()
    if not full_name:
        errors["full_name"] = ["Hãy ghi họ và tên."]
    if phone and not re.match(PHONE, phone):
        errors["phone"] = ["Số điện thoại chỉ gồm chữ số (có thể có dấu cách, +, -, dấu chấm)."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [f"Địa chỉ thư “{email}” không đúng cách viết."]
    if errors:
        raise ValidationError(errors)
    user.first_name, user.last_name, user.email = full_name, "", email
    user.save(update_fields=["first_name", "last_name", "email"])
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.position = normalize(position)[:128]
    profile.phone = phone
    save_tracked(profile, user=user, reason="Cập nhật hồ sơ cá nhân")
    return profile
