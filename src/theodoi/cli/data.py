"""``theodoi demo``, ``serve``, ``units`` and ``manage``: the database, the web app and the
unit tree.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from theodoi.cli.common import CommandError, default_data_dir, print_json


def add_parsers(sub: Any) -> None:
    """Add ``demo``, ``serve`` and ``units`` to the ``theodoi`` parser."""
    demo = sub.add_parser("demo", help="tạo hoặc làm mới cơ sở dữ liệu với dữ liệu Cát Hải")
    demo.add_argument("--data", help="thư mục bộ dữ liệu (mặc định: data/ của mã nguồn)")
    demo.add_argument(
        "--ghi-de",
        dest="overwrite",
        action="store_true",
        help="nạp lại bộ dữ liệu mẫu cả khi người dùng đã nhập, sửa dữ liệu (ghi đè)",
    )
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="chạy ứng dụng web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port_number, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)

    units = sub.add_parser("units", help="cây đơn vị với mã và tên")
    units.add_argument("--json", action="store_true")
    units.set_defaults(func=cmd_units)

    compress = sub.add_parser(
        "static-compress",
        help="nén sẵn (gzip, Brotli) CSS/JS của giao diện cài từ npm, để gửi nhẹ trên mạng chậm",
    )
    compress.set_defaults(func=cmd_static_compress)


def port_number(text: str) -> int:
    """A TCP port, 1–65535, said in Vietnamese when it is not one."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cổng “{text}” không phải số") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"cổng {port} không hợp lệ: phải từ 1 đến 65535")
    return port


def add_manage(sub: Any) -> None:
    """Add ``manage`` (any Django management command)."""
    manage = sub.add_parser("manage", help="lệnh quản trị Django")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)


LOAD_LABELS = {
    "units": "đơn vị",
    "successions": "quan hệ kế thừa đơn vị",
    "documents": "văn bản",
    "document stubs": "văn bản mới biết số hiệu (cần bổ sung)",
    "references": "liên hệ giữa văn bản",
    "data elements": "loại số liệu",
    "breakdowns": "phân tổ số liệu",
    "validation rules": "quy tắc kiểm tra số liệu",
    "plans": "kế hoạch",
    "groups": "nhóm nhiệm vụ, chỉ tiêu",
    "tasks": "nhiệm vụ",
    "indicators": "chỉ tiêu",
    "targets": "mục tiêu theo mốc",
    "data values": "số liệu từ văn bản",
    "report profiles": "cách trình bày báo cáo (cơ quan ban hành)",
    "report outlines": "dàn ý báo cáo (mục, khối)",
    "illustrative submissions": "báo cáo kỳ minh họa",
    "illustrative task updates": "tiến độ nhiệm vụ minh họa",
    "illustrative data values": "số liệu minh họa",
    "accounts": "tài khoản",
    "memberships": "phân quyền",
}


def cmd_demo(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from django.utils import timezone

    from theodoi.dataset.common import DatasetError
    from theodoi.dataset.demo import load_demo, people_changes

    changes = people_changes()
    if changes.count and not args.overwrite:
        when = timezone.localtime(changes.last).strftime("%H:%M ngày %d/%m/%Y")
        print(
            f"Cơ sở dữ liệu đã có {changes.count} thay đổi do người dùng nhập, sửa (gần nhất lúc "
            f"{when}): không nạp lại bộ dữ liệu mẫu để khỏi ghi đè lên dữ liệu đó. Muốn nạp lại "
            "thì chạy: theodoi demo --ghi-de"
        )
        print_demo_key_notice()
        print("Chạy giao diện web: theodoi serve  (mở http://127.0.0.1:8000/)")
        return
    try:
        result = load_demo(Path(args.data) if args.data else default_data_dir())
    except DatasetError as exc:
        raise CommandError(f"Không nạp được bộ dữ liệu, không có gì bị thay đổi. {exc}") from None
    db = settings.DATABASES["default"]
    where = db["NAME"] if "sqlite" in db["ENGINE"] else f"{db['ENGINE']} {db['NAME']}"
    print(f"Đã nạp bộ dữ liệu Cát Hải vào cơ sở dữ liệu: {where}")
    if result.written:
        for kind, count in sorted(result.written.items()):
            print(f"  {LOAD_LABELS.get(kind, kind)}: {count} được tạo hoặc cập nhật")
    else:
        print("  Không có gì thay đổi: cơ sở dữ liệu đã khớp với bộ dữ liệu.")
    if result.unresolved_units:
        print(
            "  Tên cơ quan không phải đơn vị trong hệ thống (giữ nguyên như văn bản ghi): "
            + "; ".join(sorted(result.unresolved_units))
        )
    print(
        "Tài khoản dùng thử của bản demo, mỗi vai trò một tài khoản (chỉ dùng trên máy này, "
        "đăng nhập tại http://127.0.0.1:8000/):"
    )
    for username, password, role in result.accounts:
        print(f"  {username} / {password} — {role}")
    print_demo_key_notice()
    print("Chạy giao diện web: theodoi serve  (mở http://127.0.0.1:8000/)")


def print_demo_key_notice() -> None:
    """Say so when the app runs on the demo's key, which everyone can read in the source."""
    from django.conf import settings

    if settings.SECRET_KEY_IS_DEMO:
        print(
            "Khóa bí mật: đang dùng khóa dùng thử của bản demo (chưa đặt THEODOI_SECRET_KEY) — "
            "chỉ để chạy thử trên máy này."
        )


def cmd_serve(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from waitress import create_server

    from theodoi.wsgi import application

    try:
        server = create_server(application, host=args.host, port=args.port, threads=args.threads)
    except OSError as exc:
        reason = {98: "cổng đang được chương trình khác dùng", 99: "máy này không có địa chỉ đó"}
        raise CommandError(
            f"Không mở được máy chủ web tại {args.host}:{args.port}: "
            f"{reason.get(exc.errno, exc.strerror)}. Hãy chọn --port hoặc --host khác."
        ) from None
    print_demo_key_notice()
    print(f"theodoi đang chạy tại http://{args.host}:{args.port}/ — nhấn Ctrl+C để dừng.")
    try:
        server.run()
    except KeyboardInterrupt:
        print("Đã dừng máy chủ web.")


def cmd_units(args: argparse.Namespace) -> None:
    from theodoi.orgs.selectors import unit_tree

    tree = unit_tree(user=None)
    if args.json:
        print_json(tree)
        return
    if not tree:
        raise CommandError("Chưa có đơn vị nào. Hãy chạy: theodoi demo")
    for unit in tree:
        validity = ""
        if unit["valid_to"]:
            validity = f"  (hết hiệu lực từ sau {dt.date.fromisoformat(unit['valid_to']):%d/%m/%Y})"
        print(f"{'  ' * unit['depth']}{unit['code']:<18} {unit['name']}{validity}")


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["theodoi manage", *args.rest])


def cmd_static_compress(args: argparse.Namespace) -> None:
    """Beside each file of the front-end packages (Bootstrap, htmx, Chart.js …, installed by
    ``npm ci``), its gzip and Brotli versions: the app then sends a browser that accepts them
    the compressed file (WhiteNoise). Only these packages: they change only when ``npm ci``
    runs again (``make setup`` then compresses again); the project's own files are sent as
    they are, so an edit is never hidden behind an older compressed copy."""
    from django.conf import settings
    from whitenoise.compress import Compressor

    import theodoi
    from theodoi.web import icons

    roots = [Path(root) for _prefix, root in settings.STATICFILES_DIRS]
    package = settings.NODE_MODULES / icons.PACKAGE
    if package.is_dir():
        subset = settings.ICON_SUBSET
        names = icons.icons_used(Path(theodoi.__file__).parent, set(icons.codepoints(package)))
        icons.build_subset(package, subset, names)
        roots.append(subset)
        print(f"Bộ biểu tượng rút gọn: {len(names)} biểu tượng giao diện dùng.")
    compressor = Compressor(quiet=True)
    count = 0
    for root in dict.fromkeys(roots):
        for path in sorted(root.rglob("*")):
            if path.is_file() and compressor.should_compress(path.name):
                count += len(compressor.compress(str(path)))
    print(f"Đã nén sẵn {count} tệp của giao diện (gzip, Brotli).")
