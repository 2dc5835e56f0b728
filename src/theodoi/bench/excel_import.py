"""A deterministic figures workbook for ``theodoi bench import``.

The rows are the figures the units actually enter (each element and the unit it is a figure
of, as :func:`theodoi.progress.selectors.entry_elements` lists them) over monthly periods
going back from the current month (skipping those an approved report locks), so that every
row passes the same checks as a real import. Procedure and dossier figures are consistent with
the validation rules (the parts add up to the totals); rates stay within 100%; counts are whole
numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from typing import Any

from django.db.models import Q

from theodoi.dataset import illustrative
from theodoi.domain.periods import Period, month_period
from theodoi.exchange.excel.layout import VALUES, Kind
from theodoi.exchange.excel.writer import Export, workbook_bytes
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import DataElement
from theodoi.progress.selectors.entry import entry_elements_many

SEED = 57
# In this order, so that a period cut short keeps whole blocks of the rules together.
ADMINISTRATIVE = [
    "procedures.total",
    "procedures.full_online",
    "procedures.partial_online",
    "procedures.direct",
    "dossiers.received",
    "dossiers.resolved",
    "dossiers.online",
    "dossiers.direct",
    "dossiers.withdrawn",
    "dossiers.in_progress",
    "dossiers.resolved_on_time",
    "dossiers.overdue",
]


def entry_pairs() -> list[tuple[DataElement, OrgUnit]]:
    """(element, unit it is a figure of) for every figure exactly one unit enters,
    administrative figures first."""
    entering: dict[tuple[int, int], list[Any]] = {}
    units = (
        OrgUnit.objects.filter(Q(reported_elements__isnull=False) | Q(led_indicators__isnull=False))
        .distinct()
        .order_by("path")
    )
    for entries in entry_elements_many(list(units)).values():
        for entry in entries:
            entering.setdefault((entry.element.id, entry.area.id), []).append(entry)
    pairs = [(e[0].element, e[0].area) for e in entering.values() if len(e) == 1]
    order = {code: index for index, code in enumerate(ADMINISTRATIVE)}
    return sorted(
        pairs,
        key=lambda pair: (order.get(pair[0].code, len(order)), pair[0].code, pair[1].code),
    )


def months_back(count: int, today: dt.date) -> list[Period]:
    """``count`` calendar months ending with the current one, oldest first, leaving out the
    months an approved report covers (locked: a real import would be refused there too)."""
    from theodoi.progress.models import Submission, UpdateState

    locked = list(
        Submission.objects.filter(state=UpdateState.APPROVED).values_list(
            "period__start", "period__end"
        )
    )
    year, month = today.year, today.month
    months: list[Period] = []
    for _ in range(count + 600):  # fifty years back at most
        if len(months) == count:
            break
        period = month_period(year, month)
        if not any(start <= period.start and period.end <= end for start, end in locked):
            months.append(period)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def administrative_values(rng: random.Random) -> dict[str, int]:
    """A month's consistent procedure and dossier figures (smaller than a quarter's)."""
    return illustrative.administrative_values(
        rng, received=(300, 600), online_share=(0.9, 0.99), in_progress=(10, 40)
    )


def other_value(element: DataElement, rng: random.Random) -> Decimal:
    if element.unit.strip().startswith("%"):
        if element.value_type == "count":
            return Decimal(rng.randint(40, 100))
        return Decimal(str(round(rng.uniform(40, 100), 1)))
    if element.value_type == "count":
        return Decimal(rng.randint(0, 500))
    return Decimal(str(round(rng.uniform(0, 20), 2)))


def bench_rows(rows: int, *, today: dt.date) -> list[dict[str, Any]]:
    """``rows`` figure rows: every entered figure for each month, the last month cut short."""
    pairs = entry_pairs()
    if not pairs:
        raise ValueError("Không có số liệu nào được giao cho đơn vị nhập: hãy chạy theodoi demo.")
    result: list[dict[str, Any]] = []
    for period in months_back(math.ceil(rows / len(pairs)), today):
        rng = random.Random(f"{SEED}:{period.code}")
        administrative = administrative_values(rng)
        for element, area in pairs:
            value = administrative.get(element.code)
            result.append(
                {
                    "unit": area.code,
                    "element": element.code,
                    "period": period.code,
                    "value": Decimal(value) if value is not None else other_value(element, rng),
                    "element_name": element.name,
                    "element_unit": element.unit,
                }
            )
            if len(result) == rows:
                return result
    return result


def bench_workbook(rows: int, *, today: dt.date) -> bytes:
    data = bench_rows(rows, today=today)
    context = [f"Tệp đo hiệu năng: {len(data)} dòng số liệu theo tháng (sinh tất định)."]
    return workbook_bytes(Export(Kind.VALUES, {VALUES.name: data}, context))


def run(*, rows: int, grouped: bool, user: Any, today: dt.date) -> None:
    """Write a workbook of ``rows`` figures, then import it twice (dry run, then for real) as
    ``user`` and print rows per second beside what each run wrote."""
    import sys
    import tempfile
    import time
    from pathlib import Path

    from theodoi.domain.formatting import format_number as n
    from theodoi.exchange.excel.importer import import_workbook

    with tempfile.TemporaryDirectory(prefix="theodoi-bench-") as scratch:
        path = Path(scratch) / f"so-lieu-{rows}-dong.xlsx"
        started = time.perf_counter()
        path.write_bytes(bench_workbook(rows, today=today))
        print(
            f"Tạo tệp {n(rows)} dòng số liệu theo tháng (openpyxl): "
            f"{n(time.perf_counter() - started, 1)} s"
        )
        for dry_run in (True, False):
            started = time.perf_counter()
            result = import_workbook(path, user=user, dry_run=dry_run, grouped=grouped)
            elapsed = time.perf_counter() - started
            if not result.ok:
                for message in result.errors[:20]:
                    print(message, file=sys.stderr)
                raise BenchError("Tệp đo hiệu năng không nhập được (xem các lỗi ở trên).")
            what = "nhập thử (--dry-run)" if dry_run else "nhập thật"
            tally = result.tallies.get("Số liệu")
            written = (tally.created + tally.changed) if tally else 0
            undone = ", rồi hoàn tác" if dry_run else ""
            print(
                f"  {what:<22} {n(result.rows):>7} dòng  {n(elapsed, 1):>7} s  "
                f"{n(result.rows / elapsed):>8} dòng/giây  ({n(written)} giá trị ghi{undone}; "
                f"{n(len(result.warnings))} cảnh báo quy tắc)"
            )
        print(f"Lối ghi được đo: {result.path_used}; người nhập: {user.get_username()}.")


class BenchError(RuntimeError):
    """The benchmark could not run; the message says why, in Vietnamese."""
