import datetime as dt

from theodoi.domain.adjustments import Change, ChangeKind, task_on
from theodoi.domain.deadlines import Deadline, DeadlineKind, parse_deadline

DEC_2025 = parse_deadline("Tháng 12/2025")
NOTICE = dt.date(2026, 2, 10)


def test_a_task_without_changes_is_held_with_its_own_deadline():
    state = task_on(DEC_2025, [], dt.date(2026, 3, 31))
    assert state.held and state.deadline == DEC_2025


def test_a_removal_applies_from_its_date_and_only_for_its_year():
    removed = [Change(ChangeKind.REMOVED, NOTICE, year=2026)]
    assert task_on(DEC_2025, removed, dt.date(2026, 1, 31)).held  # before the notice
    assert not task_on(DEC_2025, removed, dt.date(2026, 3, 31)).held
    assert task_on(DEC_2025, removed, dt.date(2027, 3, 31)).held  # the next year's programme


def test_an_added_task_is_not_part_of_the_plan_before_it_was_added():
    added = [Change(ChangeKind.ADDED, NOTICE)]
    assert not task_on(DEC_2025, added, dt.date(2026, 1, 31)).held
    assert task_on(DEC_2025, added, dt.date(2026, 3, 31)).held
    for_2026 = [Change(ChangeKind.ADDED, NOTICE, year=2026)]
    assert not task_on(DEC_2025, for_2026, dt.date(2027, 3, 31)).held


def test_the_latest_rescheduling_in_force_gives_the_deadline():
    june = parse_deadline("Tháng 6/2026")
    september = parse_deadline("Quý III/2026")
    changes = [
        Change(ChangeKind.RESCHEDULED, dt.date(2026, 5, 1), deadline=september),
        Change(ChangeKind.RESCHEDULED, NOTICE, deadline=june),
    ]
    assert task_on(DEC_2025, changes, dt.date(2026, 1, 31)).deadline == DEC_2025
    assert task_on(DEC_2025, changes, dt.date(2026, 3, 31)).deadline == june
    assert task_on(DEC_2025, changes, dt.date(2026, 6, 30)).deadline == september
    ongoing = Deadline(DeadlineKind.ONGOING, None, "Thường xuyên")
    assert task_on(ongoing, changes, dt.date(2026, 6, 30)).deadline == september
