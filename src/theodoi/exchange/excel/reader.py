"""Reading a workbook with python-calamine, and what a cell's value means.

Every problem found in a cell becomes a :class:`CellProblem` naming the sheet, the row, the
column and the value as the user sees them, so the message points at the cell to fix.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from theodoi.domain.formatting import (
    FormatError,
    format_date,
    format_number,
    parse_date,
    parse_number,
)
from theodoi.domain.text import fold
from theodoi.exchange.excel.layout import META, SheetLayout, header_key
from theodoi.exchange.excel.limits import WorkbookError, workbook_check


@dataclass(frozen=True)
class CellProblem:
    """Why a cell (or, with ``row`` 0, a whole sheet) is rejected."""

    sheet: str
    row: int
    column: str
    letter: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        if not self.row:
            return f"Trang “{self.sheet}”: {self.reason}"
        where = (
            f"Trang “{self.sheet}”, dòng {self.row}, cột “{self.column}” ({self.letter}{self.row})"
        )
        if self.value == "":
            return f"{where}: ô trống: {self.reason}"
        return f"{where}: “{self.value}” {self.reason}"


class Invalid(ValueError):
    """A cell value that cannot be used; ``reason`` follows the quoted value in the message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Row:
    """One data row: its Excel row number and its cells by column key."""

    sheet: Sheet
    number: int
    cells: dict[str, Any]

    def raw(self, key: str) -> Any:
        return self.cells.get(key)

    def has(self, key: str) -> bool:
        return key in self.sheet.positions

    def text(self, key: str) -> str:
        return cell_text(self.cells.get(key))

    def problem(self, key: str, reason: str, *, value: Any = None) -> CellProblem:
        column = self.sheet.layout.column(key)
        position = self.sheet.positions.get(key)
        letter = get_column_letter(position + 1) if position is not None else "?"
        shown = cell_shown(self.cells.get(key)) if value is None else str(value)
        return CellProblem(
            self.sheet.name, self.number, column.header, letter, shown.replace("\n", " "), reason
        )


@dataclass
class Sheet:
    """A sheet read against its layout: which column holds which key, and the data rows."""

    layout: SheetLayout
    name: str
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class Workbook:
    path: Path
    sheet_names: list[str]
    meta: dict[str, str]
    grids: dict[str, list[list[Any]]]  # by folded sheet name
    name: str = ""  # the file's name as the user knows it (an upload is stored renamed)

    def sheet(self, layout: SheetLayout, *, required: bool = True) -> Sheet | None:
        grid = self.grids.get(fold(layout.name))
        if grid is None:
            if not required:
                return None
            sheet = Sheet(layout, layout.name)
            sheet.problems.append(
                CellProblem(layout.name, 0, "", "", "", "thiếu trang này trong tệp.")
            )
            return sheet
        name = next(n for n in self.sheet_names if fold(n) == fold(layout.name))
        return read_sheet(layout, name, grid)


def open_workbook(path: Path, *, name: str | None = None) -> Workbook:
    """Read every sheet of ``path`` with calamine (values only, fast), once
    :func:`.limits.workbook_check` has found it within bounds. ``name`` is the file's name
    as the user knows it, for messages (default: the name of ``path``)."""
    name = name or path.name
    if not path.is_file():
        raise WorkbookError(f"Không thấy tệp “{name}”.")
    workbook_check(path, name=name)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        with workbook:
            names = list(workbook.sheet_names)
            grids = {}
            for sheet_name in names:
                sheet = workbook.get_sheet_by_name(sheet_name)
                grids[fold(sheet_name)] = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise WorkbookError(
            f"Không đọc được tệp “{name}” như một bảng tính Excel (.xlsx): {exc}"
        ) from None
    meta: dict[str, str] = {}
    for line in grids.pop(fold(META), []):
        if len(line) >= 2 and cell_text(line[0]):
            meta[cell_text(line[0])] = cell_text(line[1])
    return Workbook(path, [n for n in names if n != META], meta, grids, name)


def read_sheet(layout: SheetLayout, name: str, grid: list[list[Any]]) -> Sheet:
    """Find the columns by the header row (row 1) and keep the non-empty rows below it."""
    sheet = Sheet(layout, name)
    header = grid[0] if grid else []
    by_key = {c.match_key: c for c in layout.columns}
    for position, text in enumerate(header):
        column = by_key.get(header_key(cell_text(text)))
        if column is not None and column.key not in sheet.positions:
            sheet.positions[column.key] = position
    for column in layout.columns:
        if column.required and column.key not in sheet.positions:
            sheet.problems.append(
                CellProblem(
                    name, 0, column.header, "", "", f"thiếu cột “{column.header}” ở dòng 1."
                )
            )
    for index, line in enumerate(grid[1:], start=2):
        cells = {
            key: line[position] if position < len(line) else None
            for key, position in sheet.positions.items()
            if not layout.column(key).read_only
        }
        if all(cell_text(v) == "" for v in cells.values()):
            continue
        sheet.rows.append(Row(sheet, index, cells))
    return sheet


def clean_text(text: str) -> str:
    """NFC, line breaks as ``\\n``, no spaces around: the stored form of a text cell."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def cell_text(value: Any) -> str:
    """A cell as the text the user sees in it (numbers without a trailing .0, dates
    dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return format_date(value.date()) if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def cell_shown(value: Any) -> str:
    """A cell as a Vietnamese spreadsheet shows it: numbers with a decimal comma."""
    if isinstance(value, float) and not isinstance(value, bool):
        number = Decimal(repr(value)).normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        return format_number(number, places)
    return cell_text(value)


def cell_number(value: Any) -> Decimal:
    """A number cell, or text written the Vietnamese way (1.495; 98,39)."""
    if isinstance(value, bool):
        raise Invalid("không phải số.")
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise Invalid("không phải số.") from None
        if not number.is_finite():
            raise Invalid("không phải số.")
        return number
    if isinstance(value, str):
        try:
            return parse_number(value)
        except FormatError:
            raise Invalid(
                "không phải số (viết kiểu Việt Nam: dấu chấm phân cách hàng nghìn, dấu phẩy "
                "thập phân, ví dụ 1.495 hoặc 98,39)."
            ) from None
    raise Invalid("không phải số.")


def cell_date(value: Any) -> dt.date:
    """A date cell, or text dd/mm/yyyy (or yyyy-mm-dd)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except FormatError:
            pass
    raise Invalid("không phải ngày hợp lệ (dd/mm/yyyy).")


def cell_integer(value: Any) -> int:
    number = cell_number(value)
    if number != number.to_integral_value():
        raise Invalid("không phải số nguyên.")
    return int(number)
