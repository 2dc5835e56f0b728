"""``theodoi ask``: a question in Vietnamese answered with the number, the rows behind it, how
it was computed and its sources. Without a question, reads one per line (a follow-up keeps
the context of the question before).

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from theodoi.cli.common import CommandError, date_arg


def add_parsers(sub: Any) -> None:
    """Add ``ask`` to the ``theodoi`` parser."""
    ask = sub.add_parser(
        "ask",
        help="hỏi số liệu bằng tiếng Việt (có dấu hay không): nhiệm vụ, chỉ tiêu, số liệu, văn bản",
    )
    ask.add_argument("question", nargs="?", default="", metavar="CÂU_HỎI")
    ask.add_argument(
        "--user", help="trả lời trong phạm vi người dùng này được xem (mặc định: toàn hệ thống)"
    )
    ask.add_argument("--as-of", type=date_arg, help="coi hôm nay là ngày này (dd/mm/yyyy)")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)


def cmd_ask(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model

    from theodoi.ask.answers import answer

    user = None
    if args.user:
        user = get_user_model().objects.filter(username=args.user, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{args.user}” đang hoạt động.")
    if args.question.strip():
        result = answer(args.question, user=user, today=args.as_of)
        _print(result, args.json)
        return
    previous = None
    for line in sys.stdin:
        if not line.strip():
            continue
        result = answer(line, user=user, today=args.as_of, previous=previous)
        _print(result, args.json)
        if not result.refused:
            previous = result.parsed


def as_dict(result: Any) -> dict[str, Any]:
    """An answer as JSON."""
    return {
        "question": result.question,
        "understood": result.understood,
        "answer": result.sentence,
        "value": str(result.value) if result.value is not None else None,
        "missing": result.missing,
        "refused": result.refused,
        "illustrative": result.illustrative,
        "columns": list(result.columns),
        "rows": [{"cells": list(r.cells), "url": r.url, "key": r.key} for r in result.rows],
        "how": result.method,
        "sources": [{"label": s.label, "url": s.url, "quote": s.quote} for s in result.sources],
        "suggestions": list(result.suggestions),
        "as_of": result.as_of.isoformat(timespec="seconds"),
    }


def _print(result: Any, as_json: bool) -> None:
    if as_json:
        json.dump(as_dict(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(result.sentence)
    if result.illustrative:
        print("  (Có dữ liệu minh họa — không phải số liệu thật.)")
    if result.understood:
        print(f"  Đã hiểu: {result.understood}")
    for row in result.rows[:50]:
        print(
            "  - " + " | ".join(c for c in row.cells if c) + (f"  [{row.url}]" if row.url else "")
        )
    if len(result.rows) > 50:
        print(f"  … và {len(result.rows) - 50} dòng nữa (xem --json).")
    for line in result.method:
        print(f"  Cách tính: {line}")
    for source in result.sources:
        quote = f": “{source.quote}”" if source.quote else ""
        print(f"  Nguồn: {source.label}{quote}" + (f"  [{source.url}]" if source.url else ""))
    for suggestion in result.suggestions:
        print(f"  Có thể hỏi: {suggestion}")
    print(f"  Tính lúc {result.as_of:%H:%M %d/%m/%Y}.")
