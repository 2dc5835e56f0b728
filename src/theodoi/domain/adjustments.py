"""Which tasks a plan holds on a date once later documents have adjusted it.

A notice of the steering committee (Thông báo 01-TB/BCĐ kind) or a decision adjusts a plan or
the year's work programme: it adds tasks, takes some out, or moves their deadlines, from a date
and often for one year only. Each change applies from its ``effective_from`` on — for the year
``year`` only when one is given — and the latest change of a task that applies wins. A task
that came in by an addition is not part of the plan before it. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from theodoi.domain.deadlines import Deadline


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    RESCHEDULED = "rescheduled"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    effective_from: dt.date
    year: int | None = None
    deadline: Deadline | None = None  # the new deadline of a rescheduled task

    def applies_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.year is None or self.year == day.year)


@dataclass(frozen=True)
class InForce:
    """A task on a date: whether the plan holds it then, and its deadline then."""

    held: bool
    deadline: Deadline


def task_on(deadline: Deadline, changes: Iterable[Change], day: dt.date) -> InForce:
    """The task of ``deadline`` on ``day`` after ``changes`` (in any order)."""
    changes = sorted(changes, key=lambda c: c.effective_from)
    added_later = any(c.kind is ChangeKind.ADDED for c in changes)
    held = not added_later
    current = deadline
    for change in changes:
        if not change.applies_on(day):
            continue
        if change.kind is ChangeKind.ADDED:
            held = True
        elif change.kind is ChangeKind.REMOVED:
            held = False
        elif change.kind is ChangeKind.RESCHEDULED and change.deadline is not None:
            current = change.deadline
    return InForce(held, current)
