"""Importing a plan workbook: the plan, its groups, tasks, indicators and milestone targets,
found by their codes and written with :func:`theodoi.history.upsert`."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import models

from theodoi.documents.models import Document, DocumentType
from theodoi.domain.deadlines import DeadlineError, parse_deadline
from theodoi.domain.formatting import format_date
from theodoi.domain.indicators import TargetError, parse_target
from theodoi.domain.references import SYMBOL_TYPES, document_key, normalize_symbol
from theodoi.domain.text import fold, normalize
from theodoi.exchange.excel.base import Import, PlannedRow, differences, field_label
from theodoi.exchange.excel.layout import (
    DIRECTION_LABELS,
    GROUPS,
    INDICATORS,
    PLAN,
    TARGETS,
    TASKS,
    Kind,
)
from theodoi.exchange.excel.reader import Invalid, Row, Sheet, cell_date, cell_integer
from theodoi.exchange.excel.writer import deadline_display
from theodoi.history import data_user, upsert
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.plans.selectors import PlanLookupError, plan_find
from theodoi.plans.services import plan_tasks_assigned_notify
from theodoi.progress.models import DataElement


class PlanImport(Import):
    """The plan, its groups, tasks, indicators and milestone targets, found by their codes."""

    kind = Kind.PLAN

    def check(self) -> None:
        self.units = self.units_index()
        plan_sheet = self.sheet(PLAN)
        # Only the plan sheet is required: a list left out of the file is left as it is.
        sheets = {
            layout.name: self.sheet(layout, required=False)
            for layout in (GROUPS, TASKS, INDICATORS, TARGETS)
        }
        self.plan: Plan | None = None
        self.plan_row: PlannedRow | None = None
        if plan_sheet is not None and not plan_sheet.problems:
            self._check_plan(plan_sheet)
        plan = self.plan
        self.existing_groups = {g.code: g for g in plan.groups.all()} if plan else {}
        self.existing_tasks = (
            {t.code: t for t in plan.tasks.prefetch_related("coordinating_units")} if plan else {}
        )
        self.existing_indicators = {i.code: i for i in plan.indicators.all()} if plan else {}
        self.groups = self._rows(sheets[GROUPS.name], self._check_group)
        self.group_codes = set(self.existing_groups) | {r.extra["code"] for r in self.groups}
        self.tasks = self._rows(sheets[TASKS.name], self._check_task)
        self.indicators = self._rows(sheets[INDICATORS.name], self._check_indicator)
        self.indicator_codes = set(self.existing_indicators) | {
            r.extra["code"] for r in self.indicators
        }
        self.targets = self._rows(sheets[TARGETS.name], self._check_target)

    def _rows(self, sheet: Sheet | None, check: Callable[[Row], PlannedRow | None]):
        planned: list[PlannedRow] = []
        if sheet is None or sheet.problems:
            return planned
        seen: dict[Any, int] = {}
        for row in sheet.rows:
            before = len(self.problems)
            item = check(row)
            if item is None or len(self.problems) > before:
                continue
            key = item.extra.get("key", item.extra.get("code"))
            if key in seen:
                self.reject(
                    row, item.extra.get("key_column", "code"), f"trùng với dòng {seen[key]}."
                )
                continue
            seen[key] = row.number
            planned.append(item)
        return planned

    def _check_plan(self, sheet: Sheet) -> None:
        if not sheet.rows:
            self.problem(f"Trang “{sheet.name}”: thiếu dòng kế hoạch (dòng 2).")
            return
        for extra in sheet.rows[1:]:
            self.reject(extra, "symbol", "thừa: mỗi tệp chỉ nhập một kế hoạch (ở dòng 2).")
        row = sheet.rows[0]
        symbol = normalize_symbol(normalize(row.text("symbol")))
        if not symbol:
            self.reject(row, "symbol", "số, ký hiệu kế hoạch là bắt buộc.")
            return
        try:
            self.plan = plan_find(symbol=symbol, user=None)
        except PlanLookupError:
            self.plan = None
        issued_on = None
        if row.text("issued_on"):
            try:
                issued_on = cell_date(row.raw("issued_on"))
            except Invalid as exc:
                self.reject(row, "issued_on", exc.reason)
        if self.plan is not None and issued_on and issued_on != self.plan.document.issued_on:
            known = self.plan.document.issued_on
            self.reject(
                row,
                "issued_on",
                "khác ngày ban hành đã có trong hệ thống "
                f"({format_date(known) if known else 'chưa ghi'}): ngày của văn bản không "
                "sửa qua tệp này.",
            )
        title = row.text("title")
        if not title:
            self.reject(row, "title", "tên kế hoạch là bắt buộc.")
        owner = None
        if not row.text("owner_unit"):
            self.reject(row, "owner_unit", "đơn vị ban hành là bắt buộc.")
        else:
            owner = self.find(self.units, row, "owner_unit")
        for unit in {owner, self.plan.owner_unit if self.plan else None} - {None}:
            if self.user is not None and not can(self.user, "data.manage", unit):
                self.reject(
                    row,
                    "owner_unit",
                    f"không nhập được: bạn không có quyền quản trị dữ liệu của {unit.name}.",
                )
        self.plan_row = PlannedRow(
            row, {"title": title, "owner_unit": owner}, {"symbol": symbol, "issued_on": issued_on}
        )

    def _group(self, row: Row) -> str | None:
        code = row.text("group")
        if code and code not in self.group_codes:
            self.reject(row, "group", f"không có nhóm mã này (trang “{GROUPS.name}”).")
        return code or None

    def _check_group(self, row: Row) -> PlannedRow | None:
        code = self.text(row, "code", TaskGroup, "code")
        if not code:
            self.reject(row, "code", "mã nhóm là bắt buộc.")
        if not row.text("title"):
            self.reject(row, "title", "tên nhóm là bắt buộc.")
        return PlannedRow(row, {"title": row.text("title")}, {"code": code})

    def _lead(self, row: Row) -> OrgUnit | None:
        return self.find(self.units, row, "lead_unit") if row.text("lead_unit") else None

    def _check_task(self, row: Row) -> PlannedRow | None:
        code = self.text(row, "code", Task, "code")
        if not code:
            self.reject(row, "code", "mã nhiệm vụ là bắt buộc.")
        title = row.text("title")
        if not title:
            self.reject(row, "title", "nội dung nhiệm vụ là bắt buộc.")
        coordinating = []
        for part in re.split(r"[;\n]", row.text("coordinating_units")):
            if part.strip():
                unit = self.find(self.units, row, "coordinating_units", part.strip())
                if unit is not None and unit not in coordinating:
                    coordinating.append(unit)
        values = {
            "group": self._group(row),
            "title": title,
            "lead_unit": self._lead(row),
            "lead_text": self.text(row, "lead_text", Task, "lead_text"),
            "coordinating_text": row.text("coordinating_text"),
            "output": row.text("output"),
        }
        existing = self.existing_tasks.get(code)
        deadline = row.text("deadline")
        if existing is None or deadline != deadline_display(existing):
            values.update(self._deadline(row, deadline))
        return PlannedRow(row, values, {"code": code, "coordinating": coordinating})

    def _deadline(self, row: Row, text: str) -> dict[str, Any]:
        if not text:
            return {"deadline_kind": "per_source", "deadline_date": None, "deadline_text": ""}
        if len(text) > Task._meta.get_field("deadline_text").max_length:
            self.reject(row, "deadline", "dài quá 128 ký tự.")
            return {}
        try:
            deadline = parse_deadline(text)
        except DeadlineError:
            if re.fullmatch(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}", text):
                self.reject(row, "deadline", "không phải ngày hợp lệ (dd/mm/yyyy).")
            else:
                self.reject(
                    row,
                    "deadline",
                    "không phải thời hạn đọc được; cách viết được chấp nhận: “Tháng 12/2025”, "
                    "“Quý II/2026”, “Năm 2026”, “31/12/2025”, “Hằng năm”, “Thường xuyên”, "
                    "“Theo văn bản nguồn” (hoặc để trống).",
                )
            return {}
        return {
            "deadline_kind": deadline.kind.value,
            "deadline_date": deadline.due,
            "deadline_text": text,
        }

    def _check_indicator(self, row: Row) -> PlannedRow | None:
        code = self.text(row, "code", Indicator, "code")
        if not code:
            self.reject(row, "code", "mã chỉ tiêu là bắt buộc.")
        name = row.text("name")
        if not name:
            self.reject(row, "name", "tên chỉ tiêu là bắt buộc.")
        direction_text = row.text("direction")
        directions = {fold(label): value for value, label in DIRECTION_LABELS.items()}
        directions.update({value: value for value in DIRECTION_LABELS})
        direction = directions.get(fold(direction_text)) if direction_text else "higher"
        if direction is None:
            choices = " hoặc ".join(f"“{label}”" for label in DIRECTION_LABELS.values())
            self.reject(row, "direction", f"không hợp lệ: chọn {choices}.")
        values = {
            "group": self._group(row),
            "name": name,
            "unit": self.text(row, "unit", Indicator, "unit") or "%",
            "direction": direction,
            "lead_unit": self._lead(row),
            "lead_text": self.text(row, "lead_text", Indicator, "lead_text"),
            "output": self.text(row, "output", Indicator, "output"),
        }
        return PlannedRow(row, values, {"code": code})

    def _check_target(self, row: Row) -> PlannedRow | None:
        code = row.text("indicator")
        if not code:
            self.reject(row, "indicator", "mã chỉ tiêu là bắt buộc.")
        elif code not in self.indicator_codes:
            self.reject(row, "indicator", f"không có chỉ tiêu mã này (trang “{INDICATORS.name}”).")
        year = None
        try:
            year = cell_integer(row.raw("year"))
            if not 2000 <= year <= 2100:
                self.reject(row, "year", "không phải mốc năm hợp lệ (từ 2000 đến 2100).")
        except Invalid:
            reason = (
                "không phải mốc năm (ví dụ 2030)." if row.text("year") else "mốc năm là bắt buộc."
            )
            self.reject(row, "year", reason)
        text = self.text(row, "target", IndicatorTarget, "text")
        values: dict[str, Any] = {}
        if not text:
            self.reject(row, "target", "mục tiêu là bắt buộc.")
        else:
            try:
                target = parse_target(text)
            except TargetError:
                self.reject(
                    row,
                    "target",
                    "không phải mục tiêu đọc được; ví dụ cách viết: “95%”, “≥ 80%”, "
                    "“45–50%”, “phấn đấu ít nhất 3%”, “tối đa 10”.",
                )
            else:
                values = {
                    "comparator": target.comparator.value,
                    "value": target.value,
                    "value_high": target.high,
                    "text": text,
                    "effective_from": None,
                }
        return PlannedRow(
            row, values, {"code": code, "year": year, "key": (code, year), "key_column": "year"}
        )

    # -- writing --

    def apply(self) -> None:
        user = self.user or data_user()
        planned = self.plan_row
        assert planned is not None
        symbol = planned.extra["symbol"]
        plan = self.plan
        if plan is None:
            document = self._document(planned, user)
            values = {**planned.values}
            plan, _ = upsert(
                Plan, lookup={"document": document}, values=values, user=user, reason=self.reason
            )
            self.record(PLAN.name, f"Kế hoạch {symbol}", planned.row, None, [])
        else:
            fields = differences(plan, planned.values)
            plan, _ = upsert(
                Plan,
                lookup={"pk": plan.pk},
                values=planned.values,
                user=user,
                reason=self.reason,
            )
            self.record(PLAN.name, f"Kế hoạch {symbol}", planned.row, plan, fields)
        self.position = max(
            [0]
            + [g.position for g in plan.groups.all()]
            + [t.position for t in plan.tasks.all()]
            + [i.position for i in plan.indicators.all()]
        )
        groups = dict(self.existing_groups)
        assigned: list[Task] = []
        for item in self.groups:
            code = item.extra["code"]
            obj = self._upsert(
                TaskGroup,
                item,
                GROUPS.name,
                f"Nhóm {code}",
                {"plan": plan, "code": code},
                item.values,
                groups.get(code),
                user,
            )
            if obj is not None:
                groups[code] = obj
        for item in self.tasks:
            code = item.extra["code"]
            values = {**item.values, "group": groups.get(item.values["group"] or "")}
            existing = self.existing_tasks.get(code)
            wanted = item.extra["coordinating"]
            current = list(existing.coordinating_units.all()) if existing else []
            extra_fields = []
            if {u.pk for u in current} != {u.pk for u in wanted}:
                if existing is not None:
                    extra_fields.append(
                        (field_label(Task, "coordinating_units"), _names(current), _names(wanted))
                    )
                after = partial(self._coordinating, wanted=wanted, user=user)
            else:
                after = None
            lead_before = existing.lead_unit_id if existing else None
            task = self._upsert(
                Task,
                item,
                TASKS.name,
                f"Nhiệm vụ {code}",
                {"plan": plan, "code": code},
                values,
                existing,
                user,
                extra_fields=extra_fields,
                after=after,
            )
            if task is not None and (existing is None or task.lead_unit_id != lead_before):
                assigned.append(task)
        indicators = dict(self.existing_indicators)
        for item in self.indicators:
            code = item.extra["code"]
            values = {**item.values, "group": groups.get(item.values["group"] or "")}
            existing = indicators.get(code)
            if existing is None:
                values.update(self._new_indicator(plan, code, values, user))
            obj = self._upsert(
                Indicator,
                item,
                INDICATORS.name,
                f"Chỉ tiêu {code}",
                {"plan": plan, "code": code},
                values,
                existing,
                user,
            )
            if obj is not None:
                indicators[code] = obj
        targets = {
            (t.indicator.code, t.year): t
            for t in IndicatorTarget.objects.filter(
                indicator__plan=plan, adjusted_by__isnull=True
            ).select_related("indicator")
        }
        for item in self.targets:
            code, year = item.extra["code"], item.extra["year"]
            self._upsert(
                IndicatorTarget,
                item,
                TARGETS.name,
                f"Mục tiêu chỉ tiêu {code}, mốc {year}",
                {"indicator": indicators[code], "year": year, "adjusted_by": None},
                item.values,
                targets.get((code, year)),
                user,
                key="target",
            )
        plan_tasks_assigned_notify(plan, assigned)
        from theodoi.search.index import search_index_refresh

        search_index_refresh(
            documents=[plan.document], tasks=plan.tasks.all(), indicators=plan.indicators.all()
        )

    def _upsert(
        self,
        model: type[models.Model],
        item: PlannedRow,
        list_label: str,
        label: str,
        lookup: dict[str, Any],
        values: dict[str, Any],
        existing: models.Model | None,
        user: Any,
        *,
        key: str = "code",
        extra_fields: list[tuple[str, str, str]] | None = None,
        after: Callable[[Any], None] | None = None,
    ) -> Any:
        """Upsert one row in a savepoint and record it in the preview."""
        if existing is None:
            values = {**values, **self._next_position(model)}
        fields = differences(existing, values) + (extra_fields or [])

        def write() -> Any:
            obj, _ = upsert(model, lookup=lookup, values=values, user=user, reason=self.reason)
            if after is not None:
                after(obj)
            return obj

        obj = self.guarded(item.row, key, write)
        if obj is not None:
            self.record(list_label, label, item.row, existing, fields)
        return obj

    def _next_position(self, model: type[models.Model]) -> dict[str, Any]:
        if not any(f.name == "position" for f in model._meta.fields):
            return {}
        self.position += 1
        return {"position": self.position}

    def _new_indicator(
        self, plan: Plan, code: str, values: dict[str, Any], user: Any
    ) -> dict[str, Any]:
        """A new indicator gets the data element its actual values are stored under, named as
        the dataset loader names it."""
        symbol = plan.document.symbol
        element, _ = upsert(
            DataElement,
            lookup={"code": f"indicator.{fold(symbol)}.{code}"},
            values={
                "name": values["name"][:255],
                "unit": values["unit"],
                "description": f"Giá trị thực hiện chỉ tiêu {code} của {symbol}.",
            },
            user=user,
            reason=self.reason,
        )
        return {"data_element": element}

    def _coordinating(self, task: Task, *, wanted: list[OrgUnit], user: Any) -> None:
        # The m2m change writes its own history row, with the same user and reason.
        task._history_user = user  # type: ignore[attr-defined]
        task._change_reason = self.reason  # type: ignore[attr-defined]
        task.coordinating_units.set(wanted)

    def _document(self, planned: PlannedRow, user: Any) -> Document:
        """The document of a new plan: the one with its symbol if there is exactly one not yet
        a plan, else a new document."""
        symbol = planned.extra["symbol"]
        issued_on = planned.extra["issued_on"]
        candidates = [
            d
            for d in Document.objects.filter(symbol__iexact=symbol)
            if not Plan.objects.filter(document=d).exists()
            and (issued_on is None or d.issued_on in (None, issued_on))
        ]
        if len(candidates) == 1:
            return candidates[0]
        owner = planned.values["owner_unit"]
        kind = next(
            (
                SYMBOL_TYPES[part.upper()]
                for part in re.split(r"[-/]", symbol)
                if part.upper() in SYMBOL_TYPES
            ),
            DocumentType.OTHER.value,
        )
        document, _ = upsert(
            Document,
            lookup={"key": document_key(symbol, issued_on)},
            values={
                "doc_type": kind,
                "symbol": symbol,
                "issued_on": issued_on,
                "issuer": owner.name,
                "issuer_unit": owner,
                "subject": planned.values["title"],
            },
            user=user,
            reason=self.reason,
        )
        return document  # type: ignore[return-value]


def _names(units: list[OrgUnit]) -> str:
    return "; ".join(u.name for u in units) or "(trống)"
