"""The figures a report's patterns ask for: the values that count for the report's unit over
its period (:func:`progress.selectors.figures.figures_for`, the same as the dashboard's), with
each element's name, kind of number and the source of the value.

A pattern may also cite the figure of a unit under the report's unit (the Public
Administration Service Centre's staff in the zone's report) or of a unit it succeeded (the
former district's budget): never of a unit outside, whose data the report does not cover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from theodoi.domain.patterns import Fact
from theodoi.orgs.models import OrgUnit, OrgUnitSuccession
from theodoi.progress.models import Breakdown, DataElement, DataValue
from theodoi.progress.selectors.figures import figures_for


def citable_units(unit: OrgUnit) -> dict[str, OrgUnit]:
    """The units whose figures a report of ``unit`` may cite, by code: itself and the units
    below it, and the units it succeeded (and theirs, and the units below them)."""
    roots = [unit]
    seen = {unit.pk}
    while True:
        older = [
            s.predecessor
            for s in OrgUnitSuccession.objects.filter(
                successor_id__in=[r.pk for r in roots]
            ).select_related("predecessor")
            if s.predecessor_id not in seen
        ]
        if not older:
            break
        seen |= {u.pk for u in older}
        roots += older
    below = Q()
    for root in roots:
        below |= Q(path__startswith=root.path)
    return {u.code: u for u in OrgUnit.objects.filter(below)}


class ReportFacts:
    """The :class:`~theodoi.domain.patterns.Facts` of one report: unit, period range."""

    def __init__(self, *, unit: OrgUnit, start: dt.date, end: dt.date, user: Any | None) -> None:
        self.unit, self.start, self.end, self.user = unit, start, end, user
        self._elements = {e.code: e for e in DataElement.objects.all()}
        self._breakdowns = dict(Breakdown.objects.values_list("code", "name"))
        self._units: dict[str, OrgUnit] | None = None
        self._cache: dict[tuple[str, str, str], Fact | None] = {}

    def _unit(self, code: str) -> OrgUnit:
        if not code:
            return self.unit
        if self._units is None:
            self._units = citable_units(self.unit)
        return self._units[code]

    def unit_name(self, unit: str) -> str | None:
        if self._units is None:
            self._units = citable_units(self.unit)
        found = self._units.get(unit)
        return found.name if found is not None else None

    def name(self, code: str) -> str | None:
        element = self._elements.get(code)
        return element.name if element is not None else None

    def fact(self, code: str, scope: str = "", unit: str = "") -> Fact | None:
        key = (code, scope, unit)
        if key not in self._cache:
            element = self._elements.get(code)
            found = (
                figures_for(
                    unit=self._unit(unit),
                    start=self.start,
                    end=self.end,
                    codes=[code],
                    user=self.user,
                    breakdown=scope,
                ).get(code)
                if element is not None
                else None
            )
            self._cache[key] = (
                Fact(
                    code=code,
                    name=element.name,
                    value=found.value,
                    unit=element.unit,
                    value_type=element.value_type,
                    scope=scope,
                    source="; ".join(found.sources),
                    illustrative=found.illustrative,
                    org_unit=unit,
                    start=found.start,
                    end=found.end,
                )
                if found is not None and element is not None
                else None
            )
        return self._cache[key]

    def scopes(self, code: str, unit: str = "") -> list[str]:
        return sorted(
            DataValue.objects.filter(
                org_unit=self._unit(unit),
                element__code=code,
                period__start__gte=self.start,
                period__end__lte=self.end,
            )
            .exclude(breakdown="")
            .values_list("breakdown", flat=True)
            .distinct()
        )

    def scope_label(self, scope: str) -> str:
        return self._breakdowns.get(scope, scope)

    def codes(self) -> list[str]:
        """Every element code, for checking patterns."""
        return list(self._elements)
