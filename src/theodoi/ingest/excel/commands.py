"""``theodoi template``, ``theodoi export``, ``theodoi import`` and ``theodoi bench import``.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KINDS = {"plan": "kế hoạch", "progress": "tiến độ nhiệm vụ", "values": "số liệu"}


def add_parsers(sub: Any, bench_sub: Any) -> None:
    """Add the commands to the ``theodoi`` parser and its ``bench`` subparser."""
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

    bench = bench_sub.add_parser(
        "import", help="tốc độ nhập một tệp số liệu (mặc định 10.000 dòng)"
    )
    bench.add_argument("--rows", type=int, default=10_000)
    bench.add_argument(
        "--path",
        choices=["service", "model"],
        default="service",
        help="service: qua data_value_save từng dòng (như khi nhập thật); model: upsert mô "
        "hình, kiểm tra quyền và khóa kỳ một lần cho mỗi đơn vị và kỳ",
    )
    bench.add_argument(
        "--current-db",
        action="store_true",
        help="đo trên cơ sở dữ liệu hiện tại (sẽ ghi thêm số liệu thử vào đó); mặc định dùng "
        "một cơ sở dữ liệu tạm có bộ dữ liệu demo",
    )
    bench.set_defaults(func=cmd_bench_import)


def _scope(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help="số, ký hiệu kế hoạch, ví dụ 96/KH-UBND")
    parser.add_argument("--unit", help="mã hoặc tên đơn vị")
    parser.add_argument("--period", help="kỳ: 2026-Q1, 2026-03, 2026-H1, 2026 …")


def _cli():
    from theodoi import cli

    return cli


EXAMPLES = {
    "plan": "--plan 96/KH-UBND --out ke-hoach.xlsx",
    "progress": "--unit CATHAI-VHXH --period 2026-Q1 --out tien-do.xlsx",
    "values": "--unit CATHAI-TTHCC --period 2026-Q1 --out so-lieu.xlsx",
}


def _need(args: argparse.Namespace, *names: str) -> None:
    missing = [f"--{n}" for n in names if not getattr(args, n)]
    if missing:
        raise _cli().CommandError(
            f"“{args.command} {args.kind}” cần {', '.join(missing)}, ví dụ: theodoi "
            f"{args.command} {args.kind} {EXAMPLES[args.kind]}"
        )


def _export(args: argparse.Namespace, *, template: bool):
    from theodoi.ingest.excel import writer

    cli = _cli()
    unit = cli._unit(args.unit) if args.unit else None
    period = cli._period(args.period) if args.period else None
    if args.kind == "plan":
        if not template:
            _need(args, "plan")
        return writer.plan_export(cli._plan(args.plan) if args.plan else None)
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
    from theodoi.ingest.excel.writer import workbook_bytes

    cli = _cli()
    if Path(args.out).suffix.lower() != ".xlsx":
        raise cli.CommandError("Tệp mẫu phải là tệp .xlsx.")
    export = _export(args, template=True)
    cli._write(args.out, workbook_bytes(export), f"tệp mẫu nhập {KINDS[args.kind]}")


def cmd_export(args: argparse.Namespace) -> None:
    from theodoi.ingest.excel.writer import csv_files, workbook_bytes

    cli = _cli()
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise cli.CommandError("Tệp xuất phải là .xlsx hoặc .csv.")
    export = _export(args, template=False)
    if suffix == ".xlsx":
        cli._write(args.out, workbook_bytes(export), f"{KINDS[args.kind]} (XLSX)")
        return
    for name, content in csv_files(export, out.stem).items():
        cli._write(str(out.with_name(name)), content, f"{KINDS[args.kind]} (CSV UTF-8)")


def _user(username: str | None) -> Any:
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_active:
        raise _cli().CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
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
    from theodoi.ingest.excel.importer import import_workbook
    from theodoi.ingest.excel.reader import WorkbookError

    cli = _cli()
    user = _user(args.as_user)
    try:
        result = import_workbook(
            Path(args.file),
            user=user,
            dry_run=args.dry_run,
            accept_suggestions=args.accept_suggestions,
        )
    except WorkbookError as exc:
        raise cli.CommandError(str(exc)) from None
    print_result(result)
    if not result.ok:
        for message in result.errors:
            print(message, file=sys.stderr)
        raise cli.CommandError(
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


def cmd_bench_import(args: argparse.Namespace) -> None:
    cli = _cli()
    if args.rows < 1:
        raise cli.CommandError("--rows phải là số dương.")
    if not args.current_db:
        _bench_in_scratch_database(args)
        return
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from theodoi.ingest.excel.bench import bench_workbook
    from theodoi.ingest.excel.importer import import_workbook
    from theodoi.orgs.models import OrgUnit

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not OrgUnit.objects.exists():
        from theodoi.ingest.demo import load_demo

        started = time.perf_counter()
        load_demo(cli.default_data_dir())
        print(f"Nạp bộ dữ liệu demo vào cơ sở dữ liệu tạm: {time.perf_counter() - started:.1f} s")
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if user is None:
        raise cli.CommandError("Cần một tài khoản quản trị hệ thống (chạy theodoi demo).")
    with tempfile.TemporaryDirectory(prefix="theodoi-bench-") as scratch:
        path = Path(scratch) / f"so-lieu-{args.rows}-dong.xlsx"
        started = time.perf_counter()
        path.write_bytes(bench_workbook(args.rows, today=dt.date.today()))
        print(
            f"Tạo tệp {args.rows} dòng số liệu theo tháng (openpyxl): "
            f"{time.perf_counter() - started:.1f} s"
        )
        model_level = args.path == "model"
        for dry_run in (True, False):
            started = time.perf_counter()
            result = import_workbook(path, user=user, dry_run=dry_run, model_level=model_level)
            elapsed = time.perf_counter() - started
            if not result.ok:
                for message in result.errors[:20]:
                    print(message, file=sys.stderr)
                raise cli.CommandError("Tệp đo hiệu năng không nhập được (xem các lỗi ở trên).")
            what = "nhập thử (--dry-run)" if dry_run else "nhập thật"
            tally = result.tallies.get("Số liệu")
            written = (tally.created + tally.changed) if tally else 0
            print(
                f"  {what:<22} {result.rows:>7} dòng  {elapsed:7.1f} s  "
                f"{result.rows / elapsed:8.0f} dòng/giây  ({written} giá trị ghi"
                f"{', rồi hoàn tác' if dry_run else ''}; {len(result.warnings)} cảnh báo quy tắc)"
            )
        print(f"Lối ghi được đo: {result.path_used}; người nhập: {user.get_username()}.")


def _bench_in_scratch_database(args: argparse.Namespace) -> None:
    """Run the bench in a child process whose database is a scratch SQLite file with the demo
    dataset, so nothing is written to the user's database."""
    with tempfile.TemporaryDirectory(prefix="theodoi-bench-db-") as scratch:
        env = {**os.environ, "THEODOI_DATA_DIR": scratch}
        env.pop("THEODOI_DATABASE_URL", None)
        print(f"Cơ sở dữ liệu tạm (SQLite): {Path(scratch) / 'theodoi.sqlite3'}", flush=True)
        command = [sys.executable, "-m", "theodoi.cli", "bench", "import", "--current-db"]
        command += ["--rows", str(args.rows), "--path", args.path]
        completed = subprocess.run(command, env=env, check=False)
        if completed.returncode:
            raise _cli().CommandError("Đo hiệu năng nhập không thành công (xem ở trên).")
