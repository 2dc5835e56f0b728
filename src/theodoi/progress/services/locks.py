"""The lock of a unit's period: what is approved cannot be changed by anyone, on any path,
until a leader unlocks it with a reason. The rule lives here once; every service that writes
progress or a figure asks it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period, Submission, UpdateState


class LockBook:
    """The approved reports of units, read once per unit, so that an import checking hundreds
    of (unit, period) pairs asks the database once per batch of units. The lock rule lives
    here: a lock looks at dates, not at a period's identity — an approved 2025-Q4 locks the
    figures of 01/10/2025–31/12/2025 however that range was named, and an approved year locks
    its quarters and months."""

    def __init__(self) -> None:
        self._approved: dict[int, list[Submission]] = {}

    def load(self, ids: set[int]) -> None:
        """Read the approved reports of the units ``ids`` not read yet, in one query."""
        missing = ids - self._approved.keys()
        if not missing:
            return
        for unit_id in missing:
            self._approved[unit_id] = []
        approved = Submission.objects.filter(
            org_unit_id__in=missing, state=UpdateState.APPROVED
        ).select_related("period", "org_unit")
        for submission in approved:
            self._approved[submission.org_unit_id].append(submission)

    def covering(self, *, units: Iterable[OrgUnit | None], period: Period) -> Submission | None:
        """The approved report of one of ``units`` whose period holds ``period``'s dates, if
        any (the earliest such period first)."""
        ids = {u.pk for u in units if u is not None}
        self.load(ids)
        found = [
            submission
            for unit_id in ids
            for submission in self._approved[unit_id]
            if submission.period.start <= period.start and submission.period.end >= period.end
        ]
        return min(found, key=lambda s: (s.period.start, s.period.end, s.pk), default=None)

    def ensure_unlocked(
        self, *, units: Iterable[OrgUnit | None], period: Period, what: str
    ) -> None:
        """Refuse a change of ``what`` in ``period`` when an approved report of one of
        ``units`` covers it; the message says which report and what to do."""
        lock = self.covering(units=units, period=period)
        if lock is not None:
            raise ValidationError(
                f"{what} thuộc {lock.period.label} của {lock.org_unit.name}, kỳ đã được phê "
                "duyệt (khóa) nên không ai sửa được. Cần lãnh đạo mở khóa kỳ đó, ghi rõ lý do, "
                "rồi mới sửa.",
                code="locked",
            )


def covering_lock(*, units: Iterable[OrgUnit | None], period: Period) -> Submission | None:
    """The approved report of one of ``units`` whose period holds ``period``'s dates, if any
    (:class:`LockBook`)."""
    return LockBook().covering(units=units, period=period)


def ensure_unlocked(*, units: Iterable[OrgUnit | None], period: Period, what: str) -> None:
    """Refuse a change of ``what`` in ``period`` when an approved report of one of ``units``
    covers it (:meth:`LockBook.ensure_unlocked`)."""
    LockBook().ensure_unlocked(units=units, period=period, what=what)


def submission_for_entry(unit: OrgUnit, period: Period, user: Any) -> Submission:
    """The unit's report for the period (created on first entry), locked for this
    transaction."""
    return submissions_for_entry(unit, [period], user)[period.pk]


def submissions_for_entry(
    unit: OrgUnit, periods: Iterable[Period], user: Any
) -> dict[int, Submission]:
    """The unit's report for each period, by period id, locked for this transaction: read in
    one query, the missing ones created together (each with its history row) — a period not
    yet begun is refused."""
    from simple_history.utils import bulk_create_with_history

    periods = {period.pk: period for period in periods}
    found = _submissions(unit, periods)
    missing = [period for pk, period in periods.items() if pk not in found]
    if not missing:
        return found
    today = timezone.localdate()
    for period in missing:
        if period.start > today:
            raise ValidationError(f"{period.label} chưa bắt đầu nên chưa nhập tiến độ được.")
    new = [Submission(org_unit=unit, period=period) for period in missing]
    related = [f.name for f in Submission._meta.concrete_fields if f.is_relation]
    for submission in new:
        submission.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    reason = "Bắt đầu nhập tiến độ kỳ"
    try:
        with transaction.atomic():
            bulk_create_with_history(
                new, Submission, default_user=user, default_change_reason=reason
            )
    except IntegrityError:  # another save of the unit came first: one by one, theirs kept
        for period in missing:
            try:
                with transaction.atomic():
                    bulk_create_with_history(
                        [Submission(org_unit=unit, period=period)],
                        Submission,
                        default_user=user,
                        default_change_reason=reason,
                    )
            except IntegrityError:
                pass
    return _submissions(unit, periods)


def _submissions(unit: OrgUnit, periods: dict[int, Period]) -> dict[int, Submission]:
    rows = Submission.objects.select_for_update(of=("self",)).filter(
        org_unit=unit, period_id__in=periods
    )
    found = {}
    for submission in rows:
        # the objects the caller holds, not a second copy of each (messages name them)
        submission.org_unit = unit
        submission.period = periods[submission.period_id]
        found[submission.period_id] = submission
    return found


def ensure_editable(submission: Submission, locks: LockBook | None = None) -> None:
    """The unit may still change its report for the period: it is a draft or was returned,
    and no approved report of the unit covers the period's dates (``locks``: a caller's
    book across many checks)."""
    if not submission.is_editable:
        raise ValidationError(
            f"Báo cáo tiến độ {submission.period} của {submission.org_unit.name} đang ở trạng "
            f"thái “{submission.get_state_display()}” nên không sửa được."
            + (" Cần lãnh đạo mở khóa." if submission.is_locked else ""),
            code="locked" if submission.is_locked else "not_editable",
        )
    (locks or LockBook()).ensure_unlocked(
        units=[submission.org_unit], period=submission.period, what="Tiến độ và số liệu kỳ này"
    )
