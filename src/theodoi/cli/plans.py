"""``theodoi plan show`` and ``theodoi summary``: a plan's tasks and indicators, and their
counts by status.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import textwrap
from typing import Any

from theodoi.cli.common import CommandError, date_arg, plan_arg, print_json


def add_parsers(sub: Any) -> None:
    """Add ``plan`` and ``summary`` to the ``theodoi`` parser."""
    plan = sub.add_parser("plan", help="kế hoạch")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, metavar="LỆNH")
    show = plan_sub.add_parser("show", help="nhiệm vụ và chỉ tiêu của một kế hoạch")
    show.add_argument("symbol", help="số, ký hiệu kế hoạch, ví dụ 96/KH-UBND")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_plan_show)

    summary = sub.add_parser("summary", help="đếm nhiệm vụ, chỉ tiêu theo tình trạng")
    summary.add_argument("--plan", required=True, help="số, ký hiệu kế hoạch")
    summary.add_argument("--as-of", help="tính đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
    summary.add_argument("--unit", help="mã hoặc tên đơn vị chủ trì")
    summary.add_argument("--json", action="store_true")
    summary.set_defaults(func=cmd_summary)


def cmd_plan_show(args: argparse.Namespace) -> None:
    from theodoi.plans.selectors import plan_as_dict

    data = plan_as_dict(plan=plan_arg(args.symbol), user=None)
    if args.json:
        print_json(data)
        return
    width = shutil.get_terminal_size((100, 20)).columns
    wrap = textwrap.TextWrapper(width=max(60, width), subsequent_indent=" " * 13)
    print(wrap.fill(f"{data['plan']} — {data['title']}"))
    titles = {g["code"]: g["title"] for g in data["groups"]}
    group = None
    for task in data["tasks"]:
        if task["group"] != group:
            group = task["group"]
            print()
            print(textwrap.fill(f"{group}. {titles.get(group, '')}", width=max(60, width)))
        print(wrap.fill(f"  {task['code']:<10} {task['title']}"))
        lead = task["lead_unit"] or "(kế hoạch không ghi)"
        deadline = task["deadline"]["text"] or "theo văn bản nguồn"
        print(wrap.fill(f"  {'':<10} Chủ trì: {lead}; thời hạn: {deadline}"))
    group = None
    print("\nCHỈ TIÊU")
    for indicator in data["indicators"]:
        if indicator["group"] != group:
            group = indicator["group"]
            print(f"\n{group}. {titles.get(group, '')}")
        targets = "; ".join(f"{y}: {t['text']}" for y, t in indicator["targets"].items())
        print(wrap.fill(f"  {indicator['code']:<10} {indicator['name']} ({indicator['unit']})"))
        print(wrap.fill(f"  {'':<10} Mục tiêu: {targets or '(không đọc được từ văn bản)'}"))


def cmd_summary(args: argparse.Namespace) -> None:
    from theodoi.orgs.selectors import UnitLookupError, unit_find
    from theodoi.progress.selectors.tasks import plan_summary

    plan = plan_arg(args.plan)
    as_of = date_arg(args.as_of) if args.as_of else dt.date.today()
    unit = None
    if args.unit:
        try:
            unit = unit_find(query=args.unit, user=None)
        except UnitLookupError as exc:
            raise CommandError(str(exc)) from None
    summary = plan_summary(plan=plan, as_of=as_of, user=None, unit=unit)
    if args.json:
        print_json(summary)
        return
    scope = f" — {unit.name}" if unit else ""
    print(f"Kế hoạch {summary['plan']}{scope}, tính đến ngày {as_of:%d/%m/%Y}:")
    print(summary["sentence"])
    if summary["illustrative"]:
        print(
            "(Có dùng dữ liệu minh họa: tiến độ nhiệm vụ và số liệu chỉ tiêu chưa phải số "
            "liệu thật của đơn vị.)"
        )
