"""``theodoi validate``, ``rollup`` and ``summaries refresh``: checks of a period's figures,
the roll-up over a subtree, and the stored plan summaries.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from theodoi.cli.common import CommandError, period_arg, positive_int, print_json, unit_arg


def add_validate(sub: Any) -> None:
    """Add ``validate`` to the ``theodoi`` parser."""
    validate = sub.add_parser("validate", help="kiểm tra số liệu của một đơn vị trong một kỳ")
    validate.add_argument("--unit", required=True, help="mã hoặc tên đơn vị")
    validate.add_argument("--period", required=True, help="kỳ, ví dụ 2026-Q1")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(func=cmd_validate)


def add_rollup(sub: Any) -> None:
    """Add ``rollup`` and ``summaries`` to the ``theodoi`` parser."""
    roll = sub.add_parser("rollup", help="tổng hợp số liệu các đơn vị trực thuộc trong một kỳ")
    roll.add_argument("--unit", required=True)
    roll.add_argument("--period", required=True)
    roll.add_argument("--json", action="store_true")
    roll.set_defaults(func=cmd_rollup)

    summaries = sub.add_parser(
        "summaries", help="bản tổng hợp theo kế hoạch dùng cho tổng hợp cấp trên"
    )
    summaries_sub = summaries.add_subparsers(dest="summaries_command", required=True)
    refresh = summaries_sub.add_parser("refresh", help="tính lại bản tổng hợp của một kỳ")
    refresh.add_argument("--period", required=True, help="kỳ, ví dụ 2026-Q1")
    refresh.add_argument(
        "--quarters",
        type=positive_int,
        default=1,
        help="số quý liền nhau tính đến kỳ đã chọn (ví dụ 8: hai năm), mặc định 1",
    )
    refresh.add_argument(
        "--jobs",
        type=positive_int,
        default=2,
        help="số kỳ tính cùng lúc trên PostgreSQL (mặc định 2; SQLite: lần lượt từng kỳ)",
    )
    refresh.add_argument("--unit", help="chỉ các kế hoạch của đơn vị này và cấp dưới")
    refresh.set_defaults(func=cmd_summaries_refresh)


def cmd_validate(args: argparse.Namespace) -> None:
    from theodoi.domain.rules import Importance
    from theodoi.progress.models import Period
    from theodoi.progress.selectors.figures import figure_violations

    unit = unit_arg(args.unit)
    period = period_arg(args.period)
    stored = Period.objects.filter(code=period.code).first()
    violations = figure_violations(unit=unit, period=stored) if stored else []
    if args.json:
        print_json(
            {
                "unit": unit.code,
                "period": period.code,
                "violations": [
                    {
                        "rule": v.rule.code,
                        "importance": v.rule.importance.value,
                        "left": str(v.left_value) if v.left_value is not None else None,
                        "right": str(v.right_value) if v.right_value is not None else None,
                        "message": v.message,
                    }
                    for v in violations
                ],
            }
        )
    elif stored is None:
        print(f"{unit.name} chưa có số liệu nào của {period.label}.")
    elif not violations:
        print(f"Số liệu {period.label} của {unit.name} khớp mọi quy tắc kiểm tra đang áp dụng.")
    else:
        print(f"Số liệu {period.label} của {unit.name}: {len(violations)} chỗ chưa khớp")
        for v in violations:
            print(f"  [{Importance(v.rule.importance).label}] {v.message}")
    if violations:
        raise SystemExit(1)


def cmd_rollup(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from theodoi.domain.formatting import format_number
    from theodoi.progress.services.summaries import rollup_fresh

    unit = unit_arg(args.unit)
    period = period_arg(args.period)
    summary = rollup_fresh(unit=unit, period=period, user=None)
    for figure in summary["figures"].values():
        figure["value"] = format(figure["value"].normalize(), "f")
    if args.json:
        print_json(summary)
        return
    reporting, computed = summary["reporting"], summary["computed"]
    print(f"{unit.name} và các đơn vị trực thuộc — {period.label}")
    print(f"  {summary['sentence']}")
    print(
        f"  Đơn vị phải báo cáo: {reporting['units_expected_to_report']}; đã gửi: "
        f"{reporting['units_reported']}; đã phê duyệt: {reporting['units_approved']}; gửi đúng "
        f"hạn: {reporting['units_reported_on_time']}"
    )
    oldest = computed["oldest"]
    when = f"{timezone.localtime(oldest):%H:%M %d/%m/%Y}" if oldest else "chưa tính"
    if computed["up_to_date"]:
        state = "đã cập nhật theo dữ liệu mới nhất"
    else:
        waiting = computed["updating"] or computed["stale"]
        state = f"ĐANG CẬP NHẬT {waiting} kế hoạch có dữ liệu thay đổi (tác vụ nền)"
    print(
        f"  Tổng hợp từ {computed['plans_summarised']}/{computed['plans']} kế hoạch, tính lúc "
        f"{when} ({state})"
    )
    for code, figure in summary["figures"].items():
        value = format_number(Decimal(figure["value"]), 2 if figure["unit"] == "%" else 0)
        print(f"  {code:<34} {value:>14} {figure['unit']}  ({figure['units']} đơn vị)")


def cmd_summaries_refresh(args: argparse.Namespace) -> None:
    import time

    from theodoi.domain.formatting import format_number
    from theodoi.domain.periods import PeriodKind, periods_ending
    from theodoi.progress.selectors.plan_counts import plan_ids_under
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.summaries import summaries_refresh_many

    last = period_arg(args.period)
    if args.quarters > 1 and last.kind is not PeriodKind.QUARTER:
        raise CommandError(
            f"--quarters chỉ dùng với một quý (ví dụ 2026-Q1), không với kỳ {last.code}."
        )
    periods = [
        period_ensure(period=period, user=None) for period in periods_ending(last, args.quarters)
    ]
    plan_ids = plan_ids_under(unit_arg(args.unit).path if args.unit else "/")
    started = time.perf_counter()

    def progress(period, count: int) -> None:
        print(f"  … {period.label}: {format_number(count)} kế hoạch", flush=True)

    counts = summaries_refresh_many(
        periods=periods, plan_ids=plan_ids, jobs=args.jobs, progress=progress
    )
    elapsed = format_number(time.perf_counter() - started, 1)
    for period in periods:
        print(f"  {period.label}: {format_number(counts[period.code])} bản tổng hợp")
    labels = periods[0].label if len(periods) == 1 else f"{len(periods)} kỳ"
    total = format_number(sum(counts.values()))
    print(f"Đã tính lại {total} bản tổng hợp ({labels}) trong {elapsed} giây.")
