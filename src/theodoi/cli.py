"""The ``theodoi`` command.

    theodoi demo                     create or refresh the embedded database with the Cát Hải data
    theodoi serve [--host] [--port]  run the web application
    theodoi units [--json]           the org unit tree
    theodoi plan show SYMBOL [--json]
    theodoi summary --plan SYMBOL --as-of DATE [--unit CODE] [--json]
    theodoi template plan|progress|values [--plan] [--unit] [--period] --out FILE.xlsx
    theodoi export plan|progress|values [--plan] [--unit] [--period] --out FILE.xlsx|FILE.csv
    theodoi import FILE.xlsx [--dry-run] [--as USERNAME] [--accept-suggestions]
    theodoi bench import [--rows 10000] [--path service|model]
    theodoi validate --unit CODE --period 2026-Q1 [--json]
    theodoi exchange export|import …  DHIS2 dataValueSets (JSON/CSV) with upper levels
    theodoi rollup --unit CODE --period 2026-Q1 [--json]
    theodoi review list|accept|reject …  figures extracted from documents, before they count
    theodoi search QUERY [--kind document|task|indicator] [--limit N] [--json] [--rebuild]
    theodoi generate --scale national|province|small [--seed 57] [--replace] [--json]
    theodoi manage ARGS…             any Django management command

Errors are printed in Vietnamese and exit with status 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

DEMO_USER = "theodoi-dulieu"

LOAD_LABELS = {
    "units": "đơn vị",
    "successions": "quan hệ kế thừa đơn vị",
    "documents": "văn bản",
    "document stubs": "văn bản mới biết số hiệu (cần bổ sung)",
    "references": "liên hệ giữa văn bản",
    "data elements": "loại số liệu",
    "validation rules": "quy tắc kiểm tra số liệu",
    "plans": "kế hoạch",
    "groups": "nhóm nhiệm vụ, chỉ tiêu",
    "tasks": "nhiệm vụ",
    "indicators": "chỉ tiêu",
    "targets": "mục tiêu theo mốc",
    "data values": "số liệu từ văn bản",
    "report profiles": "mẫu trình bày báo cáo",
    "illustrative task updates": "tiến độ nhiệm vụ minh họa",
    "illustrative data values": "số liệu minh họa",
    "accounts": "tài khoản",
    "memberships": "phân quyền",
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "theodoi.settings")
    import django

    django.setup()


def default_data_dir() -> Path:
    """The dataset shipped with the source tree (``data/`` beside ``src/``)."""
    return Path(__file__).resolve().parents[2] / "data"


class CommandError(Exception):
    """An error the user can fix; printed in Vietnamese without a traceback."""


def _date(text: str) -> dt.date:
    from theodoi.domain.formatting import FormatError, parse_date

    try:
        return parse_date(text)
    except FormatError as exc:
        raise CommandError(str(exc)) from None


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cmd_demo(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from theodoi.ingest.dataset import DatasetError
    from theodoi.ingest.demo import load_demo

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
    print("Chạy giao diện web: theodoi serve  (mở http://127.0.0.1:8000/)")


def cmd_serve(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from waitress import serve

    from theodoi.wsgi import application

    print(f"theodoi đang chạy tại http://{args.host}:{args.port}/ — nhấn Ctrl+C để dừng.")
    serve(application, host=args.host, port=args.port, threads=args.threads)


def cmd_units(args: argparse.Namespace) -> None:
    from theodoi.orgs.selectors import unit_tree

    tree = unit_tree(user=None)
    if args.json:
        _print_json(tree)
        return
    if not tree:
        raise CommandError("Chưa có đơn vị nào. Hãy chạy: theodoi demo")
    for unit in tree:
        validity = ""
        if unit["valid_to"]:
            validity = f"  (hết hiệu lực từ sau {dt.date.fromisoformat(unit['valid_to']):%d/%m/%Y})"
        print(f"{'  ' * unit['depth']}{unit['code']:<18} {unit['name']}{validity}")


def _plan(symbol: str):
    from theodoi.plans.selectors import PlanLookupError, plan_find

    try:
        return plan_find(symbol=symbol, user=None)
    except PlanLookupError as exc:
        raise CommandError(str(exc)) from None


def cmd_plan_show(args: argparse.Namespace) -> None:
    from theodoi.plans.selectors import plan_as_dict

    data = plan_as_dict(plan=_plan(args.symbol), user=None)
    if args.json:
        _print_json(data)
        return
    width = shutil.get_terminal_size((100, 20)).columns
    wrap = textwrap.TextWrapper(width=max(60, width), subsequent_indent=" " * 13)
    print(wrap.fill(f"{data['plan']} — {data['title']}"))
    titles = {g["code"]: g["title"] for g in data["groups"]}
    group = None
    for task in data["tasks"]:
        if task["group"] != group:
            group = task["group"]
            print()
            print(textwrap.fill(f"{group}. {titles.get(group, '')}", width=max(60, width)))
        print(wrap.fill(f"  {task['code']:<10} {task['title']}"))
        lead = task["lead_unit"] or "(kế hoạch không ghi)"
        deadline = task["deadline"]["text"] or "theo văn bản nguồn"
        print(wrap.fill(f"  {'':<10} Chủ trì: {lead}; thời hạn: {deadline}"))
    group = None
    print("\nCHỈ TIÊU")
    for indicator in data["indicators"]:
        if indicator["group"] != group:
            group = indicator["group"]
            print(f"\n{group}. {titles.get(group, '')}")
        targets = "; ".join(f"{y}: {t['text']}" for y, t in indicator["targets"].items())
        print(wrap.fill(f"  {indicator['code']:<10} {indicator['name']} ({indicator['unit']})"))
        print(wrap.fill(f"  {'':<10} Mục tiêu: {targets or '(không đọc được từ văn bản)'}"))


def cmd_summary(args: argparse.Namespace) -> None:
    from theodoi.orgs.selectors import UnitLookupError, unit_find
    from theodoi.progress.selectors import plan_summary

    plan = _plan(args.plan)
    as_of = _date(args.as_of) if args.as_of else dt.date.today()
    unit = None
    if args.unit:
        try:
            unit = unit_find(query=args.unit, user=None)
        except UnitLookupError as exc:
            raise CommandError(str(exc)) from None
    summary = plan_summary(plan=plan, as_of=as_of, user=None, unit=unit)
    if args.json:
        _print_json(summary)
        return
    scope = f" — {unit.name}" if unit else ""
    print(f"Kế hoạch {summary['plan']}{scope}, tính đến ngày {as_of:%d/%m/%Y}:")
    print(summary["sentence"])
    if summary["illustrative"]:
        print(
            "(Có dùng dữ liệu minh họa: tiến độ nhiệm vụ và số liệu chỉ tiêu chưa phải số "
            "liệu thật của đơn vị.)"
        )


def _unit(query: str):
    from theodoi.orgs.selectors import UnitLookupError, unit_find

    try:
        return unit_find(query=query, user=None)
    except UnitLookupError as exc:
        raise CommandError(str(exc)) from None


def _period(code: str):
    from theodoi.domain.periods import PeriodError, parse_period

    try:
        return parse_period(code)
    except PeriodError as exc:
        raise CommandError(str(exc)) from None


def _write(path: str, content: bytes, what: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"Không ghi được {what} vào “{path}”: {exc.strerror}.") from None
    print(f"Đã ghi {what}: {target}")


def cmd_report(args: argparse.Namespace) -> None:
    from django.core.exceptions import ValidationError

    from theodoi.plans.selectors import plans_for_unit
    from theodoi.reports.render import PdfUnavailableError, ReportTemplateError
    from theodoi.reports.services import report_build, report_issue, report_render

    unit = _unit(args.unit)
    period = _period(args.period)
    as_of = _date(args.as_of) if args.as_of else period.end
    plans = [_plan(s) for s in args.plan] if args.plan else plans_for_unit(unit=unit, user=None)
    if not plans:
        from theodoi.progress.models import PlanSummary

        below = PlanSummary.objects.filter(
            period__code=period.code, unit_path__startswith=unit.path
        ).exists()
        if not below:  # a province's roll-up report needs no plan of its own
            raise CommandError(f"Đơn vị {unit.name} chưa có kế hoạch nào; hãy chỉ rõ --plan.")
    report_date = _date(args.date) if args.date else None
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
            report = report_issue(
                unit=unit,
                period=period,
                plans=plans,
                user=None,
                number=args.number,
                issued_on=report_date,
                as_of=as_of,
                signer_name=args.signer,
                pdf=bool(args.pdf),
            )
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
        raise CommandError(" ".join(exc.messages)) from None
    _write(args.out, bytes(files_docx), "báo cáo DOCX")
    if args.xlsx:
        _write(args.xlsx, bytes(files_xlsx), "phụ lục XLSX")
    if args.pdf and files_pdf is not None:
        _write(args.pdf, bytes(files_pdf), "báo cáo PDF")


def cmd_report_template(args: argparse.Namespace) -> None:
    from theodoi.reports.render import default_template

    _write(args.out, default_template(), "mẫu báo cáo mặc định (sửa được bằng Word)")


def cmd_bench_scale(args: argparse.Namespace) -> None:
    from theodoi import benchmark
    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.models import PlanSummary

    expected = {"national": 3321, "province": 60, "small": 0}[args.scale]
    # Communes with a plan of their own: the synthetic ones and Cát Hải.
    communes = OrgUnit.objects.filter(plans__isnull=False).distinct()
    if communes.count() < expected:
        raise CommandError(
            f"Cơ sở dữ liệu mới có {communes.count()} xã có kế hoạch; hãy chạy "
            f"“theodoi generate --scale {args.scale}” trước."
        )
    if not PlanSummary.objects.filter(period__code=_period(args.period).code).exists():
        raise CommandError(
            f"Chưa có bản tổng hợp kỳ {args.period}; hãy chạy "
            f"“theodoi summaries refresh --period {args.period}” trước."
        )
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    figures = benchmark.run(
        scale=args.scale,
        period_code=args.period,
        clients=args.clients,
        seconds=args.seconds,
        repeat=args.repeat,
        server_kind=args.server,
        workers=args.workers,
        progress=say,
    )
    if args.json:
        benchmark.main_json(figures)
    else:
        benchmark.print_report(figures)


def cmd_bench_report(args: argparse.Namespace) -> None:
    import time

    from theodoi.plans.selectors import plans_for_unit
    from theodoi.reports.render import libreoffice, render_pdf
    from theodoi.reports.services import report_build, report_render

    unit = _unit(args.unit)
    period = _period(args.period)
    plans = plans_for_unit(unit=unit, user=None)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        snapshot = report_build(unit=unit, period=period, plans=plans, user=None)
        built = time.perf_counter()
        files = report_render(snapshot, unit=unit)
        done = time.perf_counter()
        timings.append((built - started, done - built, done - started))
    best = min(timings, key=lambda t: t[2])
    print(
        f"Báo cáo {period.label}, {unit.name} ({len(snapshot['task_rows'])} nhiệm vụ, "
        f"{len(snapshot['indicator_rows'])} chỉ tiêu), tốt nhất trong {args.repeat} lần:"
    )
    print(f"  tổng hợp số liệu      {best[0] * 1000:8.0f} ms")
    print(f"  DOCX + XLSX           {best[1] * 1000:8.0f} ms")
    print(f"  tổng                  {best[2] * 1000:8.0f} ms   (mục tiêu ≤ 1.500 ms)")
    if libreoffice():
        started = time.perf_counter()
        render_pdf(files.docx)
        print(f"  PDF (LibreOffice)     {(time.perf_counter() - started) * 1000:8.0f} ms")
    else:
        print("  PDF: bỏ qua, máy chưa có LibreOffice")


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["theodoi manage", *args.rest])


def cmd_validate(args: argparse.Namespace) -> None:
    from theodoi.domain.rules import Importance
    from theodoi.progress.models import Period
    from theodoi.progress.selectors import figure_violations

    unit = _unit(args.unit)
    period = _period(args.period)
    stored = Period.objects.filter(code=period.code).first()
    violations = figure_violations(unit=unit, period=stored) if stored else []
    if args.json:
        _print_json(
            {
                "unit": unit.code,
                "period": period.code,
                "violations": [
                    {
                        "rule": v.rule.code,
                        "importance": v.rule.importance.value,
                        "left": str(v.left_value) if v.left_value is not None else None,
                        "right": str(v.right_value) if v.right_value is not None else None,
                        "message": v.message,
                    }
                    for v in violations
                ],
            }
        )
    elif stored is None:
        print(f"{unit.name} chưa có số liệu nào của {period.label}.")
    elif not violations:
        print(f"Số liệu {period.label} của {unit.name} khớp mọi quy tắc kiểm tra đang áp dụng.")
    else:
        print(f"Số liệu {period.label} của {unit.name}: {len(violations)} chỗ chưa khớp")
        for v in violations:
            print(f"  [{Importance(v.rule.importance).label}] {v.message}")
    if violations:
        raise SystemExit(1)


def cmd_exchange_export(args: argparse.Namespace) -> None:
    from theodoi.progress.exchange import data_value_sets_csv, data_value_sets_export

    unit = _unit(args.unit)
    period = _period(args.period)
    try:
        document = data_value_sets_export(unit=unit, period=period, user=None)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    if args.out.lower().endswith(".csv"):
        content = data_value_sets_csv(document).encode("utf-8")
    else:
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    _write(args.out, content, f"{len(document['dataValues'])} số liệu (dataValueSets)")


def cmd_exchange_import(args: argparse.Namespace) -> None:
    from django.contrib.auth import get_user_model

    from theodoi.progress.exchange import (
        ExchangeError,
        data_value_sets_import,
        read_data_value_sets,
    )

    user = get_user_model().objects.filter(username=args.as_user).first()
    if user is None:
        raise CommandError(f"Không có người dùng “{args.as_user}”.")
    path = Path(args.file)
    try:
        content = path.read_bytes()
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


def cmd_rollup(args: argparse.Namespace) -> None:
    from theodoi.domain.formatting import format_number
    from theodoi.progress.selectors import rollup_summary

    unit = _unit(args.unit)
    period = _period(args.period)
    summary = rollup_summary(unit=unit, period=period, user=None)
    for figure in summary["figures"].values():
        figure["value"] = format(figure["value"].normalize(), "f")
    if args.json:
        _print_json(summary)
        return
    reporting, computed = summary["reporting"], summary["computed"]
    print(f"{unit.name} và các đơn vị trực thuộc — {period.label}")
    print(f"  {summary['sentence']}")
    print(
        f"  Đơn vị phải báo cáo: {reporting['units_expected_to_report']}; đã gửi: "
        f"{reporting['units_reported']}; đã phê duyệt: {reporting['units_approved']}; gửi đúng "
        f"hạn: {reporting['units_reported_on_time']}"
    )
    when = computed["oldest"].strftime("%H:%M %d/%m/%Y") if computed["oldest"] else "chưa tính"
    state = "đã cập nhật" if computed["up_to_date"] else "CÓ THỂ CHƯA CẬP NHẬT"
    print(
        f"  Tổng hợp từ {computed['plans_summarised']}/{computed['plans']} kế hoạch, tính lúc "
        f"{when} ({state}; chạy “theodoi summaries refresh” để tính lại)"
    )
    for code, figure in summary["figures"].items():
        value = format_number(Decimal(figure["value"]), 2 if figure["unit"] == "%" else 0)
        print(f"  {code:<34} {value:>14} {figure['unit']}  ({figure['units']} đơn vị)")


def cmd_summaries_refresh(args: argparse.Namespace) -> None:
    import time

    from theodoi.plans.models import Plan
    from theodoi.progress.services import period_ensure, summaries_refresh

    period = period_ensure(period=_period(args.period), user=None)
    plans = Plan.objects.select_related("owner_unit", "document")
    if args.unit:
        plans = plans.filter(owner_unit__path__startswith=_unit(args.unit).path)
    started = time.perf_counter()
    count = summaries_refresh(
        period=period, plans=plans, progress=lambda n: print(f"  … {n} kế hoạch", flush=True)
    )
    elapsed = time.perf_counter() - started
    print(f"Đã tính lại {count} bản tổng hợp kỳ {period.label} trong {elapsed:.1f} giây.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="theodoi",
        description="Theo dõi, đánh giá và báo cáo việc thực hiện Nghị quyết 57-NQ/TW.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    demo = sub.add_parser("demo", help="tạo hoặc làm mới cơ sở dữ liệu với dữ liệu Cát Hải")
    demo.add_argument("--data", help="thư mục bộ dữ liệu (mặc định: data/ của mã nguồn)")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="chạy ứng dụng web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)

    units = sub.add_parser("units", help="cây đơn vị với mã và tên")
    units.add_argument("--json", action="store_true")
    units.set_defaults(func=cmd_units)

    plan = sub.add_parser("plan", help="kế hoạch")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, metavar="LỆNH")
    show = plan_sub.add_parser("show", help="nhiệm vụ và chỉ tiêu của một kế hoạch")
    show.add_argument("symbol", help="số, ký hiệu kế hoạch, ví dụ 96/KH-UBND")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_plan_show)

    summary = sub.add_parser("summary", help="đếm nhiệm vụ, chỉ tiêu theo tình trạng")
    summary.add_argument("--plan", required=True, help="số, ký hiệu kế hoạch")
    summary.add_argument("--as-of", help="tính đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd)")
    summary.add_argument("--unit", help="mã hoặc tên đơn vị chủ trì")
    summary.add_argument("--json", action="store_true")
    summary.set_defaults(func=cmd_summary)

    report = sub.add_parser("report", help="lập báo cáo kỳ (DOCX, XLSX, PDF)")
    report.add_argument("--unit", required=True, help="mã hoặc tên đơn vị, có dấu hay không")
    report.add_argument(
        "--period",
        required=True,
        help="kỳ: 2026-Q1, 2026-Q1-cutoff, 2026-03, 2026-H1, 2026-9M, 2026, 01/01/2026..28/04/2026",
    )
    report.add_argument("--as-of", help="số liệu tính đến ngày (mặc định: cuối kỳ)")
    report.add_argument("--plan", action="append", help="ký hiệu kế hoạch (lặp lại được)")
    report.add_argument("--out", required=True, help="tệp DOCX")
    report.add_argument("--xlsx", help="tệp XLSX phụ lục")
    report.add_argument("--pdf", help="tệp PDF (cần LibreOffice)")
    report.add_argument("--date", help="ngày ký (dd/mm/yyyy)")
    report.add_argument("--number", type=int, help="số báo cáo")
    report.add_argument("--signer", help="người ký")
    report.add_argument("--template", help="tệp mẫu DOCX thay cho mẫu của đơn vị")
    report.add_argument(
        "--issue",
        action="store_true",
        help="ban hành: chốt nội dung và vào sổ đăng ký (cần --number, --date)",
    )
    report.set_defaults(func=cmd_report)

    template = sub.add_parser("report-template", help="xuất mẫu báo cáo mặc định để sửa")
    template.add_argument("--out", required=True)
    template.set_defaults(func=cmd_report_template)

    bench = sub.add_parser(
        "bench", help="đo hiệu năng (không kèm LỆNH: tổng hợp, trang web, API, báo cáo, bộ nhớ)"
    )
    bench.add_argument("--scale", choices=["national", "province", "small"], default="small")
    bench.add_argument("--period", default="2026-Q1")
    bench.add_argument("--clients", type=int, default=20, help="số người dùng đồng thời")
    bench.add_argument("--seconds", type=float, default=20, help="thời gian tải mỗi trang")
    bench.add_argument("--repeat", type=int, default=7, help="số lần đo phần tổng hợp")
    bench.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    bench.add_argument("--workers", type=int, default=4)
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(func=cmd_bench_scale)
    bench_sub = bench.add_subparsers(dest="bench_command", required=False, metavar="LỆNH")
    bench_report = bench_sub.add_parser("report", help="thời gian lập báo cáo quý")
    bench_report.add_argument("--unit", default="CATHAI")
    bench_report.add_argument("--period", default="2026-Q1")
    bench_report.add_argument("--repeat", type=int, default=5)
    bench_report.set_defaults(func=cmd_bench_report)

    from theodoi.ingest.excel.commands import add_parsers as add_excel_parsers

    add_excel_parsers(sub, bench_sub)

    from theodoi.ingest.archive.commands import add_parsers as add_archive_parsers

    add_archive_parsers(sub, bench_sub)

    from theodoi.ingest.review_commands import add_parsers as add_review_parsers

    add_review_parsers(sub)

    from theodoi.documents.commands import add_parsers as add_search_parsers

    add_search_parsers(sub)

    from theodoi.ingest.synthetic_commands import add_parsers as add_generate_parsers

    add_generate_parsers(sub)

    validate = sub.add_parser("validate", help="kiểm tra số liệu của một đơn vị trong một kỳ")
    validate.add_argument("--unit", required=True, help="mã hoặc tên đơn vị")
    validate.add_argument("--period", required=True, help="kỳ, ví dụ 2026-Q1")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(func=cmd_validate)

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

    roll = sub.add_parser("rollup", help="tổng hợp số liệu các đơn vị trực thuộc trong một kỳ")
    roll.add_argument("--unit", required=True)
    roll.add_argument("--period", required=True)
    roll.add_argument("--json", action="store_true")
    roll.set_defaults(func=cmd_rollup)

    summaries = sub.add_parser(
        "summaries", help="bản tổng hợp theo kế hoạch dùng cho tổng hợp cấp trên"
    )
    summaries_sub = summaries.add_subparsers(dest="summaries_command", required=True)
    refresh = summaries_sub.add_parser("refresh", help="tính lại bản tổng hợp của một kỳ")
    refresh.add_argument("--period", required=True, help="kỳ, ví dụ 2026-Q1")
    refresh.add_argument("--unit", help="chỉ các kế hoạch của đơn vị này và cấp dưới")
    refresh.set_defaults(func=cmd_summaries_refresh)

    manage = sub.add_parser("manage", help="lệnh quản trị Django")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_django()
    try:
        args.func(args)
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # database missing etc.: say it plainly
        from django.db.utils import OperationalError, ProgrammingError

        if isinstance(exc, OperationalError | ProgrammingError):
            print(
                f"Lỗi cơ sở dữ liệu: {exc}. Hãy chạy “theodoi demo” để tạo cơ sở dữ liệu.",
                file=sys.stderr,
            )
            return 2
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
