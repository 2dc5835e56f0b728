"""How a synthetic commune's work goes: its own random stream, its deadlines, when it reports,
and the course of one-off and recurring tasks over the quarters."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from theodoi.dataset.synthetic.country import (
    DEADLINE_MONTHS,
    DIFFICULTIES,
    MARK,
    PROPOSAL,
    QUARTERS,
    START_WEIGHTS,
    VN_TZ,
    CommuneSpec,
)
from theodoi.domain.deadlines import Deadline, DeadlineKind, parse_deadline
from theodoi.domain.status import ReportedState
from theodoi.plans.models import Task


def _rng(seed: int, code: str, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{code}:{purpose}")


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class CommuneState:
    """What the generator keeps of one synthetic commune between its passes."""

    spec: CommuneSpec
    unit_id: int
    issued_on: dt.date
    capacity: float  # how well the commune keeps up: 0.55 (lagging) … 1.15
    deadlines: list[Deadline]  # one per template task, in plan order
    plan_id: int = 0
    task_ids: list[int] = field(default_factory=list)
    approved_at: list[dt.datetime] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    completed_on_time: list[int] = field(default_factory=list)


def _commune_deadline(rng: random.Random, template: Task) -> Deadline:
    """The template's deadline, or — where the template plan states none — one the commune's
    own plan sets: a month between 3/2025 and 6/2027, yearly or ongoing."""
    if template.deadline_text or template.deadline_kind != DeadlineKind.PER_SOURCE:
        return template.deadline
    roll = rng.random()
    if roll < 0.6:
        year, month = rng.choice(DEADLINE_MONTHS)
        return parse_deadline(f"Tháng {month}/{year}")
    return parse_deadline("Hằng năm" if roll < 0.85 else "Thường xuyên")


def _reporting_times(rng: random.Random) -> list[dt.datetime]:
    """When each quarter's report was approved: sent a few days after the quarter (now and
    then late), accepted and approved within a week."""
    approved = []
    for period in QUARTERS:
        delay = rng.randint(1, 5) if rng.random() < 0.75 else rng.randint(6, 20)
        sent = dt.datetime.combine(
            period.end + dt.timedelta(days=delay), dt.time(rng.randint(8, 16)), VN_TZ
        )
        approved.append(sent + dt.timedelta(days=rng.randint(1, 3) + rng.randint(0, 4)))
    return approved


Course = list[tuple[ReportedState, int, dt.date | None]]


def _one_off_course(
    rng: random.Random, due: dt.date, issued_on: dt.date, capacity: float
) -> Course:
    """A one-off task: not started until the commune takes it up, then in progress with its
    percentage rising, completed on time, late, or not yet."""
    last = QUARTERS[-1].end
    if rng.random() < 0.04 / capacity:
        return [(ReportedState.NOT_STARTED, 0, None)] * len(QUARTERS)
    start = rng.choices(range(len(QUARTERS)), weights=START_WEIGHTS)[0]
    if capacity < 0.75:
        start = min(len(QUARTERS) - 1, start + 1)
    begin = max(QUARTERS[start].start, issued_on)
    roll = rng.random()
    done: dt.date | None = None
    if roll < 0.55 * capacity and due >= begin:
        done = _day_between(rng, begin, min(due, last))
    elif roll < 0.55 * capacity + 0.25:
        late = max(due, begin) + dt.timedelta(days=rng.randint(10, 270))
        done = late if late <= last else None
    aim = done or max(due, begin + dt.timedelta(days=90))
    course: Course = []
    for index, period in enumerate(QUARTERS):
        if index < start:
            course.append((ReportedState.NOT_STARTED, 0, None))
        elif done is not None and done <= period.end:
            course.append((ReportedState.COMPLETED, 100, done))
        else:
            share = (period.end - begin).days / max(1, (aim - begin).days)
            percent = min(95, max(5, 5 * round((10 + 85 * share) / 5)))
            course.append((ReportedState.IN_PROGRESS, percent, None))
    return course


def _recurring_course(rng: random.Random, issued_on: dt.date, capacity: float) -> Course:
    """A yearly or ongoing task, judged per quarter: done more often as the plan beds in."""
    course: Course = []
    for index, period in enumerate(QUARTERS):
        done_share = min(0.9, (0.28 + 0.06 * index) * capacity + 0.08)
        roll = rng.random()
        if roll < done_share:
            done = _day_between(rng, max(period.start, issued_on), period.end)
            course.append((ReportedState.COMPLETED, 100, done))
        elif roll < done_share + (1 - done_share) * 0.75:
            course.append((ReportedState.IN_PROGRESS, rng.choice((20, 30, 40, 50, 60, 70)), None))
        else:
            course.append((ReportedState.NOT_STARTED, 0, None))
    return course


def _texts(
    rng: random.Random, state: ReportedState, percent: int, done: dt.date | None
) -> tuple[str, str, str]:
    """Results, difficulties and proposals as a commune would write them, marked synthetic."""
    if state is ReportedState.COMPLETED:
        assert done is not None
        return f"{MARK} Đã hoàn thành ngày {done:%d/%m/%Y}.", "", ""
    if state is ReportedState.IN_PROGRESS:
        results = f"{MARK} Đang thực hiện, đạt khoảng {percent}% khối lượng."
    else:
        results = f"{MARK} Chưa triển khai trong kỳ."
    if rng.random() < 0.35:
        return results, rng.choice(DIFFICULTIES), PROPOSAL if rng.random() < 0.5 else ""
    return results, "", ""
