"""Importing figures (data values), saved through ``data_value_save`` as on the web."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from theodoi.domain import periods as p
from theodoi.exchange.excel.base import Import, show
from theodoi.exchange.excel.layout import VALUES, Kind
from theodoi.exchange.excel.matching import NameIndex
from theodoi.exchange.excel.reader import Invalid, Row, cell_number
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataElement, DataValue, Period
from theodoi.progress.selectors.entry import (
    entry_elements,
    entry_elements_many,
    units_reporting_many,
)
from theodoi.progress.selectors.figures import active_rules, rule_violations_many
from theodoi.progress.services.locks import LockBook
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.values import (
    Figure,
    data_value_save,
    data_values_save,
    value_problems_of,
)


@dataclass
class PlannedValue:
    row: Row
    element: DataElement
    area: OrgUnit
    period: p.Period
    value: Decimal
    comment: str | None  # None: no comment column, leave the stored comment
    breakdown: str
    unit: OrgUnit | None = None  # the unit entering it (None: unchanged, nothing to enter)


class ValuesImport(Import):
    """Figures for units and periods, saved through ``data_value_save`` as on the web: the
    unit that enters a figure (the figure's own unit, or the unit leading the indicators it
    measures) must be one the user may enter for, and its period still open."""

    kind = Kind.VALUES

    def check(self) -> None:
        if self.user is None:
            self.problem("Nhập số liệu cần ghi người nhập: thêm --as TÊN_ĐĂNG_NHẬP.")
        sheet = self.sheet(VALUES)
        self.planned: list[PlannedValue] = []
        if sheet is None or sheet.problems:
            return
        units = self.units_index()
        elements = NameIndex(
            (
                (e, e.code, [e.name], f"{e.name} ({e.code})")
                for e in DataElement.objects.select_related("reported_by").order_by("code")
            ),
            what="số liệu",
        )
        preferred = self.workbook.meta.get("unit", "")
        periods: dict[str, p.Period | None] = {}
        found: dict[str, Any] = {}  # what each distinct unit or element text names
        seen: dict[tuple, int] = {}
        for row in sheet.rows:
            before = len(self.problems)
            if not row.text("value"):
                self.result.tally(VALUES.name).skipped += 1
                continue
            area = self._cached(found, "unit:", units, row, "unit")
            element = self._cached(found, "element:", elements, row, "element")
            period_text = row.text("period")
            if period_text not in periods:
                try:
                    periods[period_text] = p.parse_period(period_text) if period_text else None
                except p.PeriodError:
                    periods[period_text] = None
            period = periods[period_text]
            if period is None:
                self.reject(
                    row,
                    "period",
                    "không phải kỳ báo cáo hợp lệ (ví dụ 2026-Q1, 2026-03, 2026-H1, 2026-9M, "
                    "2026, 01/01/2026..28/04/2026)."
                    if period_text
                    else "kỳ báo cáo là bắt buộc.",
                )
            value = None
            try:
                value = cell_number(row.raw("value"))
            except Invalid as exc:
                self.reject(row, "value", exc.reason)
            breakdown = row.text("breakdown") if row.has("breakdown") else ""
            if len(self.problems) > before:
                continue
            key = (element.id, area.id, period.code, breakdown)
            if key in seen:
                self.reject(row, "element", f"trùng số liệu, đơn vị và kỳ với dòng {seen[key]}.")
                continue
            seen[key] = row.number
            comment = row.text("comment") if row.has("comment") else None
            self.planned.append(PlannedValue(row, element, area, period, value, comment, breakdown))
        stored = self._stored()
        # who enters each figure the file names (not every unit's figures of the country)
        entering = units_reporting_many({(item.element, item.area) for item in self.planned})
        self._reporters = entering  # the service's own lookup of the same, read once
        for item in self.planned:
            current = stored.get(self._key(item))
            if current is not None and self._same(current, item):
                continue  # not written, so not checked again: kept as it was
            problems = value_problems_of(item.element, item.value)
            if problems:
                self.reject(item.row, "value", "không hợp lệ: " + " ".join(problems))
                continue
            if item.breakdown:
                self.reject(
                    item.row,
                    "breakdown",
                    "là số liệu phân tổ: chỉ xuất ra để xem, không nhập được qua Excel. Giữ "
                    "nguyên giá trị hoặc xóa dòng.",
                )
                continue
            candidates = sorted(
                entering.get((item.element.id, item.area.id), []), key=lambda u: u.path
            )
            chosen = [u for u in candidates if u.code == preferred] or candidates
            if not chosen:
                self.reject(
                    item.row,
                    "element",
                    f"không phải số liệu đơn vị nào nhập cho {item.area.name} (số liệu lấy từ "
                    "văn bản, hoặc chưa giao đơn vị nhập).",
                )
            elif len(chosen) > 1:
                names = ", ".join(f"{u.name} ({u.code})" for u in chosen)
                self.reject(
                    item.row,
                    "element",
                    f"do nhiều đơn vị nhập cho {item.area.name}: {names}. Hãy dùng tệp mẫu của "
                    "một đơn vị (theodoi template values --unit MÃ --period KỲ).",
                )
            else:
                item.unit = chosen[0]

    def _cached(self, found: dict, prefix: str, index: NameIndex, row: Row, key: str) -> Any:
        text = row.text(key)
        if not text:
            self.reject(row, key, "là bắt buộc.")
            return None
        if prefix + text not in found:
            before = len(self.problems)
            obj = self.find(index, row, key)
            if len(self.problems) > before:
                return None  # every row naming it gets its own message
            found[prefix + text] = obj
        return found[prefix + text]

    @staticmethod
    def _key(item: PlannedValue) -> tuple:
        return (item.element.id, item.area.id, item.period.code, item.breakdown)

    def _stored(self) -> dict[tuple, DataValue]:
        codes = {item.period.code for item in self.planned}
        return {
            (v.element_id, v.org_unit_id, v.period.code, v.breakdown): v
            for v in DataValue.objects.filter(period__code__in=codes).select_related("period")
        }

    @staticmethod
    def _same(current: DataValue, item: PlannedValue) -> bool:
        """The same figure, kept with its provenance (who entered it, or that it came from a
        document), as the web form does."""
        return current.value == item.value and item.comment in (None, current.comment)

    def apply(self) -> None:
        stored = self._stored()
        periods: dict[str, Period] = {
            period.code: period
            for period in Period.objects.filter(code__in={i.period.code for i in self.planned})
        }
        touched: dict[tuple[int, int], tuple[OrgUnit, Period]] = {}
        self.result.path_used = (
            "data_values_save theo nhóm (kiểm tra quyền và khóa kỳ một lần cho mỗi đơn vị và kỳ, "
            "ghi gộp mỗi đơn vị)"
            if self.grouped
            else "data_value_save (dịch vụ nhập số liệu, từng dòng)"
        )
        tally = self.result.tally(VALUES.name)
        groups: dict[int, list[tuple[PlannedValue, Period, Any, list]]] = {}
        saved: set[int] = set()
        rows: list[tuple[PlannedValue, Period, Any, list]] = []
        for item in self.planned:
            current = stored.get(self._key(item))
            if item.unit is None:
                tally.unchanged += 1
                continue
            period = periods.get(item.period.code)
            if period is None:
                period = period_ensure(period=item.period, user=self.user, reason=self.reason)
                periods[item.period.code] = period
                self.result.tally("Kỳ báo cáo").created += 1
            fields = []
            if current is not None:
                if current.value != item.value:
                    fields.append(("Giá trị", show(current.value), show(item.value)))
                if item.comment is not None and current.comment != item.comment:
                    fields.append(("Ghi chú", show(current.comment), show(item.comment)))
            planned = (item, period, current, fields)
            rows.append(planned)
            if self.grouped:
                # a row's own faults are its own: the rest of its group is still written
                problems = value_problems_of(item.element, item.value)
                if problems:
                    self.reject(item.row, "value", "không lưu được: " + " ".join(problems))
                    continue
                groups.setdefault(item.unit.id, []).append(planned)
            elif self._save_value(item, period) is not None:
                saved.add(id(item))
        if groups:
            # what each unit enters and which of its periods are approved, read at once
            units = [group[0][0].unit for group in groups.values()]
            self.__dict__.setdefault("_entry_cache", {}).update(entry_elements_many(units))
            self._locks = LockBook()
            self._locks.load({unit.pk for unit in units})
        for group in groups.values():
            saved |= self._save_group(group)
        for item, period, current, fields in rows:
            if id(item) in saved:
                assert item.unit is not None
                touched[(item.unit.id, period.id)] = (item.unit, period)
                self._record(item, current, fields)
        rules = active_rules()
        by_unit: dict[int, tuple[OrgUnit, list[Period]]] = {}
        for unit, period in touched.values():
            by_unit.setdefault(unit.id, (unit, []))[1].append(period)
        for unit, unit_periods in by_unit.values():
            found = rule_violations_many(
                unit=unit, periods=unit_periods, elements=self._entries(unit), rules=rules
            )
            for period in unit_periods:
                for violation in found[period.pk]:
                    self.result.warnings.append(f"{unit.name}, {period.label}: {violation.message}")

    def _record(self, item: PlannedValue, current: Any, fields: list) -> None:
        label = f"Số liệu {item.element.code} của {item.area.code}, kỳ {item.period.code}"
        self.record(VALUES.name, label, item.row, current, fields)

    def _save_group(self, group: list[tuple[PlannedValue, Period, Any, list]]) -> set[int]:
        """One unit's figures through ``data_values_save``: its checks once per period, one
        write. Should it refuse, row by row through ``data_value_save``, so that the refusal
        is reported on the row at fault and the other rows are still written. Returns the
        rows saved (by ``id``)."""
        first = group[0][0]
        assert first.unit is not None
        try:
            with transaction.atomic():
                data_values_save(
                    unit=first.unit,
                    figures=[
                        Figure(item.element, item.area, period, item.value, item.comment or "")
                        for item, period, *_ in group
                    ],
                    user=self.user,
                    reason=self.reason,
                    entries=self._entries(first.unit),
                    reporters=self.__dict__.setdefault("_reporters", {}),
                    locks=self.__dict__.get("_locks"),
                )
        except (ValidationError, PermissionDenied, IntegrityError):
            return {
                id(item) for item, period, *_ in group if self._save_value(item, period) is not None
            }
        return {id(item) for item, *_ in group}

    def _save_value(self, item: PlannedValue, period: Period) -> DataValue | None:
        row = item.row
        assert item.unit is not None
        try:
            saved = data_value_save(
                element=item.element,
                area=item.area,
                unit=item.unit,
                period=period,
                value=item.value,
                user=self.user,
                comment=item.comment or "",
                reason=self.reason,
                entries=self._entries(item.unit),
            )
        except ValidationError as exc:
            key = "value" if hasattr(exc, "error_dict") else "period"
            self.reject(row, key, "không lưu được: " + " ".join(exc.messages))
            return None
        except PermissionDenied as exc:
            self.reject(row, "unit", f"không lưu được: {exc}")
            return None
        return saved

    def _entries(self, unit: OrgUnit) -> list:
        """The unit's entry figures, computed once per unit for the whole file."""
        cache = self.__dict__.setdefault("_entry_cache", {})
        if unit.id not in cache:
            cache[unit.id] = entry_elements(unit=unit)
        return cache[unit.id]
