"""``theodoi bench``: the benchmarks the project ships (:mod:`theodoi.bench`) — national
scale (no subcommand), ``report``, ``import`` and ``extract``.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError, default_data_dir, period_arg, unit_arg

EXTRACTION_KEYS = Path(__file__).resolve().parents[3] / "tests" / "data" / "extraction"
# Cát Hải's documents, beside the repository rather than in it (a fresh clone has no such
# directory): without them only the keys whose source the repository holds are scored.
EXTRACTION_SOURCES = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def add_parsers(sub: Any) -> None:
    """Add ``bench`` and its subcommands to the ``theodoi`` parser."""
    bench = sub.add_parser(
        "bench", help="đo hiệu năng (không kèm LỆNH: tổng hợp, trang web, API, báo cáo, bộ nhớ)"
    )
    bench.add_argument("--scale", choices=["national", "province", "small"], default="small")
    bench.add_argument("--period", default="2026-Q1")
    bench.add_argument("--clients", type=int, default=20, help="số người dùng đồng thời")
    bench.add_argument("--seconds", type=float, default=20, help="thời gian tải mỗi trang")
    bench.add_argument("--repeat", type=int, default=7, help="số lần đo phần tổng hợp")
    bench.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    bench.add_argument("--workers", type=int, default=4)
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(func=cmd_bench_scale)
    bench_sub = bench.add_subparsers(dest="bench_command", required=False, metavar="LỆNH")
    bench_report = bench_sub.add_parser("report", help="thời gian lập báo cáo quý")
    bench_report.add_argument("--unit", default="CATHAI")
    bench_report.add_argument("--period", default="2026-Q1")
    bench_report.add_argument("--repeat", type=int, default=5)
    bench_report.set_defaults(func=cmd_bench_report)

    bench_coverage = bench_sub.add_parser(
        "coverage",
        help="báo cáo sinh ra nêu được bao nhiêu số liệu của báo cáo thật cùng loại (001, 004)",
    )
    bench_coverage.add_argument(
        "-v", "--verbose", action="store_true", help="in cả các mục và văn bản được dẫn"
    )
    bench_coverage.set_defaults(func=cmd_bench_coverage)

    bench_import = bench_sub.add_parser(
        "import", help="tốc độ nhập một tệp số liệu (mặc định 10.000 dòng)"
    )
    bench_import.add_argument("--rows", type=int, default=10_000)
    bench_import.add_argument(
        "--path",
        choices=["grouped", "rows"],
        default="grouped",
        help="grouped: như khi nhập thật — mỗi đơn vị và kỳ qua data_values_save một lần "
        "(kiểm tra quyền, khóa kỳ một lần, ghi gộp); rows: từng dòng qua data_value_save",
    )
    bench_import.add_argument(
        "--current-db",
        action="store_true",
        help="đo trên cơ sở dữ liệu hiện tại (sẽ ghi thêm số liệu thử vào đó); mặc định dùng "
        "một cơ sở dữ liệu tạm có bộ dữ liệu demo",
    )
    bench_import.set_defaults(func=cmd_bench_import)

    bench_extract = bench_sub.add_parser(
        "extract", help="độ phủ (recall) và độ chính xác (precision) của việc trích số liệu"
    )
    bench_extract.add_argument(
        "--keys", default=str(EXTRACTION_KEYS), help="thư mục đáp án (.yaml)"
    )
    bench_extract.add_argument(
        "--sources",
        help="thư mục văn bản nguồn (mặc định ../shared/seeds bên cạnh kho mã; không có thì "
        "chỉ chấm các đáp án có văn bản trong kho mã và nêu các đáp án bị bỏ qua)",
    )
    bench_extract.add_argument("--json", action="store_true")
    bench_extract.set_defaults(func=cmd_bench_extract)

    bench_ask = bench_sub.add_parser(
        "ask", help="hỏi đáp: tỷ lệ trả lời đúng, số câu sai, số câu từ chối, thời gian"
    )
    bench_ask.add_argument(
        "--questions",
        default=str(default_data_dir() / "questions.yaml"),
        help="bộ câu hỏi có đáp án (mặc định data/questions.yaml)",
    )
    bench_ask.add_argument("--verbose", action="store_true", help="in cả các câu trả lời đúng")
    bench_ask.set_defaults(func=cmd_bench_ask)

    bench_ocr = bench_sub.add_parser(
        "ocr",
        help="đọc bản chụp (OCR): số liệu trích từ bản chụp so với từ bản chữ sạch",
    )
    bench_ocr.set_defaults(func=cmd_bench_ocr)


def cmd_bench_scale(args: argparse.Namespace) -> None:
    from theodoi.bench import scale as benchmark
    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.models import PlanSummary

    expected = {"national": 3321, "province": 60, "small": 0}[args.scale]
    # Communes with a plan of their own: the synthetic ones and Cát Hải.
    communes = OrgUnit.objects.filter(plans__isnull=False).distinct()
    if communes.count() < expected:
        raise CommandError(
            f"Cơ sở dữ liệu mới có {communes.count()} xã có kế hoạch; hãy chạy "
            f"“theodoi generate --scale {args.scale}” trước."
        )
    if not PlanSummary.objects.filter(period__code=period_arg(args.period).code).exists():
        raise CommandError(
            f"Chưa có bản tổng hợp kỳ {args.period}; hãy chạy "
            f"“theodoi summaries refresh --period {args.period}” trước."
        )
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    figures = benchmark.run(
        scale=args.scale,
        period_code=args.period,
        clients=args.clients,
        seconds=args.seconds,
        repeat=args.repeat,
        server_kind=args.server,
        workers=args.workers,
        progress=say,
    )
    if args.json:
        benchmark.main_json(figures)
    else:
        benchmark.print_report(figures)


def cmd_bench_report(args: argparse.Namespace) -> None:
    from theodoi.bench.report import run

    run(unit=unit_arg(args.unit), period=period_arg(args.period), repeat=args.repeat)


def cmd_bench_coverage(args: argparse.Namespace) -> None:
    from theodoi.bench.coverage import run
    from theodoi.orgs.models import OrgUnit

    if not OrgUnit.objects.filter(code="CATHAI").exists():
        raise CommandError(
            "Cơ sở dữ liệu chưa có dữ liệu Cát Hải: chạy “theodoi demo” (hoặc “theodoi load”) "
            "trước khi đo."
        )
    if not run(verbose=args.verbose):
        sys.exit(1)


def cmd_bench_ask(args: argparse.Namespace) -> None:
    from theodoi.bench.ask import ACCURACY_TARGET, report, run
    from theodoi.orgs.models import OrgUnit

    if not OrgUnit.objects.filter(code="CATHAI").exists():
        raise CommandError(
            "Cơ sở dữ liệu chưa có dữ liệu Cát Hải: chạy “theodoi demo” trước khi đo."
        )
    result = run(Path(args.questions))
    print("\n".join(report(result, verbose=args.verbose)))
    if result.count("wrong") or result.accuracy < ACCURACY_TARGET:
        sys.exit(1)


def cmd_bench_ocr(args: argparse.Namespace) -> None:
    from theodoi.bench.scans import score, tools_missing

    missing = tools_missing()
    if missing:
        raise CommandError(f"Chưa đo được việc đọc bản chụp: {missing}")
    with tempfile.TemporaryDirectory(prefix="theodoi-ocr-") as folder:
        scores = score(Path(folder))
    failed = False
    for s in scores:
        wrong = ", ".join(f"{code} = {value}" for code, value in s.wrong) or "không"
        print(
            f"Bản chụp {s.name}: đọc đúng {s.found}/{s.clean} số liệu của bản chữ sạch "
            f"(độ phủ {s.recall * 100:.0f}%), sai: {wrong} (mục tiêu 0); OCR {s.seconds:.1f} giây"
        )
        failed = failed or bool(s.wrong)
    if failed:
        sys.exit(1)


def cmd_bench_import(args: argparse.Namespace) -> None:
    if args.rows < 1:
        raise CommandError("--rows phải là số dương.")
    if not args.current_db:
        _bench_in_scratch_database(args)
        return
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from theodoi.bench.excel_import import BenchError, run
    from theodoi.orgs.models import OrgUnit

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not OrgUnit.objects.exists():
        from theodoi.dataset.demo import load_demo

        started = time.perf_counter()
        load_demo(default_data_dir())
        print(f"Nạp bộ dữ liệu demo vào cơ sở dữ liệu tạm: {time.perf_counter() - started:.1f} s")
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("id").first()
    if user is None:
        raise CommandError("Cần một tài khoản quản trị hệ thống (chạy theodoi demo).")
    try:
        run(rows=args.rows, grouped=args.path == "grouped", user=user, today=dt.date.today())
    except BenchError as exc:
        raise CommandError(str(exc)) from None


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
            raise CommandError("Đo hiệu năng nhập không thành công (xem ở trên).")


def cmd_bench_extract(args: argparse.Namespace) -> None:
    from theodoi.bench.extract import AnswerKeyError, left_out_note, print_report, score_keys

    sources = Path(args.sources) if args.sources else EXTRACTION_SOURCES
    try:
        bench = score_keys(Path(args.keys), sources, sources_optional=not args.sources)
    except AnswerKeyError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        json.dump(bench.rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(bench.rows)
    if bench.left_out:  # under the figures, so it is read with them
        sys.stdout.flush()
        print(left_out_note(bench, sources), file=sys.stderr)
