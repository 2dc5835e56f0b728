"""Database constraints hold whatever writes to the tables (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from theodoi.plans.models import IndicatorTarget, Task
from theodoi.progress.models import DataValue, Period, TaskUpdate


def _update(**overrides):
    task = Task.objects.filter(plan__document__symbol="96/KH-UBND").first()
    period = Period.objects.get(code="2026-Q1")
    values = {
        "task": task,
        "period": period,
        "org_unit": task.plan.owner_unit,
        "reported_state": "in_progress",
        "progress_percent": 50,
    }
    values.update(overrides)
    TaskUpdate.objects.filter(task=task, period=period).delete()
    return TaskUpdate(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"reported_state": "completed", "progress_percent": 100, "completion_date": None},
        {"reported_state": "in_progress", "completion_date": dt.date(2026, 1, 1)},
        {"progress_percent": 150},
        {"reported_state": "not_started", "progress_percent": 20},
    ],
)
def test_inconsistent_task_updates_are_refused_by_the_database(dataset, overrides):
    update = _update(**overrides)
    with pytest.raises(IntegrityError), transaction.atomic():
        update.save()


def test_one_off_deadline_needs_a_date(dataset):
    task = Task.objects.filter(deadline_kind="month").first()
    task.deadline_date = None
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_figure_from_a_document_needs_its_quote(dataset):
    value = DataValue.objects.filter(source_document__isnull=False).first()
    value.source_quote = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        value.save()


def test_range_target_needs_ordered_bounds(dataset):
    target = IndicatorTarget.objects.filter(comparator="range").first()
    target.value_high = target.value - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        target.save()


def test_period_end_not_before_start(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Period.objects.create(
            code="x", kind="custom", start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1), label="x"
        )


@pytest.mark.postgres
def test_postgres_enforces_check_constraints_by_name(dataset):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'c' AND conname LIKE 'task%'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"taskupdate_completion_consistent", "task_deadline_date_matches_kind"} <= names
