"""``theodoi backup`` and ``theodoi restore``: the database and the uploaded files in one
file, and back (theodoi.ops.backup does the work).

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError

CONFIRMATIONS = {"có", "co", "c", "yes", "y"}


def add_parsers(sub: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``theodoi`` parser."""
    backup = sub.add_parser(
        "backup",
        help="sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (chạy được khi ứng dụng "
        "đang chạy)",
    )
    backup.add_argument("file", metavar="TỆP", help="tệp sao lưu sẽ ghi, ví dụ sao-luu.tar.gz")
    backup.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser(
        "restore", help="khôi phục cơ sở dữ liệu và tệp tải lên từ một bản sao lưu"
    )
    restore.add_argument("file", metavar="TỆP", help="tệp do “theodoi backup” ghi")
    restore.add_argument(
        "--yes", action="store_true", help="không hỏi lại trước khi ghi đè dữ liệu hiện có"
    )
    restore.set_defaults(func=cmd_restore)


def _size(count: int) -> str:
    from theodoi.domain.formatting import format_number

    if count < 1024:
        return f"{count} byte"
    if count < 1024 * 1024:
        return f"{format_number(count / 1024, 1)} KB"
    return f"{format_number(count / (1024 * 1024), 1)} MB"


def _when(manifest) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(manifest.created):%H:%M ngày %d/%m/%Y}"


def cmd_backup(args: argparse.Namespace) -> None:
    from django.conf import settings

    from theodoi.ops.backup import BackupError, backup_create
    from theodoi.ops.databases import database_label

    try:
        result = backup_create(target=Path(args.file), overwrite=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    manifest = result.manifest
    print(f"Đã sao lưu vào {result.path} ({_size(result.size)}):")
    print(f"  cơ sở dữ liệu {database_label()}")
    print(
        f"  {manifest.media_files} tệp tải lên ({_size(manifest.media_bytes)}) "
        f"từ {settings.MEDIA_ROOT}"
    )
    print(f"Khôi phục: theodoi restore {result.path}")


def _confirmed(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} Gõ “có” để tiếp tục: ")
    except EOFError:
        return False
    return answer.strip().lower() in CONFIRMATIONS


def cmd_restore(args: argparse.Namespace) -> None:
    from django.conf import settings

    from theodoi.ops.backup import BackupError, backup_inspect, backup_restore
    from theodoi.ops.databases import database_label

    source = Path(args.file).resolve()
    try:
        manifest = backup_inspect(source=source)
        overwrite = (
            f"Khôi phục sẽ ghi đè toàn bộ cơ sở dữ liệu {database_label()} và mọi tệp trong "
            f"{settings.MEDIA_ROOT} bằng bản sao lưu lúc {_when(manifest)}."
        )
        if not args.yes and not _confirmed(overwrite):
            raise CommandError(f"{overwrite} Chưa thay đổi gì; thêm --yes để xác nhận.")
        result = backup_restore(source=source)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(
        f"Đã khôi phục từ {source} (sao lưu lúc {_when(manifest)}, "
        f"theodoi {manifest.theodoi_version}):"
    )
    print(f"  cơ sở dữ liệu {database_label()}")
    print(
        f"  {manifest.media_files} tệp tải lên ({_size(manifest.media_bytes)}) vào "
        f"{settings.MEDIA_ROOT}"
        + (
            f"; đã bỏ {result.media_removed} tệp không có trong bản sao lưu"
            if result.media_removed
            else ""
        )
    )
    if result.unapplied_migrations:
        print(
            f"Cơ sở dữ liệu vừa khôi phục còn thiếu {len(result.unapplied_migrations)} bước "
            "cập nhật cấu trúc của phiên bản đang chạy: hãy chạy “theodoi manage migrate”."
        )
    print("Nếu ứng dụng đang chạy, hãy khởi động lại để mọi tiến trình đọc dữ liệu vừa khôi phục.")
