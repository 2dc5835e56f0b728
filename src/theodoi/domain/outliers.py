"""When a figure looks wrong: a change from the last period larger than a set share, or a
value far (in standard deviations) from the unit's own history. A warning, never a refusal:
a real jump (a campaign, a new system) happens, and the person who typed it says so."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import mean, pstdev

from theodoi.domain.formatting import format_number

MIN_HISTORY = 4  # values of earlier periods before the z-score means anything


@dataclass(frozen=True)
class OutlierRule:
    share: Decimal = Decimal("0.5")  # a change of more than half the last value
    z: Decimal = Decimal("3")  # further than three standard deviations from the history


def _n(value: Decimal) -> str:
    return format_number(value, 2, strip_zeros=True)


def unusual(
    value: Decimal,
    previous: Decimal | None,
    history: Sequence[Decimal] = (),
    rule: OutlierRule = OutlierRule(),
) -> str:
    """Why ``value`` looks unusual ("" when it does not)."""
    if previous is not None and previous != 0:
        change = (value - previous) / abs(previous)
        if abs(change) > rule.share:
            direction = "Tăng" if change > 0 else "Giảm"
            return (
                f"{direction} {_n(abs(change) * 100)}% so với kỳ trước ({_n(previous)}): thay "
                "đổi lớn bất thường, hãy kiểm tra lại."
            )
    if previous == 0 and value != 0 and len(history) >= MIN_HISTORY and not any(history):
        return "Các kỳ trước đều bằng 0: hãy kiểm tra lại số này."
    if len(history) >= MIN_HISTORY:
        floats = [float(h) for h in history]
        spread = pstdev(floats)
        centre = mean(floats)
        if spread > 0 and abs(float(value) - centre) / spread > float(rule.z):
            average = _n(Decimal(str(round(centre, 2))))
            return f"Khác xa các kỳ trước của đơn vị (trung bình {average}): hãy kiểm tra lại."
    return ""
