"""Reads of org units, always scoped to what the user may see.

``user=None`` stands for the local operator at the command line, who sees everything; the
web app always passes the signed-in user.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from theodoi.domain.text import fold
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import memberships


class UnitLookupError(LookupError):
    """No unit, or more than one, matches what the user typed; the message is Vietnamese."""


def units_visible_to(*, user: Any | None) -> QuerySet[OrgUnit]:
    """Units the user may read: the subtrees of the units where they hold a role."""
    units = OrgUnit.objects.all()
    if user is None or getattr(user, "is_superuser", False):
        return units
    if not getattr(user, "is_authenticated", False):
        return units.none()
    paths = [path for _, path, _ in memberships(user)]
    condition = Q(pk__in=[])
    for path in set(paths):
        condition |= Q(path__startswith=path)
    return units.filter(condition)


def units_visible_or_above(*, user: Any | None) -> QuerySet[OrgUnit]:
    """The units ``user`` may read, and those above the units where they hold a role (whose
    plans apply to them): every unit a page of theirs may name."""
    above = {code for _, path, _ in memberships(user) for code in path.split("/") if code}
    return units_visible_to(user=user) | OrgUnit.objects.filter(code__in=above)


def subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit and every unit below it."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def unit_find(*, query: str, user: Any | None) -> OrgUnit:
    """The one unit whose code, name or alias matches ``query``, typed with or without
    diacritics: exact code first, then exact name, then an unambiguous part of a name."""
    units = units_visible_to(user=user)
    text = query.strip()
    by_code = units.filter(code__iexact=text).first()
    if by_code:
        return by_code
    key = fold(text)
    candidates = list(units.filter(search_key__contains=key)[:50])
    exact = [u for u in candidates if key in {part.strip() for part in u.search_key.split("|")}]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UnitLookupError(
            f"Không tìm thấy đơn vị “{query}”. Xem danh sách mã đơn vị bằng lệnh: theodoi units"
        )
    names = "; ".join(f"{u.code} ({u.name})" for u in (exact or candidates)[:8])
    raise UnitLookupError(f"“{query}” khớp với nhiều đơn vị: {names}. Hãy ghi rõ mã đơn vị.")


def unit_tree(*, user: Any | None) -> list[dict[str, Any]]:
    """The visible units in tree order with their depth, for display."""
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent": u.parent.code if u.parent else None,
            "depth": u.depth,
            "valid_from": u.valid_from.isoformat() if u.valid_from else None,
            "valid_to": u.valid_to.isoformat() if u.valid_to else None,
        }
        for u in units_visible_to(user=user).select_related("parent").order_by("path")
    ]
