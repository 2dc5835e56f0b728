"""Who may do what, per org unit.

A role held in a unit applies to that unit and every unit below it (upper levels read the
roll-up of the units below them). Checks are plain functions over memberships; selectors use
the same rules to filter querysets, so a page never shows what an action would refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from theodoi.orgs.models import Membership, OrgUnit, Role

# action → roles allowed to perform it on a unit (in their unit's subtree)
ACTIONS: dict[str, set[str]] = {
    "view": {Role.ADMIN, Role.COORDINATOR, Role.REPORTER, Role.LEADER, Role.INSPECTOR},
    "progress.edit": {Role.ADMIN, Role.REPORTER, Role.COORDINATOR},
    "progress.submit": {Role.ADMIN, Role.REPORTER, Role.COORDINATOR},
    "progress.review": {Role.ADMIN, Role.COORDINATOR},
    "progress.approve": {Role.ADMIN, Role.LEADER},
    "progress.unlock": {Role.ADMIN, Role.LEADER},
    "report.generate": {Role.ADMIN, Role.COORDINATOR, Role.LEADER},
    "report.issue": {Role.ADMIN, Role.COORDINATOR},
    "report.review": {Role.ADMIN, Role.LEADER},
    "plan.adjust": {Role.ADMIN, Role.COORDINATOR},
    "explanation.request": {Role.ADMIN, Role.COORDINATOR, Role.LEADER},
    "outline.edit": {Role.ADMIN, Role.COORDINATOR},
    "data.manage": {Role.ADMIN},
}

ACTION_LABELS = {
    "view": "xem dữ liệu",
    "progress.edit": "nhập tiến độ",
    "progress.submit": "gửi báo cáo tiến độ",
    "progress.review": "tiếp nhận, trả lại báo cáo tiến độ",
    "progress.approve": "phê duyệt báo cáo tiến độ",
    "progress.unlock": "mở khóa kỳ báo cáo",
    "report.generate": "lập báo cáo",
    "report.issue": "ban hành báo cáo",
    "report.review": "đọc, cho ý kiến và đồng ý ban hành báo cáo",
    "plan.adjust": "điều chỉnh kế hoạch",
    "explanation.request": "yêu cầu giải trình",
    "outline.edit": "sửa dàn ý báo cáo",
    "data.manage": "quản trị dữ liệu",
}


class _Remembered:
    rows: list[tuple[str, str, str]] | None = None


def remember_memberships(user: Any) -> None:
    """Read ``user``'s roles once for the rest of this request (the web middleware calls it
    on each request's user: a page asks many permission questions)."""
    if getattr(user, "is_authenticated", False) and not user.is_superuser:
        user._theodoi_memberships = _Remembered()


def memberships(user: Any) -> list[tuple[str, str, str]]:
    """(unit code, unit path, role) of every role ``user`` holds: one query (once per request
    where :func:`remember_memberships` was called)."""
    remembered = getattr(user, "_theodoi_memberships", None)
    if remembered is not None and remembered.rows is not None:
        return remembered.rows
    rows = list(
        Membership.objects.filter(user=user).values_list("org_unit__code", "org_unit__path", "role")
    )
    if remembered is not None:
        remembered.rows = rows
    return rows


def roles_over(user: Any, unit: OrgUnit) -> set[str]:
    """The roles ``user`` holds over ``unit``: in it or in any unit above it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return {Role.ADMIN}
    ancestors = {code for code in unit.path.split("/") if code}
    return {role for code, _, role in memberships(user) if code in ancestors}


def can(user: Any, action: str, unit: OrgUnit) -> bool:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    return bool(roles_over(user, unit) & ACTIONS[action])


def ensure_can(user: Any, action: str, unit: OrgUnit) -> None:
    """Raise PermissionDenied, in Vietnamese, unless ``user`` may do ``action`` on ``unit``."""
    if not can(user, action, unit):
        raise PermissionDenied(
            f"Bạn không có quyền {ACTION_LABELS.get(action, action)} của {unit.name}."
        )


def people_who_can(action: str, unit: OrgUnit, *, here_only: bool = False) -> Any:
    """The active people whose role lets them do ``action`` on ``unit`` (held in it or, unless
    ``here_only``, in a unit above it) — whom to tell that something waits for them. The
    system administrator is not told of every unit's business."""
    from django.contrib.auth import get_user_model

    codes = [unit.code] if here_only else [c for c in unit.path.split("/") if c]
    roles = ACTIONS[action] - {Role.ADMIN}
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__org_unit__code__in=codes, memberships__role__in=roles
        )
        .distinct()
        .order_by("pk")
    )
