import datetime as dt

import pytest

from theodoi.domain.deadlines import DeadlineError, DeadlineKind, parse_deadline


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Tháng 12/2025", DeadlineKind.MONTH, dt.date(2025, 12, 31)),
        ("tháng 2/2028", DeadlineKind.MONTH, dt.date(2028, 2, 29)),
        ("Quý II/2026", DeadlineKind.QUARTER, dt.date(2026, 6, 30)),
        ("Quý IV năm 2025", DeadlineKind.QUARTER, dt.date(2025, 12, 31)),
        ("Năm 2026", DeadlineKind.YEAR, dt.date(2026, 12, 31)),
        ("2025-2026", DeadlineKind.YEAR, dt.date(2026, 12, 31)),
        ("31/10/2025", DeadlineKind.DATE, dt.date(2025, 10, 31)),
        ("Hằng năm", DeadlineKind.YEARLY, None),
        ("Hàng năm", DeadlineKind.YEARLY, None),
        ("Thường xuyên", DeadlineKind.ONGOING, None),
        ("Hằng quý", DeadlineKind.PERIODIC, None),
        ("Theo văn bản nguồn", DeadlineKind.PER_SOURCE, None),
        ("Theo thời gian tại các Nghị quyết, Quyết định", DeadlineKind.PER_SOURCE, None),
        ("thuong xuyen", DeadlineKind.ONGOING, None),
    ],
)
def test_vietnamese_deadlines(text, kind, due):
    deadline = parse_deadline(text)
    assert deadline.kind is kind
    assert deadline.due == due
    assert deadline.text == text


@pytest.mark.parametrize("text", ["Tháng 13/2025", "Quý V/2026", "sớm nhất có thể", "31/02/2026"])
def test_unreadable_deadlines_are_refused_in_vietnamese(text):
    with pytest.raises(DeadlineError, match="hạn"):
        parse_deadline(text)
