"""Figures (data values): the one write every path goes through — the web, the API, Excel,
the exchange with upper levels, figures accepted from documents, the dataset loader — with the
same value rules, the same lock and a history row saying who, when and why.

:func:`data_values_write` is that write. The entry points add their own permission checks
before it: :func:`data_value_save` (a unit enters its figures: web, API, Excel),
``exchange.dhis2.data_value_sets_import`` (an upper level imports a lower level's file),
``archive.review.extracted_figure_accept`` (a figure read out of a document)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from theodoi.documents.models import Document
from theodoi.domain.text import clean_typed_text
from theodoi.domain.values import ValueType, value_problems
from theodoi.history import upsert
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.progress.models import DataElement, DataValue, Period
from theodoi.progress.selectors.entry import units_reporting_many
from theodoi.progress.services.locks import (
    LockBook,
    ensure_editable,
    ensure_unlocked,
    submissions_for_entry,
)


@dataclass
class ValueWrite:
    """One figure to store: which element, of which unit (``area``), for which period, the
    value, and where it comes from — the unit that entered it (``reporting_unit``, with
    ``entered_by``) or the document, line and quote it was read from."""

    element: DataElement
    area: OrgUnit
    period: Period
    value: Decimal
    breakdown: str = ""
    comment: str = ""
    reporting_unit: OrgUnit | None = None
    entered_by: Any = None
    source_document: Document | None = None
    source_line: int | None = None
    source_quote: str = ""
    illustrative: bool = False

    @property
    def what(self) -> str:
        return f"Số liệu “{self.element.name}” của {self.area.name}"


def element_value_type(element: DataElement) -> ValueType:
    """The kind of number the element holds (count, percentage, other measure)."""
    return ValueType(element.value_type)


def value_problems_of(element: DataElement, value: Decimal) -> list[str]:
    """What is wrong with ``value`` as a figure of ``element`` (Vietnamese, empty when
    nothing): the one value rule of every write path and of the live checks on screen."""
    return value_problems(value, element_value_type(element))


@transaction.atomic
def data_values_write(
    *,
    writes: Iterable[ValueWrite],
    user: Any,
    reason: str,
    reporters: dict[tuple[int, int], list[OrgUnit]] | None = None,
    locks: LockBook | None = None,
) -> list[tuple[DataValue, bool]]:
    """Store each figure, all or nothing: every value must pass the element's value rule, and
    no approved report may cover its period (checked once per unit and period, by dates);
    then each is created or updated with a history row (who, when, ``reason``). Returns each
    stored value and whether it was written (unchanged values are not rewritten).

    Written in bulk: the stored rows are read (and locked) in one query per period, the new
    ones inserted and the changed ones updated together, their history rows too — an import
    of thousands of figures is a few statements, with the same rules as one figure.

    Raises ValidationError naming the figure at fault; the caller decides how to show it."""
    writes = list(writes)
    for write in writes:
        problems = value_problems_of(write.element, write.value)
        if problems:
            raise ValidationError(
                {"value": [f"{write.what}: " + " ".join(problems)]}, code="bad_value"
            )
    stored = _stored_for(writes)
    locks = LockBook() if locks is None else locks
    checked: set[tuple[int, int]] = set()
    # who enters each figure, read at once (``reporters``: a caller's cache across calls)
    reporters = {} if reporters is None else reporters
    unknown = {(w.element, w.area) for w in writes if (w.element.pk, w.area.pk) not in reporters}
    if unknown:
        reporters.update(units_reporting_many(unknown))
    results: list[tuple[DataValue, bool]] = []
    created: dict[tuple[Any, ...], DataValue] = {}
    changed: dict[tuple[Any, ...], DataValue] = {}
    for write in writes:
        key = (write.element.pk, write.area.pk, write.period.pk, write.breakdown)
        existing = stored.get(key)
        # A figure is locked by the approved report that states it: that of the units whose
        # job it is to enter it (an upper level's import or a document cannot change what a
        # unit's approved report stated), or, when no unit enters it, of the unit it is a
        # figure of; and that of whoever entered the stored value. Illustrative stand-ins lock
        # nothing: real figures replace them.
        owners = list(reporters[(write.element.pk, write.area.pk)]) or [write.area]
        if write.reporting_unit is not None:
            owners.append(write.reporting_unit)
        if existing is not None and not existing.is_illustrative and existing.reporting_unit:
            owners.append(existing.reporting_unit)
        for owner in owners:
            if (owner.pk, write.period.pk) not in checked:
                locks.ensure_unlocked(units=[owner], period=write.period, what=write.what)
                checked.add((owner.pk, write.period.pk))
        values = {
            "value": write.value,
            "comment": clean_typed_text(write.comment),
            "entered_by": write.entered_by,
            "reporting_unit": write.reporting_unit,
            "is_illustrative": write.illustrative,
            "source_document": write.source_document,
            "source_line": write.source_line,
            "source_quote": write.source_quote,
        }
        if existing is None:
            existing = DataValue(
                element=write.element,
                org_unit=write.area,
                period=write.period,
                breakdown=write.breakdown,
                **values,
            )
            stored[key] = created[key] = existing
            results.append((existing, True))
            continue
        differs = [name for name, value in values.items() if _differs(existing, name, value)]
        for name in differs:
            setattr(existing, name, values[name])
        if differs and key not in created:
            changed[key] = existing
        results.append((existing, bool(differs) or key in created))
    _save_all(list(created.values()), list(changed.values()), user=user, reason=reason)
    return results


def _differs(row: DataValue, name: str, value: Any) -> bool:
    """Whether the stored ``row`` holds something else than ``value`` in field ``name`` (a
    related row compared by its id: no query)."""
    field = DataValue._meta.get_field(name)
    if field.is_relation:
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return getattr(row, name) != value


def _stored_for(writes: list[ValueWrite]) -> dict[tuple[Any, ...], DataValue]:
    """The stored rows the writes may change, locked for the transaction: one query (the
    candidates are narrowed by period, element and unit, then matched exactly)."""
    wanted = {(w.element.pk, w.area.pk, w.period.pk, w.breakdown) for w in writes}
    stored: dict[tuple[Any, ...], DataValue] = {}
    if not wanted:
        return stored
    rows = DataValue.objects.select_for_update(of=("self",)).filter(
        period_id__in={k[2] for k in wanted},
        element_id__in={k[0] for k in wanted},
        org_unit_id__in={k[1] for k in wanted},
    )
    for row in rows.select_related("reporting_unit"):
        key = (row.element_id, row.org_unit_id, row.period_id, row.breakdown)
        if key in wanted:
            stored[key] = row
    return stored


def _save_all(
    created: list[DataValue], changed: list[DataValue], *, user: Any, reason: str
) -> None:
    """Insert and update in bulk, each row checked as a save checks it, each with its history
    row (who, when, ``reason``)."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    now = timezone.now()
    # the related rows are loaded objects and the database holds their keys: the field
    # checks leave them out (a query each otherwise)
    related = [f.name for f in DataValue._meta.concrete_fields if f.is_relation]
    for value in (*created, *changed):
        value.updated_at = now
        value.full_clean(exclude=related, validate_unique=False, validate_constraints=False)
    if created:
        bulk_create_with_history(
            created, DataValue, batch_size=500, default_user=user, default_change_reason=reason
        )
    if changed:
        bulk_update_with_history(
            changed,
            DataValue,
            fields=[*WRITTEN_FIELDS, "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )


WRITTEN_FIELDS = [
    "value",
    "comment",
    "entered_by",
    "reporting_unit",
    "is_illustrative",
    "source_document",
    "source_line",
    "source_quote",
]


@transaction.atomic
def data_value_remove(*, value: DataValue, user: Any, reason: str) -> None:
    """Delete a figure (its history keeps it), unless an approved report covers it."""
    ensure_unlocked(
        units=[value.reporting_unit or value.org_unit],
        period=value.period,
        what=f"Số liệu “{value.element.name}” của {value.org_unit.name}",
    )
    value._history_user = user  # type: ignore[attr-defined]
    value._change_reason = reason  # type: ignore[attr-defined]
    value.delete()


@dataclass
class Figure:
    """One figure a unit enters: of which element and unit (``area``), for which period, the
    value, a note."""

    element: DataElement
    area: OrgUnit
    period: Period
    value: Decimal
    comment: str = ""


def _ensure_may_enter(
    *,
    unit: OrgUnit,
    pairs: Iterable[tuple[DataElement, OrgUnit]],
    periods: Iterable[Period],
    user: Any,
    entries: list | None,
    locks: LockBook | None = None,
) -> None:
    """What every entry by ``unit`` is checked for: the user may enter for it, each (element,
    area) is the unit's to enter, and its report of each period is still open (made on the
    first entry)."""
    from theodoi.progress.selectors.entry import entry_elements

    ensure_can(user, "progress.edit", unit)
    entries = entry_elements(unit=unit) if entries is None else entries
    allowed = {(e.element.pk, e.area.pk) for e in entries}
    for element, area in pairs:
        if (element.pk, area.pk) not in allowed:
            raise ValidationError(
                f"{unit.name} không nhập số liệu “{element.name}” của {area.name}."
            )
    locks = LockBook() if locks is None else locks
    for submission in submissions_for_entry(unit, periods, user).values():
        ensure_editable(submission, locks)


def _entered(unit: OrgUnit, figure: Figure, user: Any) -> ValueWrite:
    """The write of a figure ``unit`` entered, ``user`` typing it."""
    return ValueWrite(
        element=figure.element,
        area=figure.area,
        period=figure.period,
        value=figure.value,
        comment=figure.comment,
        reporting_unit=unit,
        entered_by=user,
    )


@transaction.atomic
def data_values_save(
    *,
    unit: OrgUnit,
    figures: list[Figure],
    user: Any,
    reason: str | None = None,
    entries: list | None = None,
    reporters: dict | None = None,
    locks: LockBook | None = None,
) -> list[tuple[DataValue, bool]]:
    """``unit`` enters many figures at once (an import): the checks of
    :func:`data_value_save` once per unit and period, then one write, all or nothing.
    ``entries``, ``reporters`` and ``locks`` let an import touching many units read those
    once for all of them."""
    locks = LockBook() if locks is None else locks
    _ensure_may_enter(
        unit=unit,
        pairs=[(f.element, f.area) for f in figures],
        periods=[f.period for f in figures],
        user=user,
        entries=entries,
        locks=locks,
    )
    return data_values_write(
        writes=[_entered(unit, figure, user) for figure in figures],
        user=user,
        reason=reason or f"Nhập số liệu ({unit.name})",
        reporters=reporters,
        locks=locks,
    )


@transaction.atomic
def data_value_save(
    *,
    element: DataElement,
    area: OrgUnit,
    unit: OrgUnit,
    period: Period,
    value: Decimal | None,
    user: Any,
    comment: str = "",
    reason: str | None = None,
    entries: list | None = None,
) -> DataValue | None:
    """``unit`` enters one figure of ``area`` (itself, or the plan owner whose indicators it
    leads) for ``period``; ``None`` removes an entered figure. ``entries`` may pass the unit's
    ``entry_elements`` when saving many figures at once."""
    _ensure_may_enter(
        unit=unit, pairs=[(element, area)], periods=[period], user=user, entries=entries
    )
    if value is None:
        existing = DataValue.objects.filter(
            element=element, org_unit=area, period=period, breakdown=""
        ).first()
        if existing is not None:
            data_value_remove(value=existing, user=user, reason="Xóa số liệu")
        return None
    problems = value_problems_of(element, value)
    if problems:
        raise ValidationError({"value": problems})
    write = _entered(unit, Figure(element, area, period, value, comment), user)
    [(obj, _)] = data_values_write(
        writes=[write], user=user, reason=reason or f"Nhập số liệu ({unit.name})"
    )
    return obj


@transaction.atomic
def validation_rules_install_builtin(*, user: Any) -> int:
    """Store the built-in rules (administrative procedures, dossiers, tasks) in the database,
    where administrators can switch them off or add their own. Returns how many were written."""
    from theodoi.domain.rules import BUILTIN_RULES, RETIRED_RULES
    from theodoi.progress.models import ValidationRule

    written = 0
    for rule in ValidationRule.objects.filter(
        code__in=RETIRED_RULES, is_builtin=True, is_active=True
    ):
        _, changed = upsert(
            ValidationRule,
            lookup={"pk": rule.pk},
            values={"is_active": False},
            user=user,
            reason=f"Bỏ quy tắc có sẵn: {RETIRED_RULES[rule.code]}",
        )
        written += changed
    for rule in BUILTIN_RULES:
        _, changed = upsert(
            ValidationRule,
            lookup={"code": rule.code},
            values={
                "name": rule.message.split("(")[0].strip()[:255],
                "left": str(rule.left),
                "operator": rule.operator.value,
                "right": str(rule.right),
                "importance": rule.importance.value,
                "message": rule.message,
                "period_kind": rule.period_kind.value if rule.period_kind else "",
                "is_builtin": True,
            },
            user=user,
            reason="Cài quy tắc kiểm tra có sẵn",
        )
        written += changed
    return written
