"""``theodoi exchange export|import``: figures in DHIS2 dataValueSets (JSON or CSV) with
upper levels.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError, period_arg, unit_arg, write_file


def add_parsers(sub: Any) -> None:
    """Add ``exchange`` and its subcommands to the ``theodoi`` parser."""
    exchange = sub.add_parser(
        "exchange", help="trao đổi số liệu với cấp trên (DHIS2 dataValueSets)"
    )
    exchange_sub = exchange.add_subparsers(dest="exchange_command", required=True)
    ex_out = exchange_sub.add_parser("export", help="xuất số liệu một kỳ (.json hoặc .csv)")
    ex_out.add_argument("--unit", required=True)
    ex_out.add_argument("--period", required=True)
    ex_out.add_argument("--out", required=True, help="tệp .json hoặc .csv")
    ex_out.set_defaults(func=cmd_exchange_export)
    ex_in = exchange_sub.add_parser("import", help="nhập số liệu từ tệp dataValueSets")
    ex_in.add_argument("file")
    ex_in.add_argument("--as", dest="as_user", required=True, help="người nhập (đầu mối cấp trên)")
    ex_in.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không lưu")
    ex_in.set_defaults(func=cmd_exchange_import)


def cmd_exchange_export(args: argparse.Namespace) -> None:
    from theodoi.exchange.dhis2 import data_value_sets_csv, data_value_sets_export

    unit = unit_arg(args.unit)
    period = period_arg(args.period)
    try:
        document = data_value_sets_export(unit=unit, period=period, user=None)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.out.lower().endswith(".csv"):
        content = data_value_sets_csv(document).encode("utf-8")
    else:
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    write_file(args.out, content, f"{len(document['dataValues'])} số liệu (dataValueSets)")


def cmd_exchange_import(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model

    from theodoi.exchange.dhis2 import (
        MAX_EXCHANGE_BYTES,
        ExchangeError,
        data_value_sets_import,
        read_data_value_sets,
    )

    user = get_user_model().objects.filter(username=args.as_user).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{args.as_user}”.")
    path = Path(args.file)
    try:
        # Read no more than the reader accepts: a larger file is refused by its size.
        with path.open("rb") as stream:
            content = stream.read(MAX_EXCHANGE_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp “{args.file}”: {exc.strerror}.") from None
    try:
        rows = read_data_value_sets(content, name=path.name)
        result = data_value_sets_import(
            rows=rows, user=user, source=path.name, dry_run=args.dry_run
        )
    except ExchangeError as exc:
        raise CommandError(
            f"Tệp “{path.name}” không được nhập (không lưu gì):\n  " + "\n  ".join(exc.problems)
        ) from None
    verb = "Sẽ" if args.dry_run else "Đã"
    print(
        f"{verb} tạo {result.created}, cập nhật {result.changed}, giữ nguyên {result.unchanged} "
        f"số liệu từ “{path.name}”." + (" (Chạy thử: chưa lưu gì.)" if args.dry_run else "")
    )
