"""The roll-up over a unit's subtree: stored plan summaries added up, figures summed (shares
recomputed from their parts), and how completely and timely the units reported.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from theodoi.domain.status import (
    IndicatorCounts,
    TaskCounts,
    summary_sentence,
)
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.orgs.selectors import subtree
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    PlanSummary,
    Submission,
    UnitStamp,
    UpdateState,
)
from theodoi.progress.selectors.tasks import counted_values

REPORTING_GRACE_DAYS = 5  # a report sent within five days after the period counts as on time

# The stored summary's column for each status the roll-up adds up.
SUMMARY_TASK_FIELDS = {
    "completed_on_time": "tasks_completed_on_time",
    "completed_late": "tasks_completed_late",
    "in_progress": "tasks_in_progress",
    "overdue": "tasks_overdue",
    "not_started": "tasks_not_started",
}


SUMMARY_INDICATOR_FIELDS = {
    "achieved": "indicators_achieved",
    "not_achieved": "indicators_not_achieved",
    "on_track": "indicators_on_track",
    "at_risk": "indicators_at_risk",
    "no_data": "indicators_no_data",
}


def _subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The ids of ``unit`` and every unit under it (``orgs.selectors.subtree``), as a
    subquery: PostgreSQL then probes a subtree's rows by their unit (a semi-join) instead of
    joining every row of the period to its unit to test the path."""
    return subtree(unit).values("id")


def _in_subtree(unit: OrgUnit) -> dict[str, Any]:
    """The filter of a unit's rows to ``unit``'s subtree; none when it is the only top of the
    tree (the country): every row is in it, and testing half a million rows costs more
    than the sum itself."""
    if (
        unit.parent_id is None
        and not OrgUnit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
    ):
        return {}
    return {"org_unit__in": _subtree(unit)}


def _period_id(code: str) -> Subquery:
    """The stored period's id as a value the database computes once (not a join per row)."""
    return Subquery(Period.objects.filter(code=code).values("id")[:1])


def subtree_figures(*, unit: OrgUnit, period_code: str) -> dict[str, dict[str, Any]]:
    """Every counted figure of the units under ``unit`` for the period, added up in the
    database: ``{code: {"value", "units", "unit"}}``. Percentages are not added up: where
    their numerator and denominator are known (``domain.arithmetic.SHARES``) they are
    recomputed from the totals, otherwise left out."""
    from django.db.models import Count, Sum

    from theodoi.domain.arithmetic import SHARES
    from theodoi.domain.rules import Expression

    rows = (
        counted_values(
            DataValue.objects.filter(
                period_id=_period_id(period_code), breakdown="", **_in_subtree(unit)
            )
        )
        # Grouped by the element's id, not its code: joining the elements into a query over
        # half a million values misleads PostgreSQL's planner into a nested loop.
        .values("element_id")
        # one value per element, unit, period and breakdown (``datavalue_unique``): counting
        # the rows of one period without a breakdown counts the units, with no DISTINCT sort
        .annotate(total=Sum("value"), units=Count("org_unit"))
    )
    elements = {e.id: e for e in DataElement.objects.only("id", "code", "unit")}
    figures: dict[str, dict[str, Any]] = {}
    for row in rows:
        element = elements[row["element_id"]]
        if element.unit == "%":
            continue
        figures[element.code] = {
            "value": row["total"],
            "units": row["units"],
            "unit": element.unit,
        }
    totals = {code: f["value"] for code, f in figures.items()}
    for code, (numerator, denominator) in SHARES.items():
        top = Expression.parse(numerator).evaluate(totals)
        bottom = Expression.parse(denominator).evaluate(totals)
        if top is not None and bottom:
            figures[code] = {
                "value": (top * 100 / bottom).quantize(Decimal("0.01")),
                "units": min(figures[c]["units"] for c in Expression.parse(denominator).codes),
                "unit": "%",
                "recomputed": True,
            }
    return dict(sorted(figures.items()))


def reporting_completeness(*, unit: OrgUnit, period: Any) -> dict[str, int]:
    """How many units under ``unit`` are expected to report for the period, have reported,
    have been approved, and reported on time."""
    from django.db.models import Count

    units = subtree(unit)
    states = Submission.objects.filter(
        period_id=_period_id(period.code), **_in_subtree(unit)
    ).aggregate(
        reported=Count(
            "id",
            filter=Q(state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED]),
        ),
        approved=Count("id", filter=Q(state=UpdateState.APPROVED)),
        on_time=Count(
            "id",
            filter=Q(submitted_at__date__lte=period.end + dt.timedelta(days=REPORTING_GRACE_DAYS)),
        ),
    )
    # Units expected to report lead a task or an indicator: EXISTS probes the lead-unit
    # indexes once per unit instead of joining every task and indicator of the country.
    counts = units.aggregate(
        total=Count("id"),
        expected=Count(
            "id",
            filter=Q(Exists(Task.objects.filter(lead_unit=OuterRef("pk"))))
            | Q(Exists(Indicator.objects.filter(lead_unit=OuterRef("pk")))),
        ),
    )
    return {
        "units_in_subtree": counts["total"],
        "units_expected_to_report": counts["expected"],
        "units_reported": states["reported"],
        "units_approved": states["approved"],
        "units_reported_on_time": states["on_time"],
    }


def rollup_summary(
    *, unit: OrgUnit, period: Any, user: Any | None, updating: int = 0
) -> dict[str, Any]:
    """Tasks and indicators by status, figures and reporting for ``unit`` and every unit
    under it, from the commune to the country. The counts add up the plans' stored
    summaries — each one what that plan's own dashboard shows (``plan_summary``) — and say
    when they were computed, when their data last changed, and whether any is older than its
    data (the database marks them: ``progress/freshness.py``). Call it through
    ``services.summaries.rollup_fresh``, which brings them up to date first; ``updating`` is
    how many that left to the background worker. The summaries are added up on each call;
    the rest comes from the cache while the subtree's stamps are unchanged."""
    from django.db.models import Count, Max, Min, Sum

    if user is not None:
        ensure_can(user, "view", unit)
    fields = {**SUMMARY_TASK_FIELDS, **SUMMARY_INDICATOR_FIELDS}
    summaries = PlanSummary.objects.filter(
        period_id=_period_id(period.code), unit_path__startswith=unit.path
    )
    stored = summaries.aggregate(
        **{field: Sum(field) for field in fields.values()},
        plans=Count("id"),
        oldest=Min("computed_at"),
        newest=Max("computed_at"),
        illustrative=Count("id", filter=Q(illustrative=True)),
        stale=Count("id", filter=Q(data_version__gt=F("computed_version"))),
        data_changed=Max("data_changed_at"),
    )
    tasks = TaskCounts(**{name: stored[f] or 0 for name, f in SUMMARY_TASK_FIELDS.items()})
    indicators = IndicatorCounts(
        **{name: stored[f] or 0 for name, f in SUMMARY_INDICATOR_FIELDS.items()}
    )
    beyond = _beyond_summaries(unit, period)
    changed = max(
        (t for t in [*beyond["last_change"], stored["data_changed"]] if t is not None),
        default=None,
    )
    plans_total = beyond["plans"]
    return {
        "unit": unit.code,
        "period": period.code,
        "tasks": tasks.as_dict(),
        "indicators": indicators.as_dict(),
        "sentence": summary_sentence(tasks, indicators),
        "illustrative": bool(stored["illustrative"]),
        "figures": beyond["figures"],
        "reporting": beyond["reporting"],
        "computed": {
            "plans": plans_total,
            "plans_summarised": stored["plans"],
            "oldest": stored["oldest"],
            "newest": stored["newest"],
            "data_changed_at": changed,
            "stale": stored["stale"],
            "updating": updating,
            "up_to_date": stored["plans"] == plans_total and stored["stale"] == 0,
        },
    }


# How long a roll-up's cached part is kept: its key changes with the data (the subtree's
# stamps), so this only bounds the memory of parts no one asks for again.
CACHE_SECONDS = 24 * 3600


def units_stamp(units: QuerySet[OrgUnit]) -> tuple[int, int]:
    """How many of ``units`` carry a stamp, and their sum: any write that changes what is
    said of a unit beyond its plans' summaries sets a new random stamp on it
    (``progress/freshness.py``), so the pair changes with it."""
    from django.db.models import Count, Sum

    found = UnitStamp.objects.filter(unit_id__in=units.values("id")).aggregate(
        units=Count("unit_id"), total=Sum("stamp")
    )
    return found["units"], found["total"] or 0


def reader_stamp(user: Any) -> tuple[Any, ...]:
    """What an answer kept for ``user`` depends on beyond its data's version: who they are,
    the roles they hold, and the stamps of every unit they may name (those they see and those
    above them, ``orgs.selectors.units_visible_or_above``) — a role given or taken, a unit
    renamed or moved, a plan given to another unit changes it."""
    from theodoi.orgs.permissions import memberships
    from theodoi.orgs.selectors import units_visible_or_above

    return (
        user.pk,
        user.is_superuser,
        tuple(memberships(user)),
        units_stamp(units_visible_or_above(user=user)),
    )


def subtree_stamps(unit: OrgUnit) -> tuple[int, int]:
    """:func:`units_stamp` of ``unit`` and every unit under it."""
    return units_stamp(subtree(unit))


def _beyond_summaries(unit: OrgUnit, period: Any) -> dict[str, Any]:
    """What the roll-up reads besides the stored summaries — the figures summed, how the
    units reported, the plans counted, the last report approved or reviewed — from the
    cache when the subtree's stamps are those it was computed at, else from the tables."""
    from django.core.cache import cache
    from django.db.models import Max

    units, total = subtree_stamps(unit)
    key = f"rollup:{unit.pk}:{unit.path}:{period.code}:{units}:{total}"
    found = cache.get(key)
    if found is not None:
        return found
    last_change = Submission.objects.filter(
        **_in_subtree(unit),
        period_id__in=Period.objects.filter(end__lte=period.end).values("id"),
    ).aggregate(approved=Max("approved_at"), reviewed=Max("reviewed_at"))
    found = {
        "plans": Plan.objects.filter(owner_unit__in=_subtree(unit)).count(),
        "last_change": [last_change["approved"], last_change["reviewed"]],
        "figures": subtree_figures(unit=unit, period_code=period.code),
        "reporting": reporting_completeness(unit=unit, period=period),
    }
    cache.set(key, found, CACHE_SECONDS)
    return found


def rollup_by_unit(*, unit: OrgUnit, period: Any) -> list[dict[str, Any]]:
    """The stored plan summaries under ``unit`` for the period, added up per unit directly
    below it (a province's communes): one query, grouped in Python by the path."""

    children = {u.path: u for u in OrgUnit.objects.filter(parent=unit).order_by("path")}
    fields = [*SUMMARY_TASK_FIELDS.values(), *SUMMARY_INDICATOR_FIELDS.values()]
    rows = PlanSummary.objects.filter(
        period__code=period.code, unit_path__startswith=unit.path
    ).values_list("unit_path", *fields)
    totals: dict[str, dict[str, int]] = {}
    depth = unit.path.count("/")
    for path, *counts in rows:
        child_path = "/".join(path.split("/")[: depth + 1]) + "/"
        if child_path not in children:
            continue
        into = totals.setdefault(child_path, dict.fromkeys(fields, 0))
        for field, count in zip(fields, counts, strict=True):
            into[field] += count
    result = []
    for path, child in children.items():
        if path not in totals:
            continue
        t = totals[path]
        tasks = TaskCounts(**{n: t[f] for n, f in SUMMARY_TASK_FIELDS.items()})
        indicators = IndicatorCounts(**{n: t[f] for n, f in SUMMARY_INDICATOR_FIELDS.items()})
        result.append({"unit": child, "tasks": tasks, "indicators": indicators})
    return result
