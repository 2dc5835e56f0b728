"""``theodoi generate --scale national|province|small``: the synthetic dataset for load tests
(see :mod:`theodoi.dataset.synthetic`).

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from theodoi.cli.common import CommandError, default_data_dir, print_json

COUNT_LABELS = {
    "provinces": "tỉnh, thành phố",
    "communes": "xã, phường, đặc khu",
    "plans": "kế hoạch",
    "tasks": "nhiệm vụ",
    "indicators": "chỉ tiêu",
    "targets": "mục tiêu theo mốc",
    "submissions": "báo cáo kỳ đã phê duyệt",
    "task_updates": "báo cáo tiến độ nhiệm vụ",
    "data_values": "giá trị số liệu",
}


def add_parsers(sub: Any) -> None:
    """Add ``generate`` to the ``theodoi`` parser."""
    generate = sub.add_parser(
        "generate",
        help="sinh dữ liệu tổng hợp để thử tải (34 tỉnh, 3.321 xã, tiến độ 8 quý)",
        description=(
            "Sinh dữ liệu tổng hợp, đánh dấu là dữ liệu minh họa, trên nền bộ dữ liệu Cát Hải "
            "(tự nạp nếu chưa có): các tỉnh, thành phố sau sắp xếp, các xã tổng hợp (mã SYN-…) "
            "mỗi xã một kế hoạch chép từ Kế hoạch 96/KH-UBND, tiến độ nhiệm vụ và 20 số liệu "
            "mỗi quý trong 8 quý. Cùng seed cho cùng dữ liệu."
        ),
    )
    generate.add_argument(
        "--scale",
        choices=["national", "province", "small"],
        default="national",
        help="national: 34 tỉnh, 3.321 xã (mặc định); province: Thành phố Hải Phòng và các "
        "xã của thành phố; small: 2 tỉnh × 5 xã (để kiểm thử)",
    )
    generate.add_argument("--seed", type=int, default=57, help="hạt giống ngẫu nhiên (57)")
    generate.add_argument(
        "--replace",
        action="store_true",
        help="xóa dữ liệu tổng hợp đã sinh trước đó rồi sinh lại",
    )
    generate.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    generate.set_defaults(func=cmd_generate)


def cmd_generate(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    from theodoi.dataset.synthetic import GenerationError, dataset_present, generate
    from theodoi.domain.formatting import format_number
    from theodoi.history import data_user

    # With --json the progress goes to stderr, so stdout holds only the JSON.
    out = sys.stderr if args.json else sys.stdout

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not dataset_present():
        say("Chưa có bộ dữ liệu Cát Hải: nạp trước (như “theodoi demo”)…")
        from theodoi.dataset.common import DatasetError
        from theodoi.dataset.demo import load_demo

        try:
            load_demo(default_data_dir())
        except DatasetError as exc:
            raise CommandError(f"Không nạp được bộ dữ liệu Cát Hải. {exc}") from None
    loader = data_user()
    say(f"Sinh dữ liệu tổng hợp: --scale {args.scale}, seed {args.seed}")
    try:
        result = generate(
            scale=args.scale, seed=args.seed, replace=args.replace, user=loader, say=say
        )
    except GenerationError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        print_json(result.as_dict())
        return
    counts = result.counts
    print(f"Xong sau {format_number(round(result.elapsed))} giây. Trong phạm vi đã sinh:")
    for key, label in COUNT_LABELS.items():
        extra = ""
        if key == "provinces":
            extra = f" (tạo mới {format_number(counts['provinces_created'])})"
        elif key == "communes":
            extra = f" (trong đó {format_number(counts['communes_created'])} xã tổng hợp mới)"
        print(f"  {label}: {format_number(counts[key])}{extra}")
    print(f"Mã kiểm tra (giống nhau khi cùng seed): {result.checksum}")
