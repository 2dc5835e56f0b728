"""Task status at a date, in the Government's own taxonomy, and the counts a report states.

One-off tasks (a date, month, quarter or year) are judged once against their due date.
Recurring tasks (yearly, ongoing, periodic, per the source documents) are judged per period:
was the work of this period done by the end of the period?
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from theodoi.domain.deadlines import Deadline, DeadlineKind
from theodoi.domain.formatting import format_count
from theodoi.domain.periods import Period


class TaskStatus(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_completed(self) -> bool:
        return self in (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE)


STATUS_LABELS = {
    TaskStatus.COMPLETED_ON_TIME: "Đã hoàn thành đúng hạn",
    TaskStatus.COMPLETED_LATE: "Đã hoàn thành quá hạn",
    TaskStatus.IN_PROGRESS: "Đang thực hiện, trong hạn",
    TaskStatus.OVERDUE: "Chưa hoàn thành, quá hạn",
    TaskStatus.NOT_STARTED: "Chưa triển khai",
}


class ReportedState(StrEnum):
    """What a unit reported about a task for a period."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Progress:
    state: ReportedState
    completion_date: dt.date | None = None


def effective_due(deadline: Deadline, period: Period | None) -> dt.date | None:
    """The date by which the task's work must be done, as judged in ``period``.

    One-off deadlines have their own date. A recurring task's work for a period is due at the
    end of that period (yearly tasks: at the end of the period's year, or the period itself if
    it is shorter); tasks whose deadline is set by the source documents have none we can know.
    """
    if not deadline.kind.is_recurring:
        return deadline.due
    if period is None or deadline.kind is DeadlineKind.PER_SOURCE:
        return None
    if deadline.kind is DeadlineKind.YEARLY:
        return min(period.end, dt.date(period.end.year, 12, 31))
    return period.end


def task_status(
    deadline: Deadline,
    progress: Progress | None,
    as_of: dt.date,
    period: Period | None = None,
) -> TaskStatus:
    """The status of a task at ``as_of``.

    ``progress`` is what was reported (for recurring tasks: for ``period``). A completion
    dated after ``as_of`` is not yet known at ``as_of`` and does not count.
    """
    due = effective_due(deadline, period)
    if (
        progress is not None
        and progress.state is ReportedState.COMPLETED
        and progress.completion_date is not None
        and progress.completion_date <= as_of
    ):
        if due is None or progress.completion_date <= due:
            return TaskStatus.COMPLETED_ON_TIME
        return TaskStatus.COMPLETED_LATE
    if due is not None and as_of > due:
        return TaskStatus.OVERDUE
    if progress is not None and progress.state is not ReportedState.NOT_STARTED:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


@dataclass
class TaskCounts:
    """Tasks counted by status, as a report states them."""

    completed_on_time: int = 0
    completed_late: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0

    @classmethod
    def of(cls, statuses: Iterable[TaskStatus]) -> TaskCounts:
        counts = cls()
        for status in statuses:
            setattr(counts, status.value, getattr(counts, status.value) + 1)
        return counts

    @property
    def total(self) -> int:
        return (
            self.completed_on_time
            + self.completed_late
            + self.in_progress
            + self.overdue
            + self.not_started
        )

    @property
    def completed(self) -> int:
        return self.completed_on_time + self.completed_late

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "completed_on_time": self.completed_on_time,
            "completed_late": self.completed_late,
            "in_progress": self.in_progress,
            "overdue": self.overdue,
            "not_started": self.not_started,
        }


@dataclass
class IndicatorCounts:
    achieved: int = 0
    not_achieved: int = 0
    on_track: int = 0
    at_risk: int = 0
    no_data: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.achieved + self.not_achieved + self.on_track + self.at_risk + self.no_data

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "achieved": self.achieved,
            "not_achieved": self.not_achieved,
            "on_track": self.on_track,
            "at_risk": self.at_risk,
            "no_data": self.no_data,
        }


def summary_sentence(tasks: TaskCounts, indicators: IndicatorCounts) -> str:
    """A plan's counts as the reports write them:

    "Được giao 27 nhiệm vụ và 09 chỉ tiêu; kết quả: hoàn thành 15 nhiệm vụ/06 chỉ tiêu (trong
    đó hoàn thành đúng hạn 13 nhiệm vụ, hoàn thành quá hạn 02 nhiệm vụ), đang thực hiện trong
    hạn 09 nhiệm vụ/03 chỉ tiêu, chưa hoàn thành quá hạn 02 nhiệm vụ, chưa triển khai 01 nhiệm
    vụ". For indicators "hoàn thành" means achieved and "trong hạn" on track; an indicator
    behind its path is "có nguy cơ không đạt" and one past its milestone "không đạt" — never
    "quá hạn", which is said of tasks only.
    """
    c = format_count
    done_late = (
        f" (trong đó hoàn thành đúng hạn {c(tasks.completed_on_time)} nhiệm vụ, hoàn thành "
        f"quá hạn {c(tasks.completed_late)} nhiệm vụ)"
        if tasks.completed_late
        else ""
    )
    sentence = (
        f"Được giao {c(tasks.total)} nhiệm vụ và {c(indicators.total)} chỉ tiêu; kết quả: "
        f"hoàn thành {c(tasks.completed)} nhiệm vụ/{c(indicators.achieved)} chỉ tiêu{done_late}, "
        f"đang thực hiện trong hạn {c(tasks.in_progress)} nhiệm vụ/{c(indicators.on_track)} "
        f"chỉ tiêu, chưa hoàn thành quá hạn {c(tasks.overdue)} nhiệm vụ, "
        f"chưa triển khai {c(tasks.not_started)} nhiệm vụ"
    )
    if indicators.at_risk:
        sentence += f"; {c(indicators.at_risk)} chỉ tiêu có nguy cơ không đạt"
    if indicators.not_achieved:
        sentence += f"; {c(indicators.not_achieved)} chỉ tiêu không đạt"
    if indicators.no_data:
        sentence += f"; {c(indicators.no_data)} chỉ tiêu chưa có số liệu"
    return sentence + "."


class PeriodRole(StrEnum):
    """What a task is in a reporting period, as the office counts it: "Quý I có 11 nhiệm vụ
    theo tiến độ và 05 nhiệm vụ triển khai thường xuyên"."""

    DUE = "due"  # a one-off task due within the period, or due earlier and still open
    RECURRING = "recurring"  # judged each period: ongoing, yearly, per period, per source
    LATER = "later"  # a one-off task due after the period: not this period's
    DONE_BEFORE = "done_before"  # a one-off task completed before the period began


def period_role(deadline: Deadline, *, period: Period, completed_on: dt.date | None) -> PeriodRole:
    """The task's role in ``period``. ``completed_on``: the reported completion date, if the
    task was reported completed (an approved report). A one-off task belongs to the period
    it is due in, to every later one while it stays open (overdue), and to the period it was
    completed in when that came before its due date."""
    if deadline.kind.is_recurring:
        return PeriodRole.RECURRING
    if completed_on is not None and completed_on < period.start:
        return PeriodRole.DONE_BEFORE
    assert deadline.due is not None
    if completed_on is not None and completed_on <= period.end:
        return PeriodRole.DUE
    if deadline.due > period.end:
        return PeriodRole.LATER
    return PeriodRole.DUE
