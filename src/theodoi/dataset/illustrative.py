"""A deterministic generator of *illustrative* task progress and indicator values.

The Cát Hải seeds state the plan but not each task's progress, so without this the status
counts would be empty. Everything generated here is flagged ``is_illustrative`` and shown as
"dữ liệu minh họa"; it never mixes with figures taken from documents. The same settings
always give the same rows (a seeded random generator per task), so reloading is idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from theodoi.dataset.common import LoadReport, period_store
from theodoi.domain.periods import parse_period, year_period
from theodoi.domain.status import ReportedState
from theodoi.history import upsert
from theodoi.plans.models import Plan, Task
from theodoi.progress.models import DataValue, Submission, TaskUpdate, UpdateState

REASON = "Sinh dữ liệu minh họa"
MARK = "[Dữ liệu minh họa]"


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(f"{seed}:" + ":".join(parts))


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def generate(plan: Plan, *, settings: dict[str, Any], user: Any, report: LoadReport) -> None:
    """Write illustrative updates for the periods in ``settings`` and indicator values."""
    seed = int(settings.get("seed", 57))
    periods = [parse_period(code) for code in settings.get("periods", [])]
    stored = {period.code: period_store(period, user=user) for period in periods}
    plan_start = plan.document.issued_on or periods[0].start
    # Units left to report a period themselves, so the demo shows the workflow.
    unreported = {
        code: set(units or []) for code, units in (settings.get("unreported") or {}).items()
    }
    reported: set[tuple[int, str]] = set()
    for task in plan.tasks.select_related("lead_unit", "plan__owner_unit").order_by("position"):
        skip = {code for code, units in unreported.items() if task.reporting_unit.code in units}
        written = _task_updates(task, periods, stored, plan_start, seed, user, report, skip)
        reported |= {(task.reporting_unit.id, code) for code in written}
    for unit_id, code in sorted(reported):
        _, written = upsert(
            Submission,
            lookup={"org_unit_id": unit_id, "period": stored[code]},
            values={"state": UpdateState.APPROVED, "is_illustrative": True},
            user=user,
            reason=REASON,
        )
        report.count("illustrative submissions", written)
    if settings.get("administrative_figures"):
        administrative_figures(plan.owner_unit, periods, seed=seed, user=user, report=report)
    indicator_year = settings.get("indicator_year")
    if indicator_year:
        _indicator_values(plan, int(indicator_year), seed, user, report)


def _task_updates(
    task: Task,
    periods,
    stored,
    plan_start: dt.date,
    seed: int,
    user: Any,
    report: LoadReport,
    skip: set[str],
) -> set[str]:
    """Write the task's illustrative updates; returns the codes of the periods written."""
    rng = _rng(seed, task.plan.document.symbol, task.code)
    unit = task.reporting_unit
    deadline = task.deadline
    last_end = periods[-1].end
    if deadline.kind.is_recurring:
        plans = {}
        for period in periods:
            roll = rng.random()
            if roll < 0.6:
                done = _day_between(rng, max(period.start, plan_start), period.end)
                plans[period.code] = (ReportedState.COMPLETED, 100, done)
            elif roll < 0.9:
                plans[period.code] = (ReportedState.IN_PROGRESS, rng.choice([30, 50, 70]), None)
            else:
                plans[period.code] = (ReportedState.NOT_STARTED, 0, None)
    else:
        due = deadline.due
        assert due is not None
        roll = rng.random()
        plans = {}
        if roll < 0.45:
            on_time = due >= plan_start and rng.random() < 0.8
            if on_time:
                done = _day_between(rng, plan_start, min(due, last_end))
            else:
                done = _day_between(rng, min(due, last_end), last_end)
            for period in periods:
                if period.end < done:
                    plans[period.code] = (ReportedState.IN_PROGRESS, rng.choice([40, 60]), None)
                elif period.contains(done):
                    plans[period.code] = (ReportedState.COMPLETED, 100, done)
        elif roll < 0.8:
            for index, period in enumerate(periods):
                plans[period.code] = (ReportedState.IN_PROGRESS, min(90, 30 + 30 * index), None)
        else:
            plans[periods[0].code] = (ReportedState.NOT_STARTED, 0, None)
    for code, (state, percent, done) in plans.items():
        if code in skip:
            continue
        results = (
            f"{MARK} Đã hoàn thành phần việc của kỳ."
            if state is ReportedState.COMPLETED
            else f"{MARK} Đang triển khai, đạt khoảng {percent}% khối lượng."
            if state is ReportedState.IN_PROGRESS
            else f"{MARK} Chưa triển khai trong kỳ."
        )
        difficulties = (
            f"{MARK} Thiếu cán bộ chuyên trách về công nghệ thông tin."
            if state is not ReportedState.COMPLETED and rng.random() < 0.3
            else ""
        )
        _, written = upsert(
            TaskUpdate,
            lookup={"task": task, "period": stored[code]},
            values={
                "org_unit": unit,
                "state": UpdateState.APPROVED,
                "reported_state": state.value,
                "progress_percent": percent,
                "completion_date": done,
                "results": results,
                "difficulties": difficulties,
                "is_illustrative": True,
            },
            user=user,
            reason=REASON,
        )
        report.count("illustrative task updates", written)
    return set(plans) - skip


def _indicator_values(plan: Plan, year: int, seed: int, user: Any, report: LoadReport) -> None:
    period = period_store(year_period(year), user=user)
    for indicator in plan.indicators.prefetch_related("targets").select_related("data_element"):
        targets = {t.year: t for t in indicator.targets.all() if t.adjusted_by_id is None}
        if not targets or indicator.data_element is None:
            continue
        rng = _rng(seed, plan.document.symbol, indicator.code, "value")
        if year in targets:
            reference, factor = targets[year].value, rng.uniform(0.9, 1.2)
        else:
            nearest = (
                min(y for y in targets if y > year)
                if any(y > year for y in targets)
                else max(targets)
            )
            reference, factor = targets[nearest].value, rng.uniform(0.7, 1.05)
        value = Decimal(str(round(float(reference) * factor, 1)))
        if indicator.unit.startswith("%"):
            value = min(value, Decimal(100))
        _store_value(indicator.data_element, plan.owner_unit, period, value, user, report)


def administrative_values(
    rng: random.Random,
    *,
    received: tuple[int, int],
    online_share: tuple[float, float],
    in_progress: tuple[int, int],
) -> dict[str, int]:
    """Procedure and dossier figures that agree with each other: modes add up to the total,
    channels to the received dossiers, outcomes likewise (the built-in rules hold)."""
    full, partial, direct = rng.randint(180, 220), rng.randint(120, 150), rng.randint(15, 30)
    total_received = rng.randint(*received)
    online = round(total_received * rng.uniform(*online_share))
    withdrawn = rng.randint(0, 6)
    pending = rng.randint(*in_progress)
    resolved = total_received - withdrawn - pending
    return {
        "procedures.total": full + partial + direct,
        "procedures.full_online": full,
        "procedures.partial_online": partial,
        "procedures.direct": direct,
        "dossiers.received": total_received,
        "dossiers.online": online,
        "dossiers.direct": total_received - online,
        "dossiers.resolved": resolved,
        "dossiers.resolved_on_time": resolved - rng.randint(0, 3),
        "dossiers.withdrawn": withdrawn,
        "dossiers.in_progress": pending,
        "dossiers.overdue": 0,
    }


def administrative_figures(unit, periods, *, seed: int, user: Any, report: LoadReport) -> None:
    """Illustrative procedure and dossier figures for each period, internally consistent:
    modes add up to the total, channels to the received dossiers, outcomes likewise."""
    from theodoi.progress.models import DataElement

    elements = {
        e.code: e for e in DataElement.objects.filter(code__regex=r"^(procedures|dossiers)\.")
    }
    for period in periods:
        rng = _rng(seed, unit.code, period.code, "tthc")
        values = administrative_values(
            rng, received=(1200, 1800), online_share=(0.93, 0.99), in_progress=(20, 60)
        )
        stored = period_store(period, user=user)
        for code, value in values.items():
            _store_value(elements[code], unit, stored, Decimal(value), user, report)


def _store_value(element, unit, period, value: Decimal, user: Any, report: LoadReport) -> None:
    """Write one illustrative figure, flagged as such, replacing any earlier illustration."""
    _, written = upsert(
        DataValue,
        lookup={"element": element, "org_unit": unit, "period": period, "breakdown": ""},
        values={
            "value": value,
            "is_illustrative": True,
            "comment": MARK,
            "source_document": None,
            "source_quote": "",
            "source_line": None,
        },
        user=user,
        reason=REASON,
    )
    report.count("illustrative data values", written)
