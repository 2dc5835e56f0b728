"""Templates and exports: the rows of each list, written to XLSX (openpyxl) or CSV.

A template is an export meant to be filled in: a plan template is the plan as it stands, so
export → edit → import changes exactly what was edited; progress and figure templates list
what a unit reports for a period, prefilled with what it has already entered (illustrative
data is never prefilled). Every workbook has the “Hướng dẫn” sheet, the “Danh mục” lists
behind its drop-downs and a hidden sheet saying what it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from theodoi.domain import periods as p
from theodoi.domain.formatting import format_date
from theodoi.domain.text import fold
from theodoi.exchange.excel.layout import (
    DIRECTION_LABELS,
    FORMAT_VERSION,
    GROUPS,
    INDICATORS,
    INSTRUCTIONS,
    LISTS,
    META,
    PLAN,
    PROGRESS,
    REPORTED_STATE_LABELS,
    SHEETS,
    TARGETS,
    TASKS,
    VALUES,
    CellType,
    Kind,
    SheetLayout,
    instructions,
)
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan, Task
from theodoi.plans.selectors import plan_indicators, plan_tasks
from theodoi.progress.models import DataElement, DataValue, Period, TaskUpdate
from theodoi.progress.selectors.entry import entry_elements, entry_rows, period_stored_or_unsaved

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
READ_ONLY_FILL = PatternFill("solid", fgColor="EDEDED")
DATA_ROWS = 1000  # rows below the data that still get drop-downs and formats
# Text columns stay text: Excel would otherwise read the code "1.10" as 1.1, "95%" as 0.95 and
# the deadline "12/2025" as a date.
NUMBER_FORMATS = {CellType.TEXT: "@", CellType.NUMBER: "General", CellType.DATE: "DD/MM/YYYY"}


@dataclass
class Export:
    """What a workbook holds: its kind, the rows of each sheet, and who and when it is for."""

    kind: Kind
    sheets: dict[str, list[dict[str, Any]]]
    context: list[str]
    meta: dict[str, str] = field(default_factory=dict)
    periods: list[str] = field(default_factory=list)


# --- Rows -------------------------------------------------------------------------------------


def deadline_display(task: Task) -> str:
    """The deadline as the plan writes it (or the due date when no text was kept)."""
    if task.deadline_text:
        return task.deadline_text
    return format_date(task.deadline_date) if task.deadline_date else ""


def plan_export(plan: Plan | None) -> Export:
    """The plan's sheets (empty sheets for a new plan)."""
    if plan is None:
        return Export(
            Kind.PLAN,
            {s.name: [] for s in SHEETS[Kind.PLAN]},
            ["Tệp trống để nhập một kế hoạch mới: điền trang “Kế hoạch” (một dòng) trước."],
        )
    document = plan.document
    sheets: dict[str, list[dict[str, Any]]] = {
        PLAN.name: [
            {
                "symbol": document.symbol,
                "issued_on": document.issued_on,
                "title": plan.title,
                "owner_unit": plan.owner_unit.name,
            }
        ],
        GROUPS.name: [{"code": g.code, "title": g.title} for g in plan.groups.order_by("position")],
        TASKS.name: [],
        INDICATORS.name: [],
        TARGETS.name: [],
    }
    for task in plan_tasks(plan=plan, user=None):
        sheets[TASKS.name].append(
            {
                "code": task.code,
                "group": task.group.code if task.group else "",
                "title": task.title,
                "lead_unit": task.lead_unit.name if task.lead_unit else "",
                "lead_text": task.lead_text,
                "coordinating_units": "; ".join(
                    u.name for u in sorted(task.coordinating_units.all(), key=lambda u: u.path)
                ),
                "coordinating_text": task.coordinating_text,
                "deadline": deadline_display(task),
                "output": task.output,
            }
        )
    for indicator in plan_indicators(plan=plan, user=None):
        sheets[INDICATORS.name].append(
            {
                "code": indicator.code,
                "group": indicator.group.code if indicator.group else "",
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": DIRECTION_LABELS.get(indicator.direction, indicator.direction),
                "lead_unit": indicator.lead_unit.name if indicator.lead_unit else "",
                "lead_text": indicator.lead_text,
                "output": indicator.output,
            }
        )
        for target in indicator.targets.all():
            if target.adjusted_by_id is None:
                sheets[TARGETS.name].append(
                    {
                        "indicator": indicator.code,
                        "year": target.year,
                        "target": target.text,
                        "name": indicator.name,
                    }
                )
    context = [
        f"Kế hoạch: {document.symbol} — {plan.title}",
        f"Đơn vị ban hành: {plan.owner_unit.name} ({plan.owner_unit.code}).",
        "Các mục tiêu do văn bản sau điều chỉnh không có ở đây: xem trên giao diện web.",
    ]
    return Export(Kind.PLAN, sheets, context, meta={"plan": document.symbol})


period_unsaved = period_stored_or_unsaved  # one implementation, in progress.selectors


def _update_cells(update: TaskUpdate | None) -> dict[str, Any]:
    if update is None:
        return {}
    return {
        "reported_state": REPORTED_STATE_LABELS.get(update.reported_state, ""),
        "progress_percent": update.progress_percent,
        "completion_date": update.completion_date,
        "results": update.results,
        "difficulties": update.difficulties,
        "causes": update.causes,
        "proposals": update.proposals,
        "next_steps": update.next_steps,
    }


def _state_label(update: TaskUpdate | None) -> str:
    if update is None:
        return "Chưa báo cáo"
    label = update.get_state_display()
    return f"{label} (dữ liệu minh họa)" if update.is_illustrative else label


def _task_cells(task: Task) -> dict[str, Any]:
    return {
        "plan": task.plan.document.symbol,
        "code": task.code,
        "title": task.title,
        "deadline": deadline_display(task) or "Theo văn bản nguồn",
        "unit": task.reporting_unit.name,
    }


def progress_template(unit: OrgUnit, period: p.Period) -> Export:
    """The tasks ``unit`` reports for ``period``, with what it has entered so far."""
    stored = period_unsaved(period)
    rows = []
    for row in entry_rows(unit=unit, period=stored, user=None):
        update = row.update if row.update is not None and not row.update.is_illustrative else None
        rows.append({**_task_cells(row.task), "state": _state_label(row.update)})
        rows[-1].update(_update_cells(update))
    context = [
        f"Đơn vị báo cáo: {unit.name} ({unit.code}).",
        f"Kỳ báo cáo: {period.label} ({period.code}), "
        f"từ {format_date(period.start)} đến {format_date(period.end)}.",
        "Mỗi dòng là một nhiệm vụ đơn vị báo cáo trong kỳ; dòng không ghi gì ở các cột tiến độ "
        "được bỏ qua. Nhiệm vụ đã hoàn thành cần ngày hoàn thành và kết quả.",
        "Tiến độ nhập vào là bản nháp: kiểm tra rồi gửi báo cáo tiến độ trên giao diện web.",
    ]
    return Export(
        Kind.PROGRESS,
        {PROGRESS.name: rows},
        context,
        meta={"unit": unit.code, "period": period.code},
        periods=[period.code],
    )


def progress_export(period: p.Period, unit: OrgUnit | None) -> Export:
    """Every task update of ``period`` (of ``unit`` only, if given), illustrative included
    and marked."""
    updates = (
        TaskUpdate.objects.filter(period__code=period.code)
        .select_related("task__plan__document", "task__lead_unit", "task__plan__owner_unit")
        .order_by("org_unit__path", "task__plan_id", "task__position")
    )
    if unit is not None:
        updates = updates.filter(org_unit=unit)
    rows = [{**_task_cells(u.task), "state": _state_label(u), **_update_cells(u)} for u in updates]
    scope = f"{unit.name} ({unit.code})" if unit else "mọi đơn vị"
    context = [f"Tiến độ nhiệm vụ kỳ {period.label} ({period.code}) của {scope}."]
    meta = {"period": period.code, **({"unit": unit.code} if unit else {})}
    return Export(Kind.PROGRESS, {PROGRESS.name: rows}, context, meta=meta, periods=[period.code])


def source_label(value: DataValue) -> str:
    if value.is_illustrative:
        return "Dữ liệu minh họa"
    if value.source_document is not None:
        line = f", dòng {value.source_line}" if value.source_line else ""
        return f"Văn bản {value.source_document}{line}"
    if value.entered_by is not None:
        return f"Nhập bởi {value.entered_by.get_username()}"
    return ""


def _value_cells(value: DataValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "comment": value.comment,
        "breakdown": value.breakdown,
        "source": source_label(value),
    }


def _element_cells(element: DataElement) -> dict[str, Any]:
    return {"element": element.code, "element_name": element.name, "element_unit": element.unit}


def values_template(period: p.Period, unit: OrgUnit | None) -> Export:
    """The figures ``unit`` (or every unit) enters for ``period``, with the values entered so
    far (not illustrative ones)."""
    units = [unit] if unit else list(_entering_units())
    pairs: dict[tuple[int, int], tuple[DataElement, OrgUnit]] = {}
    for entering in units:
        for entry in entry_elements(unit=entering):
            pairs.setdefault((entry.element.id, entry.area.id), (entry.element, entry.area))
    stored = {
        (v.element_id, v.org_unit_id): v
        for v in DataValue.objects.filter(period__code=period.code, breakdown="").select_related(
            "entered_by", "source_document"
        )
    }
    rows = []
    for key, (element, area) in pairs.items():
        row = {"unit": area.code, "period": period.code, **_element_cells(element)}
        value = stored.get(key)
        if value is not None and not value.is_illustrative:
            row.update(_value_cells(value))
        rows.append(row)
    scope = f"{unit.name} ({unit.code})" if unit else "các đơn vị"
    context = [
        f"Số liệu {scope} nhập cho kỳ {period.label} ({period.code}), "
        f"từ {format_date(period.start)} đến {format_date(period.end)}.",
        "Điền cột “Giá trị”; ô để trống không được nhập (không xóa số đã có).",
    ]
    meta = {"period": period.code, **({"unit": unit.code} if unit else {})}
    return Export(Kind.VALUES, {VALUES.name: rows}, context, meta=meta, periods=[period.code])


def values_export(period: p.Period, unit: OrgUnit | None) -> Export:
    """Every value stored for ``period`` (of ``unit`` only, if given), with its source."""
    values = (
        DataValue.objects.filter(period__code=period.code)
        .select_related("element", "org_unit", "entered_by", "source_document", "period")
        .order_by("org_unit__path", "element__code", "breakdown")
    )
    if unit is not None:
        values = values.filter(org_unit=unit)
    rows = [
        {
            "unit": v.org_unit.code,
            "period": v.period.code,
            **_element_cells(v.element),
            **_value_cells(v),
        }
        for v in values
    ]
    scope = f"{unit.name} ({unit.code})" if unit else "mọi đơn vị"
    context = [f"Số liệu kỳ {period.label} ({period.code}) của {scope}."]
    meta = {"period": period.code, **({"unit": unit.code} if unit else {})}
    return Export(Kind.VALUES, {VALUES.name: rows}, context, meta=meta, periods=[period.code])


def _entering_units():
    return (
        OrgUnit.objects.filter(Q(reported_elements__isnull=False) | Q(led_indicators__isnull=False))
        .distinct()
        .order_by("path")
    )


# --- Lists behind the drop-downs -----------------------------------------------------------


@dataclass(frozen=True)
class ListColumn:
    header: str
    values: list[str]


def _lists(export: Export) -> dict[str, ListColumn]:
    today = timezone.localdate()
    units = [u for u in OrgUnit.objects.order_by("path") if u.is_valid_on(today)]
    periods = list(Period.objects.order_by("start", "end").values_list("code", flat=True))
    periods += [c for c in export.periods if c not in periods]
    elements = list(DataElement.objects.order_by("code"))
    return {
        "unit_code": ListColumn("Mã đơn vị", [u.code for u in units]),
        "unit_name": ListColumn("Tên đơn vị", [u.name for u in units]),
        "state": ListColumn("Tình hình thực hiện", list(REPORTED_STATE_LABELS.values())),
        "direction": ListColumn("Chiều tốt", list(DIRECTION_LABELS.values())),
        "period": ListColumn("Kỳ báo cáo", periods),
        "element_code": ListColumn("Mã số liệu", [e.code for e in elements]),
        "element_name": ListColumn("Tên số liệu", [e.name for e in elements]),
    }


# (sheet, column key) → (list, strict): strict lists refuse other values in Excel, the others
# only warn, since a name or a code typed by hand is also accepted.
DROPDOWNS: dict[tuple[str, str], tuple[str, bool]] = {
    (PLAN.name, "owner_unit"): ("unit_name", False),
    (TASKS.name, "lead_unit"): ("unit_name", False),
    (INDICATORS.name, "lead_unit"): ("unit_name", False),
    (INDICATORS.name, "direction"): ("direction", True),
    (PROGRESS.name, "reported_state"): ("state", True),
    (VALUES.name, "unit"): ("unit_code", False),
    (VALUES.name, "element"): ("element_code", False),
    (VALUES.name, "period"): ("period", False),
}


# --- Writing ----------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def workbook_bytes(export: Export) -> bytes:
    """The export as an XLSX workbook: instructions, the data sheets, the lists, metadata."""
    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS
    guide.column_dimensions["A"].width = 130
    for index, line in enumerate(instructions(export.kind, context=export.context), start=1):
        cell = guide.cell(row=index, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 1 or (line.isupper() and line):
            cell.font = Font(bold=True)
    lists = _lists(export)
    list_ranges = {}
    for position, (key, column) in enumerate(lists.items(), start=1):
        letter = get_column_letter(position)
        last = max(len(column.values), 1) + 1
        list_ranges[key] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${last}"
    for layout in SHEETS[export.kind]:
        _write_sheet(workbook, layout, export.sheets.get(layout.name, []), list_ranges)
    sheet = workbook.create_sheet(LISTS)
    for position, column in enumerate(lists.values(), start=1):
        sheet.cell(row=1, column=position, value=column.header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(position)].width = 28
        for row, text in enumerate(column.values, start=2):
            sheet.cell(row=row, column=position, value=_cell_value(text))
    meta = workbook.create_sheet(META)
    meta.sheet_state = "hidden"
    entries = {
        "kind": export.kind.value,
        "version": str(FORMAT_VERSION),
        **export.meta,
        "created": timezone.now().isoformat(timespec="seconds"),
    }
    for row, (key, value) in enumerate(entries.items(), start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value).data_type = "s"
    workbook.active = 0  # opens on the instructions (moving it would leave two tabs selected)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    workbook: Workbook, layout: SheetLayout, rows: list[dict[str, Any]], list_ranges: dict
) -> None:
    sheet = workbook.create_sheet(layout.name)
    last_row = len(rows) + 1 + DATA_ROWS
    for position, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = Font(bold=True, italic=column.read_only)
        cell.fill = READ_ONLY_FILL if column.read_only else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = NUMBER_FORMATS[column.type]
        dropdown = DROPDOWNS.get((layout.name, column.key))
        if dropdown is not None:
            list_key, strict = dropdown
            validation = DataValidation(
                type="list",
                formula1=list_ranges[list_key],
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if strict else "warning",
                errorTitle="Giá trị ngoài danh sách",
                error="Hãy chọn trong danh sách (trang “Danh mục”).",
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
        if column.key == "progress_percent":
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2="100",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Tiến độ không hợp lệ",
                error="Tiến độ là số nguyên từ 0 đến 100.",
            )
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for index, row in enumerate(rows, start=2):
        for position, column in enumerate(layout.columns, start=1):
            value = _cell_value(row.get(column.key))
            if value is None or value == "":
                continue
            cell = sheet.cell(row=index, column=position, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text starting with "=" is text, not a formula
                cell.number_format = "@"
            elif isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cell.alignment = wrap if column.wrap else top
            if column.read_only:
                cell.fill = READ_ONLY_FILL
    sheet.freeze_panes = "A2"
    # Headers wrap onto two or three lines; spreadsheet programs do not grow a row by themselves.
    sheet.row_dimensions[1].height = 45
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(layout.columns))}{max(len(rows), 1) + 1}"


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = str(value)
    if text[:1] in ("=", "+", "@", "\t", "\r"):
        text = "'" + text  # a spreadsheet would run it as a formula
    return text


def csv_bytes(layout: SheetLayout, rows: list[dict[str, Any]]) -> bytes:
    """One list as CSV, UTF-8 with a BOM so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in layout.columns])
    for row in rows:
        writer.writerow([_csv_text(row.get(c.key)) for c in layout.columns])
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(export: Export, stem: str) -> dict[str, bytes]:
    """One CSV per list: ``stem.csv`` for a single list, ``stem-<list>.csv`` for several."""
    layouts = SHEETS[export.kind]
    if len(layouts) == 1:
        return {f"{stem}.csv": csv_bytes(layouts[0], export.sheets.get(layouts[0].name, []))}
    return {
        f"{stem}-{fold(layout.name).replace(' ', '-')}.csv": csv_bytes(
            layout, export.sheets.get(layout.name, [])
        )
        for layout in layouts
    }
