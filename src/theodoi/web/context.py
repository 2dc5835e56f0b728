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
        **dict(zip(("nav_unread", "nav_waiting"), nav_counts(request), strict=True)),
    }


def nav_counts(request: HttpRequest) -> tuple[int, int]:
    """The menu's two counts for the signed-in user: unread notifications, reports waiting
    for their step. Read once per request (a cached page's key holds them too)."""
    found = getattr(request, "_theodoi_nav_counts", None)
    if found is None:
        user = request.user
        found = (
            Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
            _waiting(user),
        )
        request._theodoi_nav_counts = found  # type: ignore[attr-defined]
    return found


def _waiting(user: Any) -> int:
    """Reports waiting for this person's step: to accept (a coordinator's units) or to approve
    (a leader's), in the units they hold the role for and below."""
    from django.db.models import Q

    from theodoi.orgs.permissions import memberships
    from theodoi.progress.models import Submission, UpdateState

    steps = {UpdateState.SUBMITTED: Role.COORDINATOR, UpdateState.ACCEPTED: Role.LEADER}
    conditions = [
        Q(state=state, org_unit__path__startswith=path)
        for state, role in steps.items()
        for _, path, held in memberships(user)
        if held == role
    ]
    if not conditions:
        return 0
    condition = conditions[0]
    for more in conditions[1:]:
        condition |= more
    return Submission.objects.filter(condition).count()
