"""``theodoi remind``: today's reminders of reporting deadlines, and the e-mails waiting.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
from typing import Any

from theodoi.cli.common import date_arg


def add_parsers(sub: Any) -> None:
    remind = sub.add_parser(
        "remind",
        help="nhắc các đơn vị sắp đến hạn, quá hạn gửi báo cáo; gửi thư thông báo đang chờ",
    )
    remind.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi gì")
    remind.add_argument("--date", help="coi hôm nay là ngày này (dd/mm/yyyy), để thử")
    remind.set_defaults(func=cmd_remind)


def cmd_remind(args: argparse.Namespace) -> None:
    from django.utils import timezone

    from theodoi.notify.services import mail_digest, mail_pending
    from theodoi.progress.services.reminders import remind

    today = date_arg(args.date) if args.date else timezone.localdate()
    found = remind(today, dry_run=args.dry_run)
    verb = "Sẽ nhắc" if args.dry_run else "Đã nhắc"
    print(f"{verb} {len(found)} đơn vị, kỳ (ngày {today:%d/%m/%Y}):")
    for reminder in found:
        names = ", ".join(p.get_username() for p in reminder.people)
        print(f"  - {reminder.title} → {names}")
    if not args.dry_run:
        from theodoi.progress.services.explanations import explanations_request_due

        asked = explanations_request_due(today)
        print(f"Yêu cầu giải trình khi hết kỳ: {len(asked)} nhiệm vụ, chỉ tiêu.")
        sent = mail_pending()
        digests = mail_digest()
        print(f"Đã gửi {sent} thư thông báo và {digests} thư tổng hợp.")
