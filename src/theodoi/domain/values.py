"""What a single figure may be, whoever types it (web, API, Excel, exchange, documents).

Each data element says what kind of number it holds (:class:`ValueType`): a count of things
(dossiers, people, procedures) is a whole number; a percentage may have decimals and stays
between 0 and 100 ("Phủ sóng 5G: 73,4% dân số"); any other measure (money, scores, areas,
years) may have decimals. No figure is negative. Values are stored with four decimal places
and at most sixteen digits: what does not fit is refused, never rounded or cut.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

MAX_DECIMAL_PLACES = 4
# The database keeps 20 digits, 4 of them after the point: 16 before it.
MAX_MAGNITUDE = Decimal(10) ** 16

# Units whose figures are not counts of whole things.
_MEASURE_UNITS = {
    "điểm",
    "đồng",
    "triệu đồng",
    "tỷ đồng",
    "nghìn đồng",
    "km²",
    "km",
    "m²",
    "ha",
    "năm",
    "tháng",
    "ngày",
    "giờ",
    "lần",
    "mbps",
    "gb",
    "tb",
}


class ValueType(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MEASURE = "measure"

    @property
    def label(self) -> str:
        return {
            ValueType.COUNT: "Số đếm (số nguyên)",
            ValueType.PERCENT: "Tỷ lệ phần trăm (0–100, có thể có phần thập phân)",
            ValueType.MEASURE: "Số đo khác (tiền, điểm, diện tích…; có thể có phần thập phân)",
        }[self]


def value_type_for_unit(unit: str) -> ValueType:
    """The kind of number a unit of measure suggests, for elements that do not say: "%",
    "% dân số" → percent; money, scores, areas, durations → measure; anything else counts
    whole things (hồ sơ, người, thủ tục, tổ, hạng …)."""
    text = " ".join((unit or "").lower().split())
    if text.startswith("%"):
        return ValueType.PERCENT
    if text in _MEASURE_UNITS or text.endswith("đồng"):
        return ValueType.MEASURE
    return ValueType.COUNT


def value_problems(value: Decimal, value_type: ValueType | str) -> list[str]:
    """What is wrong with one value on its own, as Vietnamese messages (empty when nothing)."""
    value_type = ValueType(value_type)
    if not value.is_finite():
        return ["Số liệu không hợp lệ."]
    problems = []
    if value < 0:
        problems.append("Số liệu không được âm.")
    if abs(value) >= MAX_MAGNITUDE:
        problems.append("Số liệu quá lớn (tối đa 16 chữ số phần nguyên).")
    elif value_type is ValueType.PERCENT and value > 100:
        problems.append("Tỷ lệ không được vượt quá 100%.")
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if value_type is ValueType.COUNT and places:
        problems.append("Số liệu này đếm số lượng nên phải là số nguyên.")
    elif places > MAX_DECIMAL_PLACES:
        problems.append(f"Số liệu có tối đa {MAX_DECIMAL_PLACES} chữ số sau dấu phẩy.")
    return problems
