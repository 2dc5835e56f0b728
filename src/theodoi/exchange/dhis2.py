"""Exchange with upper levels: data values in the DHIS2 dataValueSets shape (JSON and CSV),
and the roll-up of a unit's subtree for a period.

A commune exports its period's figures; the province imports them without retyping. Periods
use DHIS2's ISO codes (2026Q1, 202603, 2026S1, 2026); org units and data elements use
theodoi's stable codes, which an upper level maps once to its own identifiers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from theodoi.domain import periods as p
from theodoi.domain.formatting import format_number
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.orgs.selectors import subtree
from theodoi.progress.models import DataElement, DataValue, Period
from theodoi.progress.selectors.tasks import counted_values
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.values import ValueWrite, data_values_write

CSV_COLUMNS = [
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
]


# A period's progress report counts as on time when sent within this many days of its end.
REPORTING_GRACE_DAYS = 5


class ExchangeError(ValueError):
    """The file cannot be imported; ``problems`` lists each row at fault, in Vietnamese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def dhis2_period(period: p.Period) -> str:
    """theodoi's calendar period → DHIS2's ISO period code."""
    if period.basis is not p.PeriodBasis.CALENDAR:
        raise ValueError(f"DHIS2 không có kỳ tương ứng với {period.label} (kỳ chốt số liệu).")
    year = period.start.year
    if period.kind is p.PeriodKind.MONTH:
        return f"{year}{period.start.month:02d}"
    if period.kind is p.PeriodKind.QUARTER:
        return f"{year}Q{(period.start.month - 1) // 3 + 1}"
    if period.kind is p.PeriodKind.HALF:
        return f"{year}S{1 if period.start.month == 1 else 2}"
    if period.kind is p.PeriodKind.YEAR:
        return str(year)
    raise ValueError(f"DHIS2 không có kỳ tương ứng với {period.label}.")


def from_dhis2_period(code: str) -> p.Period:
    """DHIS2's ISO period code → theodoi's period."""
    text = code.strip().upper()
    try:
        if len(text) == 4 and text.isdigit():
            return p.parse_period(text)
        if len(text) == 6 and text.isdigit():
            return p.parse_period(f"{text[:4]}-{text[4:]}")
        if len(text) == 6 and text[4] == "Q":
            return p.parse_period(f"{text[:4]}-Q{text[5]}")
        if len(text) == 6 and text[4] == "S":
            return p.parse_period(f"{text[:4]}-H{text[5]}")
    except p.PeriodError as error:
        raise ValueError(str(error)) from None
    raise ValueError(f"Kỳ “{code}” không phải mã kỳ DHIS2 (ví dụ 2026Q1, 202603, 2026S1, 2026).")


def data_value_sets_export(*, unit: OrgUnit, period: p.Period, user: Any) -> dict[str, Any]:
    """The figures of ``unit`` and the units below it for ``period`` that count (approved or
    from documents), as a DHIS2 dataValueSets document."""
    if user is not None:
        ensure_can(user, "view", unit)
    iso = dhis2_period(period)
    values = (
        counted_values(
            DataValue.objects.filter(
                org_unit__in=subtree(unit), period__code=period.code, breakdown=""
            )
        )
        .select_related("element", "org_unit", "entered_by")
        .order_by("org_unit__path", "element__code")
    )
    return {
        "dataSet": "theodoi",
        "period": iso,
        "orgUnit": unit.code,
        "completeDate": dt.date.today().isoformat(),
        "dataValues": [
            {
                "dataElement": v.element.code,
                "period": iso,
                "orgUnit": v.org_unit.code,
                "value": _plain(v.value),
                "storedBy": v.entered_by.get_username() if v.entered_by else "theodoi",
                "lastUpdated": v.updated_at.isoformat(timespec="seconds"),
                "comment": v.comment,
            }
            for v in values
        ],
    }


def data_value_sets_csv(document: dict[str, Any]) -> str:
    """The same values in DHIS2's CSV layout, UTF-8 with a BOM so Excel reads Vietnamese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for v in document["dataValues"]:
        writer.writerow(
            [
                v["dataElement"],
                v["period"],
                v["orgUnit"],
                "",
                "",
                v["value"],
                v.get("storedBy", ""),
                v.get("lastUpdated", ""),
                v.get("comment", ""),
                "false",
            ]
        )
    return "\ufeff" + out.getvalue()


# Bounds of a dataValueSets file: a province's figures for a period (3,321 communes × a few
# dozen figures is about 100,000 rows, some 25 MB of indented JSON) fit twice over.
MAX_EXCHANGE_BYTES = 64 * 1024 * 1024
MAX_EXCHANGE_ROWS = 200_000
# dataValueSets is three levels deep (the set, its list, a value); a few more for extensions.
MAX_JSON_DEPTH = 10
# Values (JSON values, CSV cells), counted before parsing so that what parsing builds in
# memory stays bounded: a row has a dozen fields.
MAX_EXCHANGE_VALUES = MAX_EXCHANGE_ROWS * 20
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_STRUCTURE = re.compile(r"[\[\]{},]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_data_value_sets(content: bytes, *, name: str = "") -> list[dict[str, str]]:
    """Rows of a dataValueSets file, JSON or CSV (with or without a BOM), each value as text.

    Refused with an :class:`ExchangeError` naming what and where: a file over
    ``MAX_EXCHANGE_BYTES`` or ``MAX_EXCHANGE_ROWS`` rows, text that is not UTF-8, JSON nested
    deeper than ``MAX_JSON_DEPTH`` or whose ``dataValues`` is not a list of objects of plain
    values (text, numbers), a broken CSV line.
    """
    label = f"Tệp “{name}”" if name else "Tệp"
    if len(content) > MAX_EXCHANGE_BYTES:
        raise ExchangeError(
            [
                f"{label} nặng {len(content) // (1024 * 1024)} MB, vượt giới hạn "
                f"{MAX_EXCHANGE_BYTES // (1024 * 1024)} MB của một tệp dataValueSets; hãy chia "
                "thành nhiều tệp (mỗi kỳ, mỗi nhóm đơn vị một tệp)."
            ]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        raise ExchangeError(
            [
                f"{label} không phải văn bản UTF-8 (byte không hợp lệ ở dòng {line}, vị trí "
                f"{error.start + 1}). Hãy lưu lại tệp dạng UTF-8 (Excel: “CSV UTF-8”)."
            ]
        ) from None
    if name.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        return _json_rows(text, label)
    return _csv_rows(text, label)


def _json_rows(text: str, label: str) -> list[dict[str, str]]:
    _check_json_shape(text, label)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(
            [f"Tệp JSON hỏng ở dòng {error.lineno}, cột {error.colno}: {error.msg}."]
        ) from None
    except (ValueError, RecursionError) as error:  # a number of thousands of digits…
        raise ExchangeError([f"{label} có giá trị JSON không đọc được: {error}."]) from None
    if not isinstance(document, dict):
        raise ExchangeError(
            [f"{label} phải là một đối tượng JSON {{…}} có danh sách “dataValues”."]
        )
    rows = document.get("dataValues")
    if not isinstance(rows, list):
        raise ExchangeError(["Tệp JSON không có danh sách “dataValues”."])
    _check_row_count(len(rows), label)
    result = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ExchangeError(
                [
                    f"Dòng {number}: cần một đối tượng {{“dataElement”: …, “value”: …}}, tệp ghi "
                    f"{_json_kind(row)}."
                ]
            )
        values = {}
        for key, value in row.items():
            if isinstance(value, dict | list):
                raise ExchangeError(
                    [f"Dòng {number}: “{key}” là {_json_kind(value)}, cần là chữ hoặc số."]
                )
            values[key] = "" if value is None else str(value)
        result.append(_without_controls(number, values))
    return result


def _without_controls(number: int, row: dict[str, str]) -> dict[str, str]:
    """``row`` once no value holds a control character (NUL above all: the database cannot
    store it; none is something a person typed)."""
    for key, value in row.items():
        found = _CONTROL.search(value)
        if found:
            raise ExchangeError(
                [
                    f"Dòng {number}: “{key}” có ký tự điều khiển "
                    f"(mã {ord(found.group()):#04x}), không phải chữ."
                ]
            )
    return row


def _check_json_shape(text: str, label: str) -> None:
    """Refuse, before parsing, JSON nested deeper than ``MAX_JSON_DEPTH`` or holding more
    than ``MAX_EXCHANGE_VALUES`` values (what parsing would build in memory), saying the line."""
    skeleton = _JSON_STRING.sub('""', text)  # brackets inside strings do not count
    depth = values = 0
    for match in _JSON_STRUCTURE.finditer(skeleton):
        mark = match.group()
        if mark in "[{":
            depth += 1
            values += 1
            if depth > MAX_JSON_DEPTH:
                line = skeleton.count("\n", 0, match.start()) + 1
                raise ExchangeError(
                    [
                        f"{label} lồng nhau quá sâu ở dòng {line}: hơn {MAX_JSON_DEPTH} tầng "
                        "ngoặc, trong khi dataValueSets chỉ có ba tầng."
                    ]
                )
        elif mark == ",":
            values += 1
        else:
            depth -= 1
        if values > MAX_EXCHANGE_VALUES:
            line = skeleton.count("\n", 0, match.start()) + 1
            raise ExchangeError(
                [
                    f"{label} có hơn {format_number(MAX_EXCHANGE_VALUES)} giá trị (tới dòng "
                    f"{line}): vượt giới hạn {format_number(MAX_EXCHANGE_ROWS)} dòng số liệu của "
                    "một tệp."
                ]
            )


def _json_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "một đối tượng {…}"
    if isinstance(value, list):
        return "một danh sách […]"
    return f"giá trị “{str(value)[:40]}”"


def _check_row_count(rows: int, label: str) -> None:
    if rows > MAX_EXCHANGE_ROWS:
        raise ExchangeError(
            [
                f"{label} có hơn {format_number(MAX_EXCHANGE_ROWS)} dòng số liệu, vượt giới hạn "
                "của một tệp; hãy chia thành nhiều tệp (mỗi kỳ, mỗi nhóm đơn vị một tệp)."
            ]
        )


def _csv_rows(text: str, label: str) -> list[dict[str, str]]:
    if text.count(",") > MAX_EXCHANGE_VALUES:  # no record can hold more cells than commas
        _check_row_count(MAX_EXCHANGE_ROWS + 1, label)
    reader = csv.DictReader(io.StringIO(text))
    try:
        fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
        missing = {"dataelement", "period", "orgunit", "value"} - fields
        if missing:
            raise ExchangeError([f"Tệp CSV thiếu cột: {', '.join(sorted(missing))}."])
        rows = []
        for number, raw in enumerate(reader, start=1):
            _check_row_count(number, label)
            # Cells past the header (restkey None) are ignored; missing cells are empty.
            row = {
                key.strip().lower(): value or ""
                for key, value in raw.items()
                if isinstance(key, str) and isinstance(value, str | None)
            }
            rows.append(
                _without_controls(
                    number,
                    {
                        "dataElement": row.get("dataelement", ""),
                        "period": row.get("period", ""),
                        "orgUnit": row.get("orgunit", ""),
                        "value": row.get("value", ""),
                        "comment": row.get("comment", ""),
                    },
                )
            )
    except csv.Error as error:
        raise ExchangeError(
            [f"{label}: dòng {reader.reader.line_num} của tệp CSV hỏng ({_csv_reason(error)})."]
        ) from None
    return rows


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger" in text:
        return f"một ô dài hơn {format_number(csv.field_size_limit())} ký tự"
    return text


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def data_value_sets_import(
    *, rows: list[dict[str, str]], user: Any, source: str, dry_run: bool = False
) -> ImportResult:
    """Store the values of a lower level's export, all or nothing. The importing user must
    coordinate (review) every unit named; each value keeps who imported it and from what."""
    elements = {e.code: e for e in DataElement.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    problems: list[str] = []
    ready: list[tuple[DataElement, OrgUnit, p.Period, Decimal, str]] = []
    rows_of: list[int] = []  # the file's row number of each ready value
    for number, row in enumerate(rows, start=1):
        where = f"Dòng {number}"
        element = elements.get(row.get("dataElement", "").strip())
        unit = units.get(row.get("orgUnit", "").strip())
        if element is None:
            problems.append(f"{where}: không có loại số liệu “{row.get('dataElement', '')}”.")
        if unit is None:
            problems.append(f"{where}: không có đơn vị “{row.get('orgUnit', '')}”.")
        try:
            period = from_dhis2_period(row.get("period", ""))
        except ValueError as error:
            problems.append(f"{where}: {error}")
            period = None
        try:
            value = Decimal(row.get("value", "").strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"{where}: giá trị “{row.get('value', '')}” không phải số.")
            value = None
        if unit is not None and user is not None:
            try:
                ensure_can(user, "progress.review", unit)
            except PermissionDenied:
                problems.append(
                    f"{where}: bạn không có quyền nhập số liệu trao đổi cho {unit.name} "
                    "(cần quyền tiếp nhận báo cáo của đơn vị này hoặc đơn vị cấp trên)."
                )
                unit = None
        if element and unit and period and value is not None:
            ready.append((element, unit, period, value, row.get("comment", "")))
            rows_of.append(number)
    if problems:
        raise ExchangeError(problems)
    result = ImportResult()
    stored_periods: dict[str, Period] = {}
    for number, (element, unit, period, value, comment) in enumerate(ready, start=1):
        stored = stored_periods.get(period.code) or period_ensure(period=period, user=user)
        stored_periods[period.code] = stored
        existing = DataValue.objects.filter(
            element=element, org_unit=unit, period=stored, breakdown=""
        ).first()
        if existing is not None and existing.value == value and existing.comment == comment:
            # The same figure: keep its provenance (who entered it, or that it is illustrative).
            result.unchanged += 1
            continue
        write = ValueWrite(
            element=element,
            area=unit,
            period=stored,
            value=value,
            comment=comment,
            entered_by=user,
        )
        try:
            # The same write as the web, the API and Excel: value rules, lock, history.
            [(_, written)] = data_values_write(
                writes=[write], user=user, reason=f"Nhập từ tệp dataValueSets {source}"
            )
        except ValidationError as error:
            problems.append(f"Dòng {rows_of[number - 1]}: {' '.join(error.messages)}")
            continue
        if existing is None:
            result.created += 1
        elif written:
            result.changed += 1
        else:
            result.unchanged += 1
    if problems:
        transaction.set_rollback(True)
        raise ExchangeError(problems)
    if dry_run:
        transaction.set_rollback(True)
    return result


def rollup(*, unit: OrgUnit, period: p.Period, user: Any) -> dict[str, Any]:
    """A unit's subtree for a period: every figure added up over the units below
    (percentages recomputed from their parts), and how many units have reported, and on
    time. The same selectors as the roll-up summary (``selectors.rollup_summary``)."""
    from theodoi.progress.selectors.rollup import reporting_completeness, subtree_figures

    if user is not None:
        ensure_can(user, "view", unit)
    figures = subtree_figures(unit=unit, period_code=period.code)
    return {
        "unit": unit.code,
        "period": period.code,
        **reporting_completeness(unit=unit, period=period),
        "figures": {
            code: {"value": _plain(f["value"]), "units": f["units"]} for code, f in figures.items()
        },
    }


def _plain(value: Decimal) -> str:
    """1495.0000 → "1495"; 98.3900 → "98.39" (what DHIS2 and a spreadsheet expect)."""
    return format(value.normalize(), "f")


__all__ = [
    "ExchangeError",
    "data_value_sets_csv",
    "data_value_sets_export",
    "data_value_sets_import",
    "dhis2_period",
    "from_dhis2_period",
    "read_data_value_sets",
    "rollup",
]
