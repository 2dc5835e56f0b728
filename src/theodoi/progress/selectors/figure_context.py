"""What the figure grid shows beside each cell: the value of the last period and of the same
period last year, the target of the milestone that applies, and whether the value looks
unusual against the unit's own history (:mod:`theodoi.domain.outliers`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q

from theodoi.domain.formatting import format_number
from theodoi.domain.indicators import Comparator, Target
from theodoi.domain.outliers import OutlierRule, unusual
from theodoi.domain.periods import parse_period
from theodoi.plans.models import Indicator, IndicatorTarget
from theodoi.progress.models import DataValue, Period
from theodoi.progress.selectors.entry import EntryElement


@dataclass
class FigureContext:
    previous: DataValue | None = None
    last_year: DataValue | None = None
    targets: list[str] = field(default_factory=list)
    history: list[Decimal] = field(default_factory=list)

    def change(self, value: Decimal | None) -> str:
        """The change from the last period: "+11 (+0,85%)"; "" when either is missing."""
        if value is None or self.previous is None:
            return ""
        delta = value - self.previous.value
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        text = f"{sign}{format_number(abs(delta), 2, strip_zeros=True)}"
        if self.previous.value:
            share = abs(delta) / abs(self.previous.value) * 100
            text += f" ({sign}{format_number(share, 2, strip_zeros=True)}%)"
        return text

    def warning(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        previous = self.previous.value if self.previous is not None else None
        said = unusual(value, previous, self.history, outlier_rule())
        if said and self.previous is not None and self.previous.is_illustrative:
            said += " (Số kỳ trước là dữ liệu minh họa.)"
        return said


def outlier_rule() -> OutlierRule:
    return OutlierRule(
        share=Decimal(str(settings.THEODOI_OUTLIER_SHARE)),
        z=Decimal(str(settings.THEODOI_OUTLIER_Z)),
    )


def _same_period_last_year(code: str) -> str:
    year, _, rest = code.partition("-")
    try:
        return f"{int(year) - 1}-{rest}" if rest else str(int(year) - 1)
    except ValueError:
        return ""


def figure_context(
    *, period: Period, elements: list[EntryElement]
) -> dict[tuple[int, int], FigureContext]:
    """For each (element id, area id): its neighbours in time and its targets."""
    keys = {(e.element.id, e.area.id) for e in elements}
    found = {key: FigureContext() for key in keys}
    try:
        previous_code = parse_period(period.code).previous().code
    except ValueError:
        previous_code = ""
    last_year_code = _same_period_last_year(period.code)
    earlier = (
        DataValue.objects.filter(
            breakdown="",
            element_id__in={k[0] for k in keys},
            org_unit_id__in={k[1] for k in keys},
            period__kind=period.kind,
            period__basis=period.basis,
            period__end__lt=period.start,
        )
        .select_related("period")
        .order_by("period__end")
    )
    for value in earlier:
        context = found.get((value.element_id, value.org_unit_id))
        if context is None:
            continue
        context.history.append(value.value)
        if value.period.code == previous_code:
            context.previous = value
        if value.period.code == last_year_code:
            context.last_year = value
    # the milestone that applies: the first year not before the period's, as adjusted by
    # the period's end (an adjustment in force later does not apply yet)
    indicators = {i.pk for e in elements for i in e.indicators}
    targets: dict[int, IndicatorTarget] = {}
    for target in IndicatorTarget.objects.filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=period.end),
        indicator_id__in=indicators,
        year__gte=period.end.year,
    ).order_by("-year", F("effective_from").asc(nulls_first=True)):
        targets[target.indicator_id] = target  # the nearest year, its latest adjustment last
    for entry in elements:
        context = found[(entry.element.id, entry.area.id)]
        for indicator in entry.indicators:
            target = targets.get(indicator.pk)
            if target is None or entry.element.id != getattr(indicator.data_element, "id", None):
                continue
            shown = Target(Comparator(target.comparator), target.value, target.value_high).display(
                indicator.unit
            )
            context.targets.append(f"{indicator.code} — {target.year}: {shown}")
    return found


OTHER_FIGURES = "Số liệu khác"


def element_groups(elements: list[EntryElement]) -> dict[int, tuple[tuple[int, int, int], str]]:
    """For each element id: the group of the plan (field of work: "Chính quyền số",
    "Xã hội số" …) of the first indicator it measures, as a sort key and a heading; an element
    no indicator uses goes under "Số liệu khác", last. The indicators this unit leads come
    first; an element only assigned to the unit takes the group of any indicator using it."""
    found: dict[int, tuple[tuple[int, int, int], str]] = {}

    def take(element_id: int, indicator: Indicator) -> None:
        group = indicator.group
        if element_id in found or group is None:
            return
        found[element_id] = ((0, indicator.plan_id, group.position), f"{group.code}. {group.title}")

    for entry in elements:
        for indicator in entry.indicators:
            take(entry.element.id, indicator)
    missing = {e.element.id for e in elements} - set(found)
    if missing:
        for indicator in (
            Indicator.objects.filter(
                Q(data_element_id__in=missing)
                | Q(numerator_id__in=missing)
                | Q(denominator_id__in=missing)
            )
            .select_related("group")
            .order_by("plan_id", "position")
        ):
            for element_id in (
                indicator.data_element_id,
                indicator.numerator_id,
                indicator.denominator_id,
            ):
                if element_id in missing:
                    take(element_id, indicator)
    for entry in elements:
        found.setdefault(entry.element.id, ((1, 0, 0), OTHER_FIGURES))
    return found
