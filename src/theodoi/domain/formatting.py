"""Vietnamese formatting and parsing of numbers, percentages and dates.

Vietnamese writes 1.495 for one thousand four hundred ninety-five and 98,39 for a decimal.
Dates in documents follow Decree 30/2020: "ngày 05 tháng 02 năm 2026" — a leading zero for
days below 10 and for months 1 and 2.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = int | float | Decimal


def _to_decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Number, places: int) -> Decimal:
    """Round the way a person does (2,345 → 2,35), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    return _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: Number, places: int = 0, *, strip_zeros: bool = False) -> str:
    """1495 → "1.495"; 11092.5 with places=1 → "11.092,5"."""
    rounded = round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{places}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups)
    if frac and strip_zeros:
        frac = frac.rstrip("0")
    if frac:
        result += "," + frac
    return sign + result


def format_percent(value: Number, places: int = 2) -> str:
    """98.385 → "98,39%" (the value is already a percentage, not a fraction)."""
    return format_number(value, places) + "%"


def share_percent(part: Number, whole: Number, places: int = 2) -> Decimal | None:
    """The share of ``part`` in ``whole`` as a percentage rounded half-up; None if whole is 0."""
    whole_d = _to_decimal(whole)
    if whole_d == 0:
        return None
    return round_half_up(_to_decimal(part) * 100 / whole_d, places)


def format_count(value: int) -> str:
    """Counts as reports write them: 6 → "06", 0 → "0", 17 → "17", 1495 → "1.495"."""
    if 0 < value < 10:
        return f"{value:02d}"
    return format_number(value)


def format_date(value: dt.date) -> str:
    """dd/mm/yyyy, the form users type and read: 05/02/2026."""
    return value.strftime("%d/%m/%Y")


def format_date_long(value: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 11 tháng 3 năm 2026" (Decree 30/2020)."""
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {day} tháng {month} năm {value.year}"


_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class FormatError(ValueError):
    """A value that cannot be read; the message is Vietnamese and says what was expected."""


def parse_date(text: str) -> dt.date:
    """Read "22/10/2025", "5/2/2026" or ISO "2026-03-31"; raise FormatError in Vietnamese."""
    match = _DATE_RE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_RE.match(text)
        if not match:
            raise FormatError(
                f"Ngày “{text}” không đúng định dạng: hãy nhập dd/mm/yyyy (ví dụ 31/03/2026) "
                "hoặc yyyy-mm-dd."
            )
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FormatError(f"Ngày “{text}” không tồn tại trong lịch.") from None


_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")


def parse_number(text: str) -> Decimal:
    """Read a Vietnamese number: "1.495" → 1495, "98,39" → 98.39, "11.092,5" → 11092.5."""
    cleaned = text.strip().rstrip("%").strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER_RE.match(cleaned):
        raise FormatError(
            f"Số “{text}” không đúng cách viết: dùng dấu chấm phân cách hàng nghìn và dấu phẩy "
            "thập phân (ví dụ 1.495 hoặc 98,39)."
        )
    try:
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
        raise FormatError(f"Số “{text}” không đọc được.") from None


def lower_first(text: str) -> str:
    """A label placed inside a sentence: "Quý I năm 2026" → "quý I năm 2026" (only the first
    letter: a Roman numeral or an acronym keeps its capitals)."""
    return text[:1].lower() + text[1:]
