"""Importing task progress for a period, saved through ``task_update_save`` as on the web."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from theodoi.domain import periods as p
from theodoi.domain.formatting import format_date
from theodoi.domain.status import ReportedState
from theodoi.domain.text import fold
from theodoi.exchange.excel.base import Import, PlannedRow, differences, show
from theodoi.exchange.excel.layout import PROGRESS, REPORTED_STATE_LABELS, Kind
from theodoi.exchange.excel.reader import Invalid, Row, cell_date, cell_number
from theodoi.exchange.excel.writer import period_unsaved
from theodoi.plans.models import Plan, Task
from theodoi.plans.selectors import PlanLookupError, plan_find
from theodoi.progress.models import Period, TaskUpdate
from theodoi.progress.selectors.entry import entry_rows
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.updates import EDITABLE_FIELDS, task_update_save

STATE_BY_TEXT = {fold(label): value for value, label in REPORTED_STATE_LABELS.items()} | {
    value: value for value in REPORTED_STATE_LABELS
}
# What the service lets a unit write besides the state, percentage and completion date.
PROGRESS_TEXT_FIELDS = tuple(
    f for f in EDITABLE_FIELDS if f not in ("reported_state", "progress_percent", "completion_date")
)


def period_from_meta(importer: Import, kind_hint: str) -> p.Period | None:
    code = importer.workbook.meta.get("period", "")
    if not code:
        importer.problem(
            "Tệp không ghi kỳ báo cáo (trang ẩn “_theodoi”). Hãy tạo tệp bằng lệnh "
            f"theodoi template {kind_hint} --unit MÃ_ĐƠN_VỊ --period KỲ rồi điền vào đó."
        )
        return None
    try:
        return p.parse_period(code)
    except p.PeriodError as exc:
        importer.problem(f"Kỳ báo cáo của tệp không đọc được: {exc}")
        return None


class ProgressImport(Import):
    """Task progress for one period, saved through ``task_update_save`` as on the web."""

    kind = Kind.PROGRESS

    def check(self) -> None:
        self.period = period_from_meta(self, "progress")
        if self.user is None:
            self.problem("Nhập tiến độ cần ghi người nhập: thêm --as TÊN_ĐĂNG_NHẬP.")
        sheet = self.sheet(PROGRESS)
        self.planned: list[PlannedRow] = []
        if sheet is None or sheet.problems or self.period is None:
            return
        self.stored_period = period_unsaved(self.period)
        plans: dict[str, Plan | None] = {}
        tasks: dict[int, dict[str, Task]] = {}
        listed: dict[int, set[int]] = {}
        seen: dict[int, int] = {}
        for row in sheet.rows:
            before = len(self.problems)
            if not any(row.text(key) for key in EDITABLE_FIELDS):
                self.result.tally(PROGRESS.name).skipped += 1  # a task not reported in the file
                continue
            symbol = row.text("plan")
            if symbol not in plans:
                try:
                    plans[symbol] = plan_find(symbol=symbol, user=None) if symbol else None
                except PlanLookupError:
                    plans[symbol] = None
            plan = plans[symbol]
            if plan is None:
                self.reject(row, "plan", "không phải số, ký hiệu của kế hoạch nào trong hệ thống.")
                continue
            if plan.id not in tasks:
                tasks[plan.id] = {
                    t.code: t
                    for t in plan.tasks.select_related(
                        "lead_unit", "plan__owner_unit", "plan__document"
                    )
                }
            task = tasks[plan.id].get(row.text("code"))
            if task is None:
                self.reject(row, "code", f"không có nhiệm vụ mã này trong kế hoạch {plan.symbol}.")
                continue
            values = self._values(row)
            if values is None or len(self.problems) > before:
                continue
            unit = task.reporting_unit
            if unit.id not in listed:
                listed[unit.id] = {
                    r.task.id for r in entry_rows(unit=unit, period=self.stored_period, user=None)
                }
            if task.id not in listed[unit.id]:
                self.reject(
                    row,
                    "code",
                    f"không nằm trong danh sách nhiệm vụ {unit.name} báo cáo kỳ này (đã hoàn "
                    "thành ở kỳ trước và được phê duyệt).",
                )
                continue
            if task.id in seen:
                self.reject(row, "code", f"trùng với dòng {seen[task.id]}.")
                continue
            seen[task.id] = row.number
            self.planned.append(PlannedRow(row, values, {"task": task}))

    def _values(self, row: Row) -> dict[str, Any] | None:
        """The progress in the row, checked as the web form checks it."""
        assert self.period is not None
        state_text = row.text("reported_state")
        state = STATE_BY_TEXT.get(fold(state_text)) if state_text else None
        choices = ", ".join(REPORTED_STATE_LABELS.values())
        if not state_text:
            self.reject(
                row, "reported_state", f"dòng đã ghi tiến độ phải chọn tình hình ({choices})."
            )
            return None
        if state is None:
            self.reject(
                row, "reported_state", f"không phải tình hình thực hiện hợp lệ ({choices})."
            )
            return None
        percent = None
        if row.text("progress_percent"):
            try:
                number = cell_number(row.raw("progress_percent"))
                if number < 0 or number > 100:
                    self.reject(
                        row,
                        "progress_percent",
                        "vượt quá giới hạn: tiến độ là số nguyên từ 0 đến 100 (%).",
                    )
                elif number != number.to_integral_value():
                    hint = (
                        " (ghi 50 cho 50%; ô định dạng % làm 50% thành 0,5)" if number < 1 else ""
                    )
                    self.reject(
                        row, "progress_percent", f"không phải số nguyên từ 0 đến 100{hint}."
                    )
                else:
                    percent = int(number)
            except Invalid as exc:
                self.reject(row, "progress_percent", exc.reason)
        done = None
        if row.text("completion_date"):
            try:
                done = cell_date(row.raw("completion_date"))
            except Invalid as exc:
                self.reject(row, "completion_date", exc.reason)
        texts = {k: row.text(k) for k in PROGRESS_TEXT_FIELDS if row.has(k)}
        if state == ReportedState.COMPLETED.value:
            if done is None and not row.text("completion_date"):
                self.reject(
                    row, "completion_date", "nhiệm vụ đã hoàn thành phải có ngày hoàn thành."
                )
            if percent is not None and percent != 100:
                self.reject(
                    row,
                    "progress_percent",
                    "không hợp lệ: nhiệm vụ đã hoàn thành thì tiến độ là 100%.",
                )
            percent = 100
            if not texts.get("results"):
                self.reject(row, "results", "nhiệm vụ đã hoàn thành phải ghi kết quả đạt được.")
        else:
            if row.text("completion_date"):
                self.reject(
                    row,
                    "completion_date",
                    "không hợp lệ: chỉ ghi ngày hoàn thành khi nhiệm vụ đã hoàn thành.",
                )
            if state == ReportedState.NOT_STARTED.value:
                if percent:
                    self.reject(
                        row,
                        "progress_percent",
                        "không hợp lệ: nhiệm vụ chưa triển khai thì tiến độ là 0%.",
                    )
                percent = 0
            elif percent is None and not row.text("progress_percent"):
                self.reject(
                    row, "progress_percent", "nhiệm vụ đang thực hiện phải ghi tiến độ (%)."
                )
        if done is not None and done > self.period.end:
            self.reject(row, "completion_date", f"sau ngày cuối kỳ {format_date(self.period.end)}.")
        return {
            "reported_state": state,
            "progress_percent": percent,
            "completion_date": done,
            **texts,
        }

    def apply(self) -> None:
        assert self.period is not None
        self.result.path_used = "task_update_save (dịch vụ nhập tiến độ)"
        existed = Period.objects.filter(code=self.period.code).exists()
        period = period_ensure(period=self.period, user=self.user, reason=self.reason)
        if not existed:
            self.result.tally("Kỳ báo cáo").created += 1
        updates = {
            u.task_id: u
            for u in TaskUpdate.objects.filter(
                period=period, task__in=[item.extra["task"] for item in self.planned]
            )
        }
        for item in self.planned:
            task = item.extra["task"]
            existing = updates.get(task.id)
            fields = differences(existing, item.values, shown=_show_progress)
            if existing is not None and not fields:
                self.result.tally(PROGRESS.name).unchanged += 1
                continue
            saved = self._save(item, task, period)
            if saved is not None:
                label = f"Tiến độ nhiệm vụ {task.code} ({task.plan.document.symbol})"
                self.record(PROGRESS.name, label, item.row, existing, fields)

    def _save(self, item: PlannedRow, task: Task, period: Period) -> Any:
        """Save through the service; its refusals become problems on the row."""
        row = item.row
        try:
            return task_update_save(
                task=task, period=period, user=self.user, values=item.values, reason=self.reason
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    key = name if name in row.sheet.positions else "code"
                    self.reject(row, key, "không lưu được: " + " ".join(messages))
            else:
                self.reject(row, "code", "không lưu được: " + " ".join(exc.messages))
        except PermissionDenied as exc:
            self.reject(row, "code", f"không lưu được: {exc}")
        return None


def _show_progress(name: str, value: Any) -> str:
    if name == "reported_state":
        return REPORTED_STATE_LABELS.get(value, show(value))
    return show(value)
