"""What every import shares: the result and its preview, and reading cells into objects.

Each kind of workbook (:mod:`.plan_import`, :mod:`.progress_import`, :mod:`.values_import`)
checks every cell in ``check()`` without writing, collecting problems, then writes in
``apply()`` inside the transaction opened by :func:`.importer.import_workbook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from theodoi.domain.formatting import format_date, format_number
from theodoi.exchange.excel.layout import Kind
from theodoi.exchange.excel.matching import NameIndex, NeedsConfirmation
from theodoi.exchange.excel.reader import CellProblem, Invalid, Row, Sheet, Workbook
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import TaskGroup

REASON = "Nhập từ Excel"


@dataclass
class Tally:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class Change:
    """One row created or changed: what it is, where it is in the file, and each field's old
    and new value as text."""

    label: str
    where: str
    fields: list[tuple[str, str, str]]
    created: bool = False


@dataclass
class ImportResult:
    path: Path
    kind: Kind | None
    dry_run: bool
    rows: int = 0
    errors: list[str] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    path_used: str = ""  # how rows were written: which services, or the model-level upsert

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        return sum(t.created + t.changed for t in self.tallies.values())

    def tally(self, label: str) -> Tally:
        return self.tallies.setdefault(label, Tally())


# --- Showing values in the preview ------------------------------------------------------------


def show(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return format_number(value, places)
    if isinstance(value, TaskGroup):
        return value.code
    if isinstance(value, OrgUnit):
        return f"{value.name} ({value.code})"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 90 else text[:89] + "…"


def field_label(model: type[models.Model], name: str) -> str:
    verbose = str(model._meta.get_field(name).verbose_name)
    return verbose[:1].upper() + verbose[1:]


def differences(
    obj: models.Model | None,
    values: dict[str, Any],
    *,
    shown: Callable[[str, Any], str] | None = None,
) -> list[tuple[str, str, str]]:
    """The fields of ``values`` that differ from ``obj``, as (label, old, new) text."""
    if obj is None:
        return []
    model = type(obj)
    found = []
    for name, value in values.items():
        old = getattr(obj, name)
        if old == value:
            continue
        if shown is not None:
            found.append((field_label(model, name), shown(name, old), shown(name, value)))
            continue
        choices = dict(model._meta.get_field(name).flatchoices)
        found.append(
            (field_label(model, name), show(choices.get(old, old)), show(choices.get(value, value)))
        )
    return found


# --- The common part ----------------------------------------------------------------------------


class Import:
    kind: Kind

    def __init__(
        self,
        workbook: Workbook,
        user: Any | None,
        result: ImportResult,
        accept_suggestions: bool,
        grouped: bool,
    ):
        self.workbook = workbook
        self.user = user
        self.result = result
        self.accept = accept_suggestions
        self.grouped = grouped
        self.reason = f"{REASON} {workbook.name or workbook.path.name}"
        self.problems: list[CellProblem] = []

    def sheet(self, layout, *, required: bool = True) -> Sheet | None:
        sheet = self.workbook.sheet(layout, required=required)
        if sheet is not None:
            self.problems += sheet.problems
            self.result.rows += len(sheet.rows)
        return sheet

    def problem(self, message: str) -> None:
        self.problems.append(CellProblem("", 0, "", "", "", message))

    def reject(self, row: Row, key: str, reason: str, *, value: Any = None) -> None:
        self.problems.append(row.problem(key, reason, value=value))

    def find(self, index: NameIndex, row: Row, key: str, text: str | None = None) -> Any:
        """The object named in the cell, or None after recording why not."""
        text = row.text(key) if text is None else text
        prefix = f"có “{text}”: " if text != row.text(key) else ""
        try:
            return index.find(text)
        except NeedsConfirmation as exc:
            best = exc.suggestions
            unique = len(best) == 1 or best[0].score > best[1].score
            if self.accept and unique:
                column = row.sheet.layout.column(key).header
                self.result.accepted.append(
                    f"Trang “{row.sheet.name}”, dòng {row.number}, cột “{column}”: “{text}” → "
                    f"“{best[0].label}” (điểm {best[0].score})"
                )
                return best[0].obj
            reason = exc.reason
            if self.accept:
                reason += " Các gợi ý ngang điểm nhau nên không tự chọn được."
            self.reject(row, key, prefix + reason)
        except Invalid as exc:
            self.reject(row, key, prefix + exc.reason)
        return None

    def text(self, row: Row, key: str, model: type[models.Model], name: str) -> str:
        """A text cell for a model field, checked against the field's length."""
        text = row.text(key)
        limit = model._meta.get_field(name).max_length
        if limit and len(text) > limit:
            self.reject(row, key, f"dài {len(text)} ký tự, quá {limit} ký tự cho phép.")
        return text

    def where(self, row: Row) -> str:
        return f"trang “{row.sheet.name}”, dòng {row.number}"

    def record(
        self, list_label: str, label: str, row: Row, before: models.Model | None, fields: list
    ) -> None:
        tally = self.result.tally(list_label)
        if before is None:
            tally.created += 1
            self.result.changes.append(Change(label, self.where(row), [], created=True))
        elif fields:
            tally.changed += 1
            self.result.changes.append(Change(label, self.where(row), fields))
        else:
            tally.unchanged += 1

    def guarded(self, row: Row, key: str, action: Callable[[], Any]) -> Any:
        """Run one row's writes in a savepoint; a refusal becomes a problem on the row."""
        try:
            with transaction.atomic():
                return action()
        except ValidationError as exc:
            self.reject(row, key, "không lưu được: " + " ".join(exc.messages))
        except (PermissionDenied, IntegrityError) as exc:
            self.reject(row, key, f"không lưu được: {exc}")
        return None

    def units_index(self) -> NameIndex[OrgUnit]:
        return NameIndex(
            (
                (u, u.code, [u.name, *u.aliases], f"{u.name} ({u.code})")
                for u in OrgUnit.objects.order_by("path")
            ),
            what="đơn vị",
        )

    def check(self) -> None:  # pragma: no cover - each kind defines it
        raise NotImplementedError

    def apply(self) -> None:  # pragma: no cover
        raise NotImplementedError


@dataclass
class PlannedRow:
    row: Row
    values: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)
