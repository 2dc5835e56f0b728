"""The ``theodoi`` command: the parser, built from each command group's module, and the
handling of the errors a user can fix.

    theodoi demo                     create or refresh the embedded database with the Cát Hải data
    theodoi serve [--host] [--port]  run the web application
    theodoi units [--json]           the org unit tree
    theodoi plan show SYMBOL [--json]
    theodoi summary --plan SYMBOL --as-of DATE [--unit CODE] [--json]
    theodoi report --unit … --period … --out FILE.docx [--issue …]
    theodoi bench [report|import|extract]  the benchmarks
    theodoi template plan|progress|values [--plan] [--unit] [--period] --out FILE.xlsx
    theodoi export plan|progress|values [--plan] [--unit] [--period] --out FILE.xlsx|FILE.csv
    theodoi import FILE.xlsx [--dry-run] [--as USERNAME] [--accept-suggestions]
    theodoi ingest|extract|check-doc FILE…  old documents
    theodoi review list|accept|reject …  figures extracted from documents, before they count
    theodoi search QUERY [--kind document|task|indicator|report] [--limit N] [--json] [--rebuild]
    theodoi generate --scale national|province|small [--seed 57] [--replace] [--json]
    theodoi validate --unit CODE --period 2026-Q1 [--json]
    theodoi exchange export|import …  DHIS2 dataValueSets (JSON/CSV) with upper levels
    theodoi rollup --unit CODE --period 2026-Q1 [--json]
    theodoi summaries refresh --period 2026-Q1 [--quarters 8] [--jobs 2] [--unit CODE]
    theodoi remind [--dry-run] [--date dd/mm/yyyy]  reminders of reporting deadlines, e-mails
    theodoi backup FILE [--force]    the database and the uploaded files into one .tar.gz
    theodoi restore FILE [--yes]     and back
    theodoi manage ARGS…             any Django management command

Errors are printed in Vietnamese and exit with status 2. Nothing below the command line
imports this package; each group registers its commands through ``add_parsers``.
"""

from __future__ import annotations

import argparse
import os
import sys

from theodoi.cli import (
    archive,
    ask,
    backup,
    bench,
    data,
    excel,
    exchange,
    generate,
    plans,
    progress,
    remind,
    reports,
    review,
    search,
)
from theodoi.cli.common import CommandError

# In the order ``theodoi --help`` lists them.
COMMAND_GROUPS = (
    data.add_parsers,
    plans.add_parsers,
    reports.add_parsers,
    bench.add_parsers,
    excel.add_parsers,
    archive.add_parsers,
    review.add_parsers,
    search.add_parsers,
    ask.add_parsers,
    generate.add_parsers,
    progress.add_validate,
    exchange.add_parsers,
    progress.add_rollup,
    remind.add_parsers,
    backup.add_parsers,
    data.add_manage,
)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="theodoi",
        description="Theo dõi, đánh giá và báo cáo việc thực hiện Nghị quyết 57-NQ/TW.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for add in COMMAND_GROUPS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        try:
            status = _run(argv)
        finally:  # help and usage errors leave through SystemExit: flush them here too
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``theodoi units | head``): stop quietly, as a command line
        # tool does, and keep the interpreter's last flush from complaining too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a tool the signal ended
    return status


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as exc:  # the settings say what to set, in Vietnamese
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    try:
        args.func(args)
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # database missing, busy …: say it plainly
        from django.db.utils import OperationalError, ProgrammingError

        if isinstance(exc, OperationalError | ProgrammingError):
            print(f"Lỗi cơ sở dữ liệu: {database_advice(exc)}", file=sys.stderr)
            return 2
        raise
    return 0


def database_advice(error: Exception) -> str:
    """What a database error means for the person at the command line."""
    text = str(error)
    lowered = text.lower()
    if "locked" in lowered:
        return (
            "cơ sở dữ liệu đang bận với một thao tác ghi khác (máy chủ web đang nhập tệp lớn, "
            "hoặc một lệnh khác đang chạy); chưa có gì thay đổi, hãy chạy lại sau ít phút."
        )
    if "no such table" in lowered or "does not exist" in lowered:
        return f"{text}. Cơ sở dữ liệu chưa được tạo: hãy chạy “theodoi demo”."
    if "unable to open" in lowered or "could not connect" in lowered or "connection" in lowered:
        return f"{text}. Hãy kiểm tra THEODOI_DATABASE_URL, THEODOI_DATA_DIR và quyền ghi thư mục."
    return text
