"""``theodoi report`` and ``theodoi report-template``: the period's report (DOCX, XLSX,
PDF), issuing it, and the default template.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from theodoi.cli.common import (
    CommandError,
    date_arg,
    file_with_suffix,
    period_arg,
    plan_arg,
    positive_int,
    unit_arg,
    write_file,
)


def add_parsers(sub: Any) -> None:
    """Add ``report``, ``outlines`` and ``report-template`` to the ``theodoi`` parser."""
    report = sub.add_parser("report", help="lập báo cáo kỳ (DOCX, XLSX, PDF)")
    report.add_argument("--unit", required=True, help="mã hoặc tên đơn vị, có dấu hay không")
    report.add_argument(
        "--period",
        required=True,
        help="kỳ: 2026-Q1, 2026-Q1-cutoff, 2026-03, 2026-H1, 2026-9M, 2026, 01/01/2026..28/04/2026",
    )
    report.add_argument("--as-of", help="số liệu tính đến ngày (mặc định: cuối kỳ)")
    report.add_argument(
        "--outline",
        metavar="MÃ_DÀN_Ý",
        help="loại báo cáo theo dàn ý (mặc định: bao-cao-dinh-ky-nq57; xem theodoi outlines)",
    )
    report.add_argument(
        "--issuer",
        metavar="MÃ_CƠ_QUAN",
        help="cơ quan đứng tên ban hành: ubnd, bcd, du … (mặc định: theo dàn ý)",
    )
    report.add_argument(
        "--request",
        metavar="SỐ_KÝ_HIỆU",
        help="văn bản yêu cầu báo cáo, nêu ở câu mở đầu (ví dụ 4157/SKHCN-CNTT)",
    )
    report.add_argument("--plan", action="append", help="ký hiệu kế hoạch (lặp lại được)")
    report.add_argument("--out", required=True, type=file_with_suffix(".docx"), help="tệp DOCX")
    report.add_argument("--xlsx", type=file_with_suffix(".xlsx"), help="tệp XLSX phụ lục")
    report.add_argument("--pdf", type=file_with_suffix(".pdf"), help="tệp PDF (cần LibreOffice)")
    report.add_argument("--date", help="ngày ký (dd/mm/yyyy)")
    report.add_argument("--number", type=positive_int, help="số báo cáo")
    report.add_argument("--signer", help="người ký")
    report.add_argument("--template", help="tệp mẫu DOCX thay cho mẫu của đơn vị")
    report.add_argument(
        "--issue",
        action="store_true",
        help="ban hành: chốt nội dung và vào sổ đăng ký (cần --number, --date)",
    )
    report.add_argument(
        "--replaces",
        metavar="SỐ_KÝ_HIỆU",
        help="khi ban hành: báo cáo này thay thế báo cáo đã ban hành của kỳ (ví dụ 66/BC-UBND)",
    )
    report.set_defaults(func=cmd_report)

    outlines = sub.add_parser("outlines", help="các loại báo cáo (dàn ý) một đơn vị dùng được")
    outlines.add_argument("--unit", default="CATHAI", help="mã hoặc tên đơn vị")
    outlines.add_argument("--json", action="store_true")
    outlines.set_defaults(func=cmd_outlines)

    template = sub.add_parser("report-template", help="xuất mẫu báo cáo mặc định để sửa")
    template.add_argument(
        "--out", required=True, type=file_with_suffix(".docx"), help="tệp DOCX mẫu để sửa"
    )
    template.set_defaults(func=cmd_report_template)


def cmd_report(args: argparse.Namespace) -> None:
    from django.core.exceptions import ValidationError

    from theodoi.plans.selectors import plans_for_unit
    from theodoi.reports.render import PdfUnavailableError, ReportTemplateError
    from theodoi.reports.services import report_build, report_issue, report_render
    from theodoi.search.index import search_index_refresh

    unit = unit_arg(args.unit)
    period = period_arg(args.period)
    as_of = date_arg(args.as_of) if args.as_of else period.end
    plans = [plan_arg(s) for s in args.plan] if args.plan else plans_for_unit(unit=unit, user=None)
    if not plans:
        from theodoi.progress.models import PlanSummary

        below = PlanSummary.objects.filter(
            period__code=period.code, unit_path__startswith=unit.path
        ).exists()
        if not below:  # a province's roll-up report needs no plan of its own
            raise CommandError(f"Đơn vị {unit.name} chưa có kế hoạch nào; hãy chỉ rõ --plan.")
    report_date = date_arg(args.date) if args.date else None
    outline = _outline(unit, args.outline)
    issuer = _issuer(unit, args.issuer)
    request = _request_document(args.request) if args.request else None
    template = None
    if args.template:
        try:
            template = Path(args.template).read_bytes()
        except OSError as exc:
            raise CommandError(
                f"Không đọc được tệp mẫu “{args.template}”: {exc.strerror}."
            ) from None
    try:
        if args.issue:
            if not args.number or not report_date:
                raise CommandError("Ban hành báo cáo cần --number (số) và --date (ngày ký).")
            replaced = _issued_report(unit, args.replaces) if args.replaces else None
            report = report_issue(
                unit=unit,
                period=period,
                plans=plans,
                user=None,
                number=args.number,
                issued_on=report_date,
                as_of=as_of,
                signer_name=args.signer,
                corrects=replaced,
                outline=outline,
                profile_code=issuer,
                request_document=request,
                pdf=bool(args.pdf),
            )
            search_index_refresh(reports=[report])  # found by search from now on
            files_docx, files_xlsx, files_pdf = report.docx, report.xlsx, report.pdf
            print(f"Đã ban hành và vào sổ: {report}")
        else:
            snapshot = report_build(
                unit=unit,
                period=period,
                plans=plans,
                user=None,
                as_of=as_of,
                report_date=report_date,
                number=args.number,
                signer_name=args.signer,
                outline=outline,
                profile_code=issuer,
                request_document=request,
            )
            files = report_render(
                snapshot,
                unit=unit,
                pdf=bool(args.pdf),
                template=template,
                template_name=args.template,
            )
            files_docx, files_xlsx, files_pdf = files.docx, files.xlsx, files.pdf
    except (ReportTemplateError, PdfUnavailableError) as exc:
        raise CommandError(str(exc)) from None
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if not args.replaces and "corrects" in getattr(exc, "error_dict", {}):
            message += " Trên dòng lệnh: thêm --replaces SỐ/KÝ-HIỆU của báo cáo đó."
        raise CommandError(message) from None
    write_file(args.out, bytes(files_docx), "báo cáo DOCX")
    if args.xlsx:
        write_file(args.xlsx, bytes(files_xlsx), "phụ lục XLSX")
    if args.pdf and files_pdf is not None:
        write_file(args.pdf, bytes(files_pdf), "báo cáo PDF")


def _outline(unit, code: str | None) -> str | None:
    """The outline code, checked against those the unit may use."""
    if not code:
        return None
    from theodoi.reports.outlines import outline_choices

    codes = [o.code for o in outline_choices(unit)]
    if code not in codes:
        raise CommandError(
            f"Không có dàn ý báo cáo “{code}” cho {unit.name}; dùng một trong: {', '.join(codes)}."
        )
    return code


def _issuer(unit, code: str | None) -> str | None:
    """The issuing body's profile code, checked against the unit's."""
    if not code:
        return None
    from theodoi.reports.services import report_profiles

    codes = [p.code for p in report_profiles(unit)]
    if code not in codes:
        known = ", ".join(codes) or "chưa khai báo cơ quan nào"
        raise CommandError(f"{unit.name} không có cơ quan ban hành “{code}” ({known}).")
    return code


def _request_document(symbol: str):
    """The document a report answers, by its number and symbol."""
    from theodoi.documents.models import Document
    from theodoi.domain.references import normalize_symbol

    found = list(
        Document.objects.filter(symbol=normalize_symbol(symbol.strip())).order_by("-issued_on")
    )
    if not found:
        raise CommandError(
            f"Không có văn bản số “{symbol}” trong hệ thống; hãy nhập văn bản yêu cầu báo cáo "
            "trước (trang Văn bản hoặc theodoi ingest)."
        )
    return found[0]


def _issued_report(unit, symbol: str):
    """The unit's issued report numbered ``symbol`` (e.g. 66/BC-UBND), the newest if the
    number recurs across years."""
    from theodoi.domain.references import normalize_symbol
    from theodoi.reports.models import Report, ReportState

    found = (
        Report.objects.filter(
            org_unit=unit, state=ReportState.ISSUED, symbol=normalize_symbol(symbol.strip())
        )
        .order_by("-issued_on")
        .first()
    )
    if found is None:
        raise CommandError(f"{unit.name} không có báo cáo đã ban hành số “{symbol}”.")
    return found


def cmd_outlines(args: argparse.Namespace) -> None:
    """The outlines a unit may use: one per kind of report, the closest to the unit."""
    import json

    from theodoi.reports.outlines import outline_choices, outline_spec

    unit = unit_arg(args.unit)
    rows = []
    for outline in outline_choices(unit):
        spec = outline_spec(outline)
        rows.append(
            {
                "code": outline.code,
                "name": outline.name,
                "unit": outline.org_unit.code if outline.org_unit else None,
                "issuer": outline.profile_code,
                "sections": [s["heading"] for s in spec["sections"]],
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        print("Chưa có dàn ý báo cáo nào: chạy “theodoi demo” để nạp bộ dữ liệu.")
    for row in rows:
        owner = f"dàn ý của {row['unit']}" if row["unit"] else "mặc định"
        print(f"{row['code']}  {row['name']} ({owner}; cơ quan ban hành: {row['issuer']})")
        for heading in row["sections"]:
            print(f"    {heading}")


def cmd_report_template(args: argparse.Namespace) -> None:
    from theodoi.reports.render import default_template

    write_file(args.out, default_template(), "mẫu báo cáo mặc định (sửa được bằng Word)")
