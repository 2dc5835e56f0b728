"""Assembling a report's content from the data.

The result is a plain, JSON-serialisable *snapshot*: every sentence, number and table row the
document shows. Rendering (DOCX, XLSX, PDF) reads only the snapshot, so an issued report,
whose snapshot is frozen, renders the same whatever happens to the data later. Every count
comes from the same selectors as ``theodoi summary`` and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from theodoi.documents.models import Document
from theodoi.domain.formatting import (
    format_count,
    format_date,
    format_date_long,
    format_number,
    format_percent,
    share_percent,
)
from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.rules import check
from theodoi.domain.status import TaskStatus
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import subtree
from theodoi.plans.models import Plan
from theodoi.progress.models import TaskUpdate, UpdateState
from theodoi.progress.selectors.figures import Figure, active_rules, figures_for
from theodoi.progress.selectors.tasks import indicator_rows, plan_summary, task_rows

SNAPSHOT_VERSION = 1
NOTHING = "Không có nội dung phát sinh trong kỳ báo cáo."

PROCEDURE_CODES = [
    "procedures.total",
    "procedures.full_online",
    "procedures.partial_online",
    "procedures.direct",
]
DOSSIER_CODES = [
    "dossiers.received",
    "dossiers.online",
    "dossiers.direct",
    "dossiers.resolved",
    "dossiers.resolved_on_time",
    "dossiers.withdrawn",
    "dossiers.in_progress",
    "dossiers.overdue",
]


def _n(value: Decimal | int) -> str:
    """A count the Vietnamese way: 1.495."""
    return (
        format_number(value, 0)
        if Decimal(value) == Decimal(value).to_integral()
        else format_number(value, 2, strip_zeros=True)
    )


def _part_of(part: Figure | None, whole: Figure | None, noun: str) -> str:
    """ "1.471/1.495 hồ sơ (98,39%)" — the share is always computed, never typed."""
    if part is None:
        return "chưa có số liệu"
    if whole is None or whole.value == 0:
        return f"{_n(part.value)} {noun}"
    share = share_percent(part.value, whole.value)
    return f"{_n(part.value)}/{_n(whole.value)} {noun} ({format_percent(share)})"


def _procedures_paragraphs(figures: dict[str, Figure]) -> list[str]:
    total = figures.get("procedures.total")
    if total is None:
        return []
    parts = [
        ("dịch vụ công trực tuyến toàn trình", figures.get("procedures.full_online")),
        ("dịch vụ công trực tuyến một phần", figures.get("procedures.partial_online")),
        ("thực hiện trực tiếp", figures.get("procedures.direct")),
    ]
    described = "; ".join(
        f"{label}: {_part_of(fig, total, 'thủ tục')}" for label, fig in parts if fig is not None
    )
    text = f"Tổng số thủ tục hành chính thuộc thẩm quyền giải quyết: {_n(total.value)} thủ tục"
    return [text + (f"; trong đó {described}." if described else ".")]


def _dossier_paragraphs(figures: dict[str, Figure]) -> list[str]:
    received = figures.get("dossiers.received")
    if received is None:
        return []
    online, direct = figures.get("dossiers.online"), figures.get("dossiers.direct")
    text = f"Tổng số hồ sơ tiếp nhận: {_n(received.value)} hồ sơ"
    channel = []
    if online is not None:
        channel.append(f"tiếp nhận trực tuyến {_part_of(online, received, 'hồ sơ')}")
    if direct is not None:
        channel.append(f"trực tiếp, qua bưu chính {_part_of(direct, received, 'hồ sơ')}")
    paragraphs = [text + (f", trong đó {'; '.join(channel)}." if channel else ".")]
    outcome = [
        ("đã giải quyết", figures.get("dossiers.resolved")),
        ("giải quyết trước và đúng hạn", figures.get("dossiers.resolved_on_time")),
        ("rút, từ chối", figures.get("dossiers.withdrawn")),
        ("đang giải quyết", figures.get("dossiers.in_progress")),
        ("quá hạn", figures.get("dossiers.overdue")),
    ]
    known = [(label, fig) for label, fig in outcome if fig is not None]
    if known:
        paragraphs.append(
            "Kết quả giải quyết: "
            + "; ".join(f"{label} {_part_of(fig, received, 'hồ sơ')}" for label, fig in known)
            + "."
        )
    return paragraphs


SYSTEM_LABELS = {
    "city_system": "Hệ thống thông tin giải quyết thủ tục hành chính của thành phố",
    "ministry_systems": "Các hệ thống của bộ, ngành",
}


def _breakdowns(unit: OrgUnit, period: DomainPeriod) -> list[str]:
    """The breakdowns (per information system) stated for dossiers in the period."""
    from theodoi.progress.models import DataValue

    return sorted(
        DataValue.objects.filter(
            org_unit=unit,
            element__code="dossiers.received",
            period__start__gte=period.start,
            period__end__lte=period.end,
        )
        .exclude(breakdown="")
        .values_list("breakdown", flat=True)
        .distinct()
    )


def _rollup_block(unit: OrgUnit, period: DomainPeriod) -> dict[str, Any] | None:
    """For a unit with plans below it (a province, a zone with communes): what all of them add
    up to and one line per unit directly below, from the stored plan summaries."""
    from theodoi.progress.selectors.rollup import rollup_by_unit, rollup_summary

    rows = rollup_by_unit(unit=unit, period=period)
    if not rows:
        return None
    total = rollup_summary(unit=unit, period=period, user=None)
    reporting = total["reporting"]
    computed = total["computed"]
    when = computed["oldest"]
    paragraphs = [
        f"Các đơn vị trực thuộc: {total['sentence']}",
        f"Số đơn vị phải báo cáo: {_n(reporting['units_expected_to_report'])}; đã gửi: "
        f"{_n(reporting['units_reported'])}; đã phê duyệt: {_n(reporting['units_approved'])}.",
    ]
    for row in rows:
        tasks = row["tasks"]
        paragraphs.append(
            f"- {row['unit'].name}: hoàn thành {_n(tasks.completed)}/{_n(tasks.total)} nhiệm vụ"
            f" (quá hạn {_n(tasks.overdue)}, chưa triển khai {_n(tasks.not_started)}); chỉ tiêu "
            f"đạt {_n(row['indicators'].achieved)}/{_n(row['indicators'].total)}."
        )
    if when is not None:
        state = "" if computed["up_to_date"] else "; có số liệu thay đổi sau thời điểm này"
        paragraphs.append(
            f"(Số liệu tổng hợp tính lúc {when.astimezone().strftime('%H:%M ngày %d/%m/%Y')}"
            f"{state}.)"
        )
    return {
        "block": {"heading": "Tổng hợp các đơn vị trực thuộc", "paragraphs": paragraphs},
        "units": [row["unit"].code for row in rows],
    }


def _tthc_block(unit: OrgUnit, period: DomainPeriod) -> dict[str, Any]:
    figures = figures_for(
        unit=unit,
        start=period.start,
        end=period.end,
        codes=PROCEDURE_CODES + DOSSIER_CODES,
        user=None,
    )
    paragraphs = _procedures_paragraphs(figures) + _dossier_paragraphs(figures)
    by_system = {}
    for breakdown in _breakdowns(unit, period):
        part = figures_for(
            unit=unit,
            start=period.start,
            end=period.end,
            codes=DOSSIER_CODES,
            user=None,
            breakdown=breakdown,
        )
        lines = _dossier_paragraphs(part)
        if lines:
            label = SYSTEM_LABELS.get(breakdown, breakdown)
            paragraphs.append(
                f"Trên {label[0].lower()}{label[1:]}: {lines[0][0].lower()}{lines[0][1:]}"
            )
            paragraphs += lines[1:]
            by_system[breakdown] = {code: str(f.value) for code, f in part.items()}
    # A figure that breaks a validation rule is printed as stated, but never without saying so.
    violations = check(
        [r for r in active_rules() if set(r.codes) <= set(figures)],
        {code: f.value for code, f in figures.items()},
    )
    if violations:
        paragraphs.append(
            "Lưu ý: số liệu trên chưa khớp nhau — "
            + " ".join(v.message for v in violations)
            + " Đề nghị đơn vị kiểm tra lại."
        )
    sources = sorted({s for f in figures.values() for s in f.sources})
    return {
        "violations": [v.message for v in violations],
        "paragraphs": paragraphs
        or ["Chưa có số liệu về thủ tục hành chính và hồ sơ của kỳ báo cáo trong hệ thống."],
        "figures": {code: str(f.value) for code, f in figures.items()},
        "by_system": by_system,
        "sources": sources,
        "illustrative": any(f.illustrative for f in figures.values()),
    }


def _documents_issued(unit: OrgUnit, period: DomainPeriod) -> list[str]:
    documents = Document.objects.filter(
        issuer_unit__in=subtree(unit), issued_on__gte=period.start, issued_on__lte=period.end
    ).order_by("issued_on", "symbol")
    lines = []
    for doc in documents:
        about = f" về {doc.subject[0].lower()}{doc.subject[1:]}" if doc.subject else ""
        symbol = f" số {doc.symbol}" if doc.symbol else ""
        lines.append(
            f"- {doc.get_doc_type_display()}{symbol} ngày {format_date(doc.issued_on)}{about};"
        )
    if lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return lines


def _deadline_label(task) -> str:
    return task.deadline_text or "Theo văn bản nguồn"


def _plan_block(plan: Plan, summary: dict[str, Any]) -> dict[str, Any]:
    doc = plan.document
    issued = f" ngày {format_date(doc.issued_on)}" if doc.issued_on else ""
    return {
        "symbol": doc.symbol,
        "reference": f"Kế hoạch số {doc.symbol}{issued}",
        "tasks": summary["tasks"],
        "indicators": summary["indicators"],
        "sentence": summary["sentence"],
    }


def _status_shares(block: dict[str, Any]) -> str:
    tasks = block["tasks"]
    total = tasks["total"]
    if not total:
        return ""
    completed = tasks["completed_on_time"] + tasks["completed_late"]
    parts = [
        ("hoàn thành", completed),
        ("đang thực hiện trong hạn", tasks["in_progress"]),
        ("quá hạn", tasks["overdue"]),
        ("chưa triển khai", tasks["not_started"]),
    ]
    return (
        "Tỷ lệ nhiệm vụ: "
        + "; ".join(
            f"{label} {format_count(n)}/{format_count(total)} "
            f"({format_percent(share_percent(n, total))})"
            for label, n in parts
        )
        + "."
    )


def _update_texts(updates: list[TaskUpdate], field: str) -> list[str]:
    """What the units wrote in ``field``, once per distinct text, naming the tasks it is for.
    Illustrative boilerplate is left out: it says nothing a reader needs."""
    by_text: dict[str, list[str]] = {}
    for update in updates:
        text = getattr(update, field).strip()
        if text and not update.is_illustrative:
            codes = by_text.setdefault(text, [])
            if update.task.code not in codes:
                codes.append(update.task.code)
    return [f"Nhiệm vụ {', '.join(codes)}: {text}" for text, codes in by_text.items()]


def _illustrative_texts(updates: list[TaskUpdate], field: str) -> list[str]:
    """Illustrative texts, grouped so a repeated sentence appears once with its tasks."""
    by_text: dict[str, list[str]] = {}
    for update in updates:
        text = getattr(update, field).strip()
        if text and update.is_illustrative:
            by_text.setdefault(text, []).append(update.task.code)
    return [
        f"{text} (nhiệm vụ {', '.join(codes)})"
        for text, codes in by_text.items()
        if len(codes) > 1 or len(by_text) < 10
    ]


def _group_results(plan: Plan, rows) -> list[str]:
    """Per heading of the plan (its fields of work): tasks done and under way."""
    lines = []
    groups: dict[str, list] = {}
    for row in rows:
        title = row.task.group.title if row.task.group else "Nhiệm vụ khác"
        groups.setdefault(title, []).append(row)
    for title, members in groups.items():
        done = sum(1 for r in members if r.status.is_completed)
        going = sum(1 for r in members if r.status is TaskStatus.IN_PROGRESS)
        late = sum(1 for r in members if r.status is TaskStatus.OVERDUE)
        lines.append(
            f"{title}: hoàn thành {format_count(done)}/{format_count(len(members))} nhiệm vụ, "
            f"đang thực hiện {format_count(going)}, quá hạn {format_count(late)}."
        )
    return lines


def build_snapshot(
    *,
    unit: OrgUnit,
    period: DomainPeriod,
    plans: list[Plan],
    as_of: dt.date | None = None,
    report_date: dt.date | None = None,
    number: int | None = None,
    profile: dict[str, Any],
    user: Any | None = None,
) -> dict[str, Any]:
    """Everything the report shows, computed from the data at ``as_of``."""
    as_of = as_of or period.end
    plan_blocks, task_table, indicator_table, by_group = [], [], [], []
    illustrative = False
    all_updates: list[TaskUpdate] = []
    for plan in plans:
        scope = None if unit == plan.owner_unit else unit
        summary = plan_summary(plan=plan, as_of=as_of, user=user, unit=scope)
        illustrative |= summary["illustrative"]
        plan_blocks.append(_plan_block(plan, summary))
        rows = task_rows(plan=plan, as_of=as_of, user=user, unit=scope)
        by_group += _group_results(plan, rows)
        for row in rows:
            task = row.task
            note = row.update.results if row.update else ""
            task_table.append(
                {
                    "stt": str(len(task_table) + 1),
                    "code": task.code if len(plans) == 1 else f"{plan.document.symbol} {task.code}",
                    "title": task.title,
                    "lead": task.lead_unit.name if task.lead_unit else (task.lead_text or ""),
                    "coordinating": "; ".join(
                        [u.name for u in task.coordinating_units.all()]
                        + ([task.coordinating_text] if task.coordinating_text else [])
                    ),
                    "output": task.output,
                    "deadline": _deadline_label(task),
                    "status": row.status.value,
                    "status_label": TaskStatus(row.status).label,
                    "note": note,
                }
            )
        for row in indicator_rows(plan=plan, as_of=as_of, user=user, unit=scope):
            ev = row.evaluation
            target = (
                f"{ev.milestone_year}: {ev.target.display(row.indicator.unit)}"
                if ev.target is not None
                else "Không xác định"
            )
            indicator_table.append(
                {
                    "stt": str(len(indicator_table) + 1),
                    "code": row.indicator.code,
                    "name": row.indicator.name,
                    "unit": row.indicator.unit,
                    "target": target,
                    "actual": (
                        format_number(row.actual, 2, strip_zeros=True)
                        if row.actual is not None
                        else "Chưa có số liệu"
                    ),
                    "actual_value": str(row.actual) if row.actual is not None else None,
                    "status": ev.status.value,
                    "status_label": IndicatorStatus(ev.status).label,
                }
            )
        all_updates += list(
            # Only approved progress goes into a report, as on the dashboard.
            TaskUpdate.objects.filter(
                task__plan=plan,
                period__start__gte=period.start,
                period__end__lte=period.end,
                state=UpdateState.APPROVED,
            )
            .select_related("task")
            .order_by("task__position", "period__start")
        )

    rollup = _rollup_block(unit, period)
    tthc = _tthc_block(unit, period)
    illustrative |= tthc["illustrative"] or any(u.is_illustrative for u in all_updates)
    documents = _documents_issued(unit, period)
    results = _update_texts(all_updates, "results")
    next_period = period.next()
    upcoming = [
        f"Nhiệm vụ {r['code']}: {r['title']} (thời hạn: {r['deadline']})"
        for r in task_table
        if r["status"] in ("overdue", "in_progress", "not_started")
    ]
    sections = [
        {
            "title": "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
            "blocks": [
                {
                    "heading": "",
                    "paragraphs": (
                        [
                            f"Trong kỳ, {profile['issuer_name']} đã ban hành các văn bản sau:",
                            *documents,
                        ]
                        if documents
                        else [
                            "Trong kỳ báo cáo, hệ thống chưa ghi nhận văn bản chỉ đạo, điều hành "
                            "nào được ban hành."
                        ]
                    ),
                }
            ],
        },
        {
            "title": "II. KẾT QUẢ THỰC HIỆN",
            "blocks": [
                {
                    "heading": "1. Kết quả thực hiện nhiệm vụ, chỉ tiêu",
                    "paragraphs": [
                        f"{block['reference']}: {block['sentence']}" for block in plan_blocks
                    ]
                    + [s for s in (_status_shares(b) for b in plan_blocks) if s]
                    or ["Chưa có kế hoạch nào được chọn cho báo cáo này."],
                },
                *([rollup["block"]] if rollup else []),
                {
                    "heading": "2. Cải cách thủ tục hành chính, cung cấp dịch vụ công trực tuyến",
                    "paragraphs": tthc["paragraphs"],
                },
                {
                    "heading": "3. Kết quả theo từng nhóm nhiệm vụ",
                    "paragraphs": by_group + results or [NOTHING],
                },
            ],
        },
        {
            "title": "III. ĐÁNH GIÁ CHUNG",
            "blocks": [
                {
                    "heading": "1. Tồn tại, hạn chế",
                    "paragraphs": _update_texts(all_updates, "difficulties")
                    + _illustrative_texts(all_updates, "difficulties")
                    or ["Các đơn vị chưa báo cáo tồn tại, hạn chế trong kỳ."],
                },
                {
                    "heading": "2. Nguyên nhân",
                    "paragraphs": _update_texts(all_updates, "causes")
                    or ["Các đơn vị chưa báo cáo nguyên nhân trong kỳ."],
                },
            ],
        },
        {
            "title": f"IV. NHIỆM VỤ, GIẢI PHÁP {next_period.label.upper()}",
            "blocks": [
                {
                    "heading": "",
                    "paragraphs": _update_texts(all_updates, "next_steps") + upcoming
                    or ["Tiếp tục thực hiện các nhiệm vụ thường xuyên theo kế hoạch."],
                }
            ],
        },
        {
            "title": "V. KIẾN NGHỊ, ĐỀ XUẤT",
            "blocks": [
                {
                    "heading": "",
                    "paragraphs": _update_texts(all_updates, "proposals")
                    or ["Không có kiến nghị, đề xuất trong kỳ báo cáo."],
                }
            ],
        },
    ]
    if illustrative:
        sections[1]["blocks"][0]["paragraphs"].append(
            "Ghi chú: báo cáo có sử dụng dữ liệu minh họa (tiến độ nhiệm vụ, số liệu chỉ tiêu "
            "chưa phải số liệu thật của đơn vị)."
        )
    plan_refs = "; ".join(b["reference"] for b in plan_blocks)
    suffix = profile["symbol_suffix"]
    return {
        "version": SNAPSHOT_VERSION,
        "unit": {"code": unit.code, "name": unit.name},
        "profile": profile,
        "number": number,
        "symbol": f"{number}/{suffix}" if number else f"      /{suffix}",
        "date_line": (
            f"{profile['place']}, {format_date_long(report_date)}"
            if report_date
            else f"{profile['place']}, ngày      tháng      năm {(as_of).year}"
        ),
        "report_date": report_date.isoformat() if report_date else None,
        "title": "BÁO CÁO",
        "subject": f"Kết quả thực hiện {plan_refs}, {period.label[0].lower()}{period.label[1:]}"
        if plan_blocks
        else f"Kết quả thực hiện nhiệm vụ {period.label.lower()}",
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "as_of": as_of.isoformat(),
        "illustrative": illustrative,
        "intro": (
            f"{profile['issuer_name']} báo cáo kết quả thực hiện {plan_refs} "
            f"{period.label[0].lower()}{period.label[1:]} (số liệu tính đến ngày "
            f"{format_date(as_of)}) như sau:"
        ),
        "sections": sections,
        "plans": plan_blocks,
        "tthc": tthc,
        "task_rows": task_table,
        "indicator_rows": indicator_table,
        "rollup": {"units": rollup["units"]} if rollup else {},
    }
