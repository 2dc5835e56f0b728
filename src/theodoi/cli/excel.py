"""``theodoi template``, ``theodoi export`` and ``theodoi import``: Excel workbooks.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError, period_arg, plan_arg, unit_arg, write_file

KINDS = {"plan": "kế hoạch", "progress": "tiến độ nhiệm vụ", "values": "số liệu"}


def add_parsers(sub: Any) -> None:
    """Add ``template``, ``export`` and ``import`` to the ``theodoi`` parser."""
    template = sub.add_parser("template", help="tệp Excel mẫu để nhập kế hoạch, tiến độ, số liệu")
    template.add_argument("kind", choices=list(KINDS), help="plan | progress | values")
    _scope(template)
    template.add_argument("--out", required=True, help="tệp .xlsx")
    template.set_defaults(func=cmd_template)

    export = sub.add_parser("export", help="xuất kế hoạch, tiến độ hoặc số liệu ra XLSX hoặc CSV")
    export.add_argument("kind", choices=list(KINDS), help="plan | progress | values")
    _scope(export)
    export.add_argument(
        "--out", required=True, help="tệp .xlsx, hoặc .csv (UTF-8 có BOM, mỗi danh sách một tệp)"
    )
    export.set_defaults(func=cmd_export)

    load = sub.add_parser("import", help="nhập tệp Excel (kế hoạch, tiến độ hoặc số liệu)")
    load.add_argument("file", help="tệp .xlsx")
    load.add_argument(
        "--dry-run", action="store_true", help="nhập thử: xem sẽ tạo, sửa gì mà không ghi"
    )
    load.add_argument(
        "--as",
        dest="as_user",
        metavar="TÊN_ĐĂNG_NHẬP",
        help="người nhập (bắt buộc với tiến độ, số liệu; ghi vào lịch sử thay đổi)",
    )
    load.add_argument(
        "--accept-suggestions",
        action="store_true",
        help="dùng các gợi ý tên đơn vị, số liệu gần giống đã được báo",
    )
    load.set_defaults(func=cmd_import)


def _scope(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="số, ký hiệu kế hoạch, ví dụ 96/KH-UBND")
    parser.add_argument("--unit", help="mã hoặc tên đơn vị")
    parser.add_argument("--period", help="kỳ: 2026-Q1, 2026-03, 2026-H1, 2026 …")


EXAMPLES = {
    "plan": "--plan 96/KH-UBND --out ke-hoach.xlsx",
    "progress": "--unit CATHAI-VHXH --period 2026-Q1 --out tien-do.xlsx",
    "values": "--unit CATHAI-TTHCC --period 2026-Q1 --out so-lieu.xlsx",
}


def _need(args: argparse.Namespace, *names: str) -> None:
    missing = [f"--{n}" for n in names if not getattr(args, n)]
    if missing:
        raise CommandError(
            f"“{args.command} {args.kind}” cần {', '.join(missing)}, ví dụ: theodoi "
            f"{args.command} {args.kind} {EXAMPLES[args.kind]}"
        )


def _export(args: argparse.Namespace, *, template: bool):
    from theodoi.exchange.excel import writer

    unit = unit_arg(args.unit) if args.unit else None
    period = period_arg(args.period) if args.period else None
    if args.kind == "plan":
        if not template:
            _need(args, "plan")
        return writer.plan_export(plan_arg(args.plan) if args.plan else None)
    if args.kind == "progress":
        if template:
            _need(args, "unit", "period")
            return writer.progress_template(unit, period)
        _need(args, "period")
        return writer.progress_export(period, unit)
    _need(args, "period")
    if template:
        return writer.values_template(period, unit)
    return writer.values_export(period, unit)


def cmd_template(args: argparse.Namespace) -> None:
    from theodoi.exchange.excel.writer import workbook_bytes

    if Path(args.out).suffix.lower() != ".xlsx":
        raise CommandError("Tệp mẫu phải là tệp .xlsx.")
    export = _export(args, template=True)
    write_file(args.out, workbook_bytes(export), f"tệp mẫu nhập {KINDS[args.kind]}")


def cmd_export(args: argparse.Namespace) -> None:
    from theodoi.exchange.excel.writer import csv_files, workbook_bytes

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise CommandError("Tệp xuất phải là .xlsx hoặc .csv.")
    export = _export(args, template=False)
    if suffix == ".xlsx":
        write_file(args.out, workbook_bytes(export), f"{KINDS[args.kind]} (XLSX)")
        return
    for name, content in csv_files(export, out.stem).items():
        write_file(str(out.with_name(name)), content, f"{KINDS[args.kind]} (CSV UTF-8)")


def _user(username: str | None) -> Any:
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
    return user


def _quoted(text: str) -> str:
    return text if text == "(trống)" else f"“{text}”"


def print_result(result: Any, *, limit: int | None = None) -> None:
    """The preview: counts per list, each change old → new, suggestions used, warnings."""
    print(
        f"Tệp “{result.path.name}”: {result.kind.label}, {result.rows} dòng dữ liệu."
        if result.kind
        else f"Tệp “{result.path.name}”."
    )
    if not result.ok:
        return
    for label, tally in result.tallies.items():
        parts = [
            f"{tally.created} tạo mới",
            f"{tally.changed} thay đổi",
            f"{tally.unchanged} không đổi",
        ]
        if tally.skipped:
            parts.append(f"{tally.skipped} dòng để trống, bỏ qua")
        print(f"  {label}: {', '.join(parts)}")
    changed = [c for c in result.changes if not c.created]
    if changed:
        print("Thay đổi (cũ → mới):")
        for change in changed[:limit]:
            print(f"  {change.label} ({change.where}):")
            for label, old, new in change.fields:
                print(f"    {label}: {_quoted(old)} → {_quoted(new)}")
        if limit is not None and len(changed) > limit:
            print(f"  … và {len(changed) - limit} dòng thay đổi khác.")
    created = [c.label for c in result.changes if c.created]
    if created and len(created) <= 50:
        print("Tạo mới: " + "; ".join(created) + ".")
    if result.accepted:
        print("Đã dùng gợi ý (--accept-suggestions):")
        for line in result.accepted:
            print(f"  {line}")
    if result.warnings:
        print("Cảnh báo — số liệu chưa khớp quy tắc kiểm tra (vẫn nhập; cần sửa hoặc giải trình):")
        for line in result.warnings:
            print(f"  {line}")


def cmd_import(args: argparse.Namespace) -> None:
    from theodoi.exchange.excel.importer import import_workbook
    from theodoi.exchange.excel.reader import WorkbookError

    user = _user(args.as_user)
    try:
        result = import_workbook(
            Path(args.file),
            user=user,
            dry_run=args.dry_run,
            accept_suggestions=args.accept_suggestions,
        )
    except WorkbookError as exc:
        raise CommandError(str(exc)) from None
    print_result(result)
    if not result.ok:
        for message in result.errors:
            print(message, file=sys.stderr)
        raise CommandError(
            f"Tệp có {len(result.errors)} ô không nhập được (liệt kê ở trên); không có gì được "
            "ghi. Sửa các ô đó rồi nhập lại."
        )
    who = f" với người nhập {user.get_username()}" if user else ""
    if args.dry_run:
        print("Nhập thử: không có gì được ghi. Bỏ --dry-run để nhập thật.")
    elif result.written:
        print(f"Đã nhập và ghi lịch sử thay đổi{who}.")
    else:
        print("Không có gì thay đổi: dữ liệu đã khớp với tệp.")
