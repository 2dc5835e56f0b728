"""Any list shown on screen, as a spreadsheet or a CSV file a person opens in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    return value


def table_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: bold headers, frozen first row, dates as dd/mm/yyyy, sensible widths."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in headers]
    for row in rows:
        sheet.append([_cell(v) for v in row])
        for index, value in enumerate(row):
            widths[index] = max(widths[index], min(len(str(value or "")), 80))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM so Excel shows Vietnamese correctly; dates as dd/mm/yyyy."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else _cell(v) for v in row]
        )
    return out.getvalue().encode("utf-8-sig")
