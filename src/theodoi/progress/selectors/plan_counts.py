"""What many plans count at a date, at once: the stored summaries' computation.

The same rules as one plan's dashboard (:func:`theodoi.progress.selectors.tasks.plan_summary`,
the test oracle: ``tests/progress/test_plan_counts.py`` compares the two on every plan of a
generated dataset, on both databases), read set-wise: the database picks each task's
latest approved update (a window over the updates) and each unit's counted figures for all
the plans of a batch in a handful of queries, and the domain's rules (``task_on``,
``task_status``, ``evaluate_indicator``) judge the rows in memory. A quarter of the whole
country is a few dozen batches, not a query per plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, NamedTuple

from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber

from theodoi.domain import periods as p
from theodoi.domain.deadlines import Deadline, DeadlineKind
from theodoi.domain.indicators import Comparator, Target
from theodoi.domain.status import IndicatorCounts, TaskCounts
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task
from theodoi.plans.selectors import deadline_in_force, task_changes
from theodoi.progress.models import DataValue, Period
from theodoi.progress.selectors.tasks import (
    VALUE_ORDER,
    counted_values,
    evaluate_at,
    indicator_elements,
    judge_task,
    latest_approved_updates,
    pick_indicator_values,
)

# plans per batch: each batch reads the approved updates once (a scan of the table on
# PostgreSQL), so a batch is as large as a refresh chunk; ≈120,000 tasks in memory
BATCH = 2000


class _Value(NamedTuple):
    element_id: int
    period_id: int
    value: Any
    is_illustrative: bool


def plans_counted(*, plan_ids: list[int], as_of: dt.date) -> dict[int, dict[str, Any]]:
    """``{plan id: {"tasks": counts, "indicators": counts, "illustrative": bool}}`` at
    ``as_of`` for every plan of ``plan_ids``, as ``plan_summary`` counts each (no user: every
    task and indicator)."""
    periods = _domain_periods()
    result: dict[int, dict[str, Any]] = {}
    for start in range(0, len(plan_ids), BATCH):
        result.update(_batch(plan_ids[start : start + BATCH], as_of, periods))
    return result


def _domain_periods() -> dict[int, p.Period]:
    return {period.pk: period.as_domain() for period in Period.objects.all()}


def _batch(
    plan_ids: list[int], as_of: dt.date, periods: dict[int, p.Period]
) -> dict[int, dict[str, Any]]:
    tasks = _task_statuses(plan_ids, as_of, periods)
    indicators = _indicator_statuses(plan_ids, as_of)
    result = {}
    for plan_id in plan_ids:
        statuses, task_illustrative = tasks.get(plan_id, ([], False))
        indicator_counts, indicator_illustrative = indicators.get(
            plan_id, (IndicatorCounts(), False)
        )
        result[plan_id] = {
            "tasks": TaskCounts.of(statuses).as_dict(),
            "indicators": indicator_counts.as_dict(),
            "illustrative": task_illustrative or indicator_illustrative,
        }
    return result


def _task_statuses(
    plan_ids: list[int], as_of: dt.date, periods: dict[int, p.Period]
) -> dict[int, tuple[list[Any], bool]]:
    rows = Task.objects.filter(plan_id__in=plan_ids).values_list(
        "id", "plan_id", "deadline_kind", "deadline_date", "deadline_text"
    )
    changes = task_changes(Q(task__plan_id__in=plan_ids))
    updates = _latest_updates(plan_ids, as_of)
    result: dict[int, tuple[list[Any], bool]] = {}
    # tasks copied from one template are judged alike: each judgement once
    judged: dict[tuple[Any, ...], Any] = {}
    for task_id, plan_id, kind, date, text in rows:
        update = updates.get(task_id)
        key = (kind, date, text, *(update or ()))
        if task_id in changes:
            deadline = deadline_in_force(
                Deadline(DeadlineKind(kind), date, text), changes[task_id], as_of
            )
            if deadline is None:
                continue
            status = _judge(deadline, update, as_of, periods)
        elif key in judged:
            status = judged[key]
        else:
            deadline = Deadline(DeadlineKind(kind), date, text)
            status = judged[key] = _judge(deadline, update, as_of, periods)
        statuses, illustrative = result.setdefault(plan_id, ([], False))
        statuses.append(status)
        if update is not None and update[3] and not illustrative:
            result[plan_id] = (statuses, True)
    return result


def _judge(
    deadline: Deadline, update: tuple[Any, ...] | None, as_of: dt.date, periods: dict[int, Any]
) -> Any:
    if update is None:
        return judge_task(deadline, as_of)
    period_id, reported, completed_on, _ = update
    return judge_task(deadline, as_of, reported, completed_on, periods[period_id])


def _latest_updates(plan_ids: list[int], as_of: dt.date) -> dict[int, tuple[Any, ...]]:
    """Each task's counted update (``latest_approved_updates``), as plain rows."""
    ranked = latest_approved_updates(Q(task__plan_id__in=plan_ids), as_of).values_list(
        "task_id", "period_id", "reported_state", "completion_date", "is_illustrative"
    )
    return {row[0]: row[1:] for row in ranked}


class _Indicator(NamedTuple):
    id: int
    plan_id: int
    data_element_id: int | None
    numerator_id: int | None
    denominator_id: int | None
    direction: str
    baseline_value: Any
    baseline_date: dt.date | None
    tolerance: Any


class _Target(NamedTuple):
    year: int
    effective_from: dt.date | None
    comparator: str
    value: Any
    value_high: Any
    text: str

    def as_target(self) -> Target:
        return Target(Comparator(self.comparator), self.value, self.value_high, self.text)


def _indicator_statuses(
    plan_ids: list[int], as_of: dt.date
) -> dict[int, tuple[IndicatorCounts, bool]]:
    indicators = [
        _Indicator(*row)
        for row in Indicator.objects.filter(plan_id__in=plan_ids).values_list(*_Indicator._fields)
    ]
    if not indicators:
        return {}
    targets: dict[int, list[_Target]] = defaultdict(list)
    for indicator_id, *target in (
        IndicatorTarget.objects.filter(indicator__plan_id__in=plan_ids)
        .order_by("year", "effective_from")
        .values_list("indicator_id", *_Target._fields)
    ):
        targets[indicator_id].append(_Target(*target))
    owners = dict(Plan.objects.filter(pk__in=plan_ids).values_list("pk", "owner_unit_id"))
    by_unit: dict[int, list[_Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_unit[owners[indicator.plan_id]].append(indicator)
    values: dict[int, list[_Value]] = defaultdict(list)
    for unit_id, *value in _picked_values(indicators, list(by_unit), as_of):
        values[unit_id].append(_Value(*value))
    # plans copied from one template judge many alike indicators alike: each judgement once,
    # keyed by a number for each distinct (rule, targets) and the actual value
    alike: dict[tuple[Any, ...], int] = {}
    judged: dict[tuple[int, Any], str] = {}
    result: dict[int, tuple[IndicatorCounts, bool]] = {}
    for unit_id, unit_indicators in by_unit.items():
        found = pick_indicator_values(unit_indicators, values.get(unit_id, []))
        for indicator in unit_indicators:
            counts, illustrative = result.setdefault(indicator.plan_id, (IndicatorCounts(), False))
            value = found.get(indicator.id)
            actual = value[0] if value else None
            own = targets.get(indicator.id, [])
            key = (alike.setdefault((*indicator[5:], *own), len(alike)), actual)
            name = judged.get(key)
            if name is None:
                name = judged[key] = evaluate_at(indicator, actual, as_of, own).status.value
            setattr(counts, name, getattr(counts, name) + 1)
            if value is not None and value[1].is_illustrative and not illustrative:
                result[indicator.plan_id] = (counts, True)
    return result


def _picked_values(indicators: list[_Indicator], unit_ids: list[int], as_of: dt.date) -> Any:
    """The counted values ``pick_indicator_values`` can pick, in :data:`VALUE_ORDER`, as rows
    ``(unit, element, period, value, illustrative)``: of each unit's element only the latest
    (the database ranks them), and every value of an element that is a share's denominator
    (read at its numerator's period). The rule stays in ``pick_indicator_values``; the
    database only leaves out the rows it would pass over."""
    denominators = {i.denominator_id for i in indicators if i.denominator_id}
    latest_first = [F("period__end").desc(), F("period__start").desc(), F("pk").desc()]
    return (
        counted_values(
            DataValue.objects.filter(
                element_id__in=indicator_elements(indicators),
                org_unit_id__in=unit_ids,
                breakdown="",
                period__end__lte=as_of,
            )
        )
        .annotate(
            keep=Case(
                When(element_id__in=denominators, then=Value(1)),
                default=Window(
                    RowNumber(),
                    partition_by=[F("org_unit_id"), F("element_id")],
                    order_by=latest_first,
                ),
                output_field=IntegerField(),
            )
        )
        .filter(keep=1)
        .order_by(*VALUE_ORDER)
        .values_list("org_unit_id", "element_id", "period_id", "value", "is_illustrative")
    )


def plan_ids_under(path: str) -> list[int]:
    """Every plan owned at or under the unit of ``path``, in id order."""
    return list(
        Plan.objects.filter(owner_unit__path__startswith=path)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
