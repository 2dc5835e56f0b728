"""What every page's frame needs: the signed-in user's roles and the menu they may use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from theodoi.notify.models import Notification
from theodoi.orgs.models import Membership, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user=user).select_related("org_unit").order_by("org_unit__path")
    )
    roles = {m.role for m in memberships}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return {
        "nav_memberships": memberships,
        "nav_can_enter": bool(roles & {Role.ADMIN, Role.REPORTER, Role.COORDINATOR}),
        "nav_can_review": bool(roles & {Role.ADMIN, Role.COORDINATOR, Role.LEADER}),
        "nav_can_report": bool(roles & {Role.ADMIN, Role.COORDINATOR, Role.LEADER}),
        "nav_reads_reports": bool(roles & {Role.INSPECTOR}),
        "nav_is_admin": user.is_superuser or user.is_staff,
        "nav_unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    }
