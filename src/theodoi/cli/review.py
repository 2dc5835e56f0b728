"""``theodoi review list|accept|reject``: the review queue of figures extracted from documents,
at the command line. The local operator acts for every unit; changes are recorded under the
data-loading account, as the other commands' are.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
from typing import Any

from theodoi.cli.common import CommandError, print_json, unit_arg

STATUSES = {"pending": "chờ duyệt", "accepted": "đã nhận", "rejected": "đã loại", "all": "tất cả"}


def add_parsers(sub: Any) -> None:
    """Add ``review`` and its subcommands to the ``theodoi`` parser."""
    review = sub.add_parser("review", help="duyệt số liệu trích từ văn bản (nhận hoặc loại)")
    review_sub = review.add_subparsers(dest="review_command", required=True, metavar="LỆNH")

    listing = review_sub.add_parser("list", help="danh sách số liệu trích từ văn bản")
    listing.add_argument("--document", help="khóa hoặc số, ký hiệu văn bản, ví dụ 276/BC-UBND")
    listing.add_argument(
        "--status",
        choices=list(STATUSES),
        default="pending",
        help="pending (chờ duyệt, mặc định) | accepted | rejected | all",
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_review_list)

    accept = review_sub.add_parser(
        "accept", help="nhận số liệu: ghi thành số liệu của đơn vị, kèm nguồn trích dẫn"
    )
    accept.add_argument("ids", nargs="*", type=int, metavar="ID", help="mã số liệu (cột #)")
    accept.add_argument(
        "--all", action="store_true", help="mọi số liệu chờ duyệt của văn bản --document"
    )
    accept.add_argument("--document", help="khóa hoặc số, ký hiệu văn bản (dùng với --all)")
    accept.add_argument("--unit", help="mã hoặc tên đơn vị, nếu khác đơn vị ban hành văn bản")
    accept.add_argument("--note", default="", help="ghi chú")
    accept.add_argument(
        "--as",
        dest="as_user",
        metavar="TÊN_ĐĂNG_NHẬP",
        help="người duyệt (ghi vào lịch sử, theo quyền của người đó); mặc định: quản trị máy",
    )
    accept.set_defaults(func=cmd_review_accept)

    reject = review_sub.add_parser("reject", help="loại số liệu (phải ghi lý do)")
    reject.add_argument("ids", nargs="+", type=int, metavar="ID", help="mã số liệu (cột #)")
    reject.add_argument("--note", required=True, help="lý do loại")
    reject.add_argument("--as", dest="as_user", metavar="TÊN_ĐĂNG_NHẬP", help="người duyệt")
    reject.set_defaults(func=cmd_review_reject)


def _reviewer(args: argparse.Namespace):
    """The person named by --as (their permissions apply), or None: the local operator."""
    if not getattr(args, "as_user", None):
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=args.as_user, is_active=True).first()
    if user is None:
        raise CommandError(f"không có người dùng “{args.as_user}”.")
    return user


def _document(text: str):
    """The document whose key or symbol (any case, with or without diacritics) is ``text``."""
    from theodoi.documents.models import Document
    from theodoi.domain.references import normalize_symbol
    from theodoi.domain.text import fold

    found = Document.objects.filter(key=text.strip()).first()
    if found is not None:
        return found
    wanted = fold(normalize_symbol(text.strip()))
    candidates = [d for d in Document.objects.exclude(symbol="") if fold(d.symbol) == wanted]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CommandError(f"Không tìm thấy văn bản “{text}”.")
    keys = "; ".join(d.key for d in candidates)
    raise CommandError(f"Nhiều văn bản có số, ký hiệu “{text}”: {keys}. Hãy ghi khóa.")


def _number(value) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _as_dict(figure) -> dict[str, Any]:
    return {
        "id": figure.id,
        "document": figure.document.key,
        "document_symbol": figure.document.symbol,
        "line": figure.line,
        "element_code": figure.element_code,
        "element": figure.element.code if figure.element else None,
        "element_name": figure.element.name if figure.element else None,
        "value": _number(figure.value),
        "unit": figure.unit,
        "scope": figure.scope or None,
        "period": [
            figure.period_start.isoformat() if figure.period_start else None,
            figure.period_end.isoformat() if figure.period_end else None,
        ],
        "org_unit": figure.org_unit.code if figure.org_unit else None,
        "quote": figure.quote,
        "status": figure.status,
        "reviewed_by": figure.reviewed_by.get_username() if figure.reviewed_by else None,
        "reviewed_at": figure.reviewed_at.isoformat() if figure.reviewed_at else None,
        "review_note": figure.review_note,
        "data_value": figure.data_value_id,
    }


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def cmd_review_list(args: argparse.Namespace) -> None:
    from theodoi.archive.selectors import review_queue
    from theodoi.domain.formatting import format_number

    document = _document(args.document) if args.document else None
    status = "" if args.status == "all" else args.status
    figures = list(review_queue(user=None, document=document, status=status))
    if args.json:
        print_json([_as_dict(f) for f in figures])
        return
    if not figures:
        print(f"Không có số liệu trích từ văn bản nào ({STATUSES[args.status]}).")
        return
    current = None
    for figure in figures:
        if figure.document_id != current:
            current = figure.document_id
            count = sum(1 for f in figures if f.document_id == current)
            print(f"{figure.document} — {count} số liệu ({STATUSES[args.status]})")
        code = figure.element.code if figure.element else f"{figure.element_code} (chưa có mã)"
        value = format_number(figure.value, 4, strip_zeros=True)
        scope = f" [{figure.scope}]" if figure.scope else ""
        period = (
            f"{_date(figure.period_start)}–{_date(figure.period_end)}"
            if figure.period_start or figure.period_end
            else "kỳ theo ngày văn bản"
        )
        unit = figure.org_unit.code if figure.org_unit else "chưa rõ đơn vị"
        print(
            f"  #{figure.id:<5} dòng {figure.line:<4} {code}{scope} = {value} {figure.unit}; "
            f"{period}; {unit}; {figure.get_status_display().lower()}"
        )
        print(f"         “{figure.quote}”")


def _figures(ids: list[int]):
    from theodoi.archive.models import ExtractedFigure

    found = {f.id: f for f in ExtractedFigure.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise CommandError(f"Không có số liệu trích từ văn bản mã {', '.join(missing)}.")
    return [found[i] for i in dict.fromkeys(ids)]


def _each(figures, act) -> None:
    """Review each figure on its own: one refused figure does not undo the others."""
    from django.core.exceptions import PermissionDenied, ValidationError

    refused = 0
    for figure in figures:
        try:
            print(act(figure))
        except (ValidationError, PermissionDenied) as exc:
            refused += 1
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            print(f"Không duyệt được #{figure.id} (dòng {figure.line}): {' '.join(messages)}")
    if refused:
        raise CommandError(f"{refused}/{len(figures)} số liệu không duyệt được (xem trên).")


def cmd_review_accept(args: argparse.Namespace) -> None:
    from theodoi.archive.review import extracted_figure_accept
    from theodoi.archive.selectors import review_queue
    from theodoi.domain.formatting import format_number

    if args.all:
        if not args.document or args.ids:
            raise CommandError("Dùng --all cùng --document (và không ghi mã số liệu).")
        figures = list(review_queue(user=None, document=_document(args.document)))
        if not figures:
            raise CommandError(f"Văn bản “{args.document}” không có số liệu nào chờ duyệt.")
    elif not args.ids:
        raise CommandError("Hãy ghi mã số liệu cần nhận, hoặc --all --document VĂN_BẢN.")
    else:
        figures = _figures(args.ids)
    unit = unit_arg(args.unit) if args.unit else None

    def accept(figure) -> str:
        value = extracted_figure_accept(
            figure=figure, user=_reviewer(args), org_unit=unit, note=args.note
        )
        shown = format_number(value.value, 4, strip_zeros=True)
        return (
            f"Đã nhận #{figure.id}: {value.element.code} = {shown} ({value.org_unit.code}, "
            f"{value.period.label}), nguồn {figure.document}, dòng {figure.line}."
        )

    _each(figures, accept)


def cmd_review_reject(args: argparse.Namespace) -> None:
    from theodoi.archive.review import extracted_figure_reject

    if not args.note.strip():
        raise CommandError("Loại số liệu thì phải ghi lý do (--note).")

    def reject(figure) -> str:
        extracted_figure_reject(figure=figure, user=_reviewer(args), note=args.note)
        return f"Đã loại #{figure.id} (dòng {figure.line} của {figure.document})."

    _each(_figures(args.ids), reject)
