"""``theodoi search``: documents, tasks and indicators, typed with or without diacritics.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from theodoi.cli.common import CommandError

KINDS = {"document": "văn bản", "task": "nhiệm vụ", "indicator": "chỉ tiêu"}


def add_parsers(sub: Any) -> None:
    """Add ``search`` to the ``theodoi`` parser."""
    search = sub.add_parser(
        "search",
        help="tìm văn bản, nhiệm vụ, chỉ tiêu (gõ có dấu hay không; chịu được lỗi OCR)",
    )
    search.add_argument("query", nargs="?", default="", metavar="TỪ_KHÓA")
    search.add_argument(
        "--kind", choices=list(KINDS), action="append", help="chỉ tìm loại này (lặp lại được)"
    )
    search.add_argument("--limit", type=int, default=50, help="số kết quả tối đa (mặc định 50)")
    search.add_argument("--json", action="store_true")
    search.add_argument(
        "--rebuild",
        action="store_true",
        help="dựng lại chỉ mục tìm kiếm từ dữ liệu hiện có trước khi tìm",
    )
    search.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace) -> None:
    from theodoi.search.index import search_index_rebuild
    from theodoi.search.selectors import search

    if not args.query.strip() and not args.rebuild:
        raise CommandError('Hãy cho từ khóa cần tìm, ví dụ: theodoi search "chuyen doi so"')
    if args.rebuild:
        started = time.perf_counter()
        written = search_index_rebuild()
        print(
            f"Đã dựng lại chỉ mục tìm kiếm: {written} mục được ghi hoặc xóa "
            f"({time.perf_counter() - started:.1f} giây).",
            file=sys.stderr if args.json else sys.stdout,
        )
        if not args.query:
            return
    # The command runs as the system: every object is visible.
    results = search(user=None, query=args.query, kinds=args.kind, limit=max(args.limit, 0))
    if args.json:
        json.dump(
            [_as_dict(rank, r) for rank, r in enumerate(results, 1)],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return
    if not results:
        print(f"Không tìm thấy văn bản, nhiệm vụ hay chỉ tiêu nào khớp “{args.query}”.")
        return
    print(f"{len(results)} kết quả cho “{args.query}”, khớp nhất trước:")
    width = len(str(len(results)))
    for rank, result in enumerate(results, 1):
        count = f" ({result.hit_count} chỗ)" if result.hit_count > 1 else ""
        title = result.title
        if result.line:
            # A hit in the full text: say what the document is about and where the hit is.
            subject = _shorten(result.subtitle, 90)
            title += (f" — {subject}" if subject else "") + f", dòng {result.line}"
        print(f"{rank:>{width}}. [{result.tier_label}{count}] {result.kind_label}: {title}")
        print(f"{'':>{width}}  {result.before}«{result.match}»{result.after}")


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def _as_dict(rank: int, result: Any) -> dict[str, Any]:
    return {
        "rank": rank,
        "kind": result.kind,
        "id": result.object.pk,
        "title": result.title,
        "subtitle": result.subtitle,
        "tier": int(result.tier),
        "tier_label": result.tier_label,
        "line": result.line,
        "hit_count": result.hit_count,
        "snippet": {"before": result.before, "match": result.match, "after": result.after},
    }
