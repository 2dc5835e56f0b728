"""The five statuses of DOMAIN.md, each case built from the rule it illustrates."""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.deadlines import Deadline, DeadlineKind, parse_deadline
from theodoi.domain.periods import quarter, year_period
from theodoi.domain.status import (
    IndicatorCounts,
    PeriodRole,
    Progress,
    ReportedState,
    TaskCounts,
    TaskStatus,
    period_role,
    summary_sentence,
    task_status,
)

D = dt.date
DUE = Deadline(DeadlineKind.MONTH, D(2025, 12, 31), "Tháng 12/2025")
DONE = ReportedState.COMPLETED


def test_completed_on_time_when_completion_date_not_after_deadline():
    assert (
        task_status(DUE, Progress(DONE, D(2025, 12, 31)), D(2026, 3, 31))
        is TaskStatus.COMPLETED_ON_TIME
    )


def test_completed_late_when_completion_date_after_deadline():
    assert (
        task_status(DUE, Progress(DONE, D(2026, 1, 2)), D(2026, 3, 31)) is TaskStatus.COMPLETED_LATE
    )


def test_in_progress_within_deadline():
    progress = Progress(ReportedState.IN_PROGRESS)
    assert task_status(DUE, progress, D(2025, 12, 31)) is TaskStatus.IN_PROGRESS


def test_overdue_when_deadline_passed_and_not_completed():
    assert (
        task_status(DUE, Progress(ReportedState.IN_PROGRESS), D(2026, 1, 1)) is TaskStatus.OVERDUE
    )
    assert task_status(DUE, None, D(2026, 1, 1)) is TaskStatus.OVERDUE


def test_not_started_before_deadline_without_progress():
    assert task_status(DUE, None, D(2025, 11, 1)) is TaskStatus.NOT_STARTED
    assert (
        task_status(DUE, Progress(ReportedState.NOT_STARTED), D(2025, 11, 1))
        is TaskStatus.NOT_STARTED
    )


def test_completion_dated_after_the_date_counts_as_work_in_progress_then():
    progress = Progress(DONE, D(2025, 12, 20))
    assert task_status(DUE, progress, D(2025, 12, 10)) is TaskStatus.IN_PROGRESS


def test_ongoing_task_is_judged_per_period():
    ongoing = parse_deadline("Thường xuyên")
    q1 = quarter(2026, 1)
    assert (
        task_status(ongoing, Progress(DONE, D(2026, 3, 20)), D(2026, 3, 31), q1)
        is TaskStatus.COMPLETED_ON_TIME
    )
    # the period is over and its work was not done
    assert (
        task_status(ongoing, Progress(ReportedState.IN_PROGRESS), D(2026, 4, 5), q1)
        is TaskStatus.OVERDUE
    )
    # still within the period
    assert (
        task_status(ongoing, Progress(ReportedState.IN_PROGRESS), D(2026, 2, 1), q1)
        is TaskStatus.IN_PROGRESS
    )


def test_yearly_task_is_due_at_the_end_of_the_year():
    yearly = parse_deadline("Hằng năm")
    y = year_period(2025)
    assert (
        task_status(yearly, Progress(DONE, D(2026, 1, 10)), D(2026, 1, 31), y)
        is TaskStatus.COMPLETED_LATE
    )


def test_per_source_deadline_is_never_overdue_by_itself():
    per_source = parse_deadline("Theo văn bản nguồn")
    assert (
        task_status(
            per_source, Progress(ReportedState.IN_PROGRESS), D(2030, 1, 1), quarter(2026, 1)
        )
        is TaskStatus.IN_PROGRESS
    )


@given(
    due=st.dates(D(2025, 1, 1), D(2027, 12, 31)),
    done=st.none() | st.dates(D(2025, 1, 1), D(2027, 12, 31)),
    as_of=st.dates(D(2025, 1, 1), D(2027, 12, 31)),
)
def test_status_follows_the_definitions(due, done, as_of):
    deadline = Deadline(DeadlineKind.DATE, due, "")
    progress = Progress(DONE, done) if done else Progress(ReportedState.IN_PROGRESS)
    status = task_status(deadline, progress, as_of)
    known_done = done is not None and done <= as_of
    assert status.is_completed == known_done
    if known_done:
        assert (status is TaskStatus.COMPLETED_ON_TIME) == (done <= due)
    else:
        assert (status is TaskStatus.OVERDUE) == (as_of > due)


def test_counts_and_sentence_use_the_reports_phrasing():
    statuses = [TaskStatus.COMPLETED_ON_TIME] * 6 + [TaskStatus.IN_PROGRESS] * 5
    tasks = TaskCounts.of(statuses)
    indicators = IndicatorCounts(achieved=17, on_track=6)
    assert tasks.total == 11 and tasks.completed == 6
    assert summary_sentence(tasks, indicators) == (
        "Được giao 11 nhiệm vụ và 23 chỉ tiêu; kết quả: hoàn thành 06 nhiệm vụ/17 chỉ tiêu, "
        "đang thực hiện trong hạn 05 nhiệm vụ/06 chỉ tiêu, chưa hoàn thành quá hạn 0 nhiệm vụ, "
        "chưa triển khai 0 nhiệm vụ."
    )


def test_indicators_behind_their_path_are_never_called_overdue():
    """The office's own phrasing (a commune's report of 30/11/2025): "quá hạn" is said of
    tasks; an indicator is "có nguy cơ không đạt" or "không đạt"."""
    tasks = TaskCounts.of(
        [TaskStatus.COMPLETED_ON_TIME] * 13
        + [TaskStatus.COMPLETED_LATE] * 2
        + [TaskStatus.IN_PROGRESS] * 9
        + [TaskStatus.OVERDUE] * 2
        + [TaskStatus.NOT_STARTED]
    )
    indicators = IndicatorCounts(achieved=6, on_track=3, at_risk=32, not_achieved=1)
    sentence = summary_sentence(tasks, indicators)
    assert sentence.startswith(
        "Được giao 27 nhiệm vụ và 42 chỉ tiêu; kết quả: hoàn thành 15 nhiệm vụ/06 chỉ tiêu "
        "(trong đó hoàn thành đúng hạn 13 nhiệm vụ, hoàn thành quá hạn 02 nhiệm vụ), đang "
        "thực hiện trong hạn 09 nhiệm vụ/03 chỉ tiêu, chưa hoàn thành quá hạn 02 nhiệm vụ, "
        "chưa triển khai 01 nhiệm vụ"
    )
    assert "32 chỉ tiêu có nguy cơ không đạt" in sentence and "01 chỉ tiêu không đạt" in sentence
    assert "quá hạn 33" not in sentence and not re.search(r"quá hạn[^,;]*chỉ tiêu", sentence)


@given(st.lists(st.sampled_from(list(TaskStatus)), max_size=60))
def test_counts_add_up_to_the_total(statuses):
    counts = TaskCounts.of(statuses)
    assert counts.total == len(statuses)
    assert counts.as_dict()["total"] == sum(v for k, v in counts.as_dict().items() if k != "total")


# --- a task's role in a reporting period ------------------------------------------------------


Q1_2026 = quarter(2026, 1)


@pytest.mark.parametrize(
    ("deadline", "completed_on", "role"),
    [
        (Deadline(DeadlineKind.ONGOING, text="Thường xuyên"), None, PeriodRole.RECURRING),
        (Deadline(DeadlineKind.YEARLY, text="Hằng năm"), None, PeriodRole.RECURRING),
        (Deadline(DeadlineKind.PER_SOURCE), None, PeriodRole.RECURRING),
        (Deadline(DeadlineKind.MONTH, dt.date(2026, 3, 31)), None, PeriodRole.DUE),
        (Deadline(DeadlineKind.MONTH, dt.date(2025, 12, 31)), None, PeriodRole.DUE),  # still open
        (
            Deadline(DeadlineKind.MONTH, dt.date(2025, 12, 31)),
            dt.date(2025, 12, 20),
            PeriodRole.DONE_BEFORE,
        ),
        (Deadline(DeadlineKind.MONTH, dt.date(2026, 6, 30)), None, PeriodRole.LATER),
        (Deadline(DeadlineKind.MONTH, dt.date(2026, 6, 30)), dt.date(2026, 2, 1), PeriodRole.DUE),
    ],
    ids=[
        "ongoing",
        "yearly",
        "per-source",
        "due-in-period",
        "overdue-carried",
        "done-before",
        "due-later",
        "done-early-in-period",
    ],
)
def test_period_role(deadline, completed_on, role):
    assert period_role(deadline, period=Q1_2026, completed_on=completed_on) is role
