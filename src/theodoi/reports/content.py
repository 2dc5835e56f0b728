"""Assembling a report's content from the data, by its outline.

The result is a plain, JSON-serialisable *snapshot*: every sentence, number and table row the
document shows, block by block of the outline (:mod:`theodoi.reports.blocks`), with what each
block stated and what it found missing. Rendering (DOCX, XLSX, PDF) reads only the snapshot,
so an issued report, whose snapshot is frozen, renders the same whatever happens to the data
later. Every count comes from the same selectors as ``theodoi summary`` and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from theodoi.documents.models import Document
from theodoi.domain.formatting import format_date, format_date_long, format_number
from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.patterns import HouseStyle, render_pattern
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.periods import PeriodKind, report_next_period
from theodoi.domain.richtext import (
    LiveFigures,
    as_html,
    figure_key,
    numbers,
    parts,
    plain_paragraphs,
    relink,
    typed_numbers,
)
from theodoi.domain.rules import check
from theodoi.domain.status import TaskStatus
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.progress.selectors.figures import active_rules
from theodoi.progress.selectors.tasks import indicator_rows, plan_summary, task_rows
from theodoi.reports.blocks import BlockContext, render_block
from theodoi.reports.blocks.base import MISSING_TEXT
from theodoi.reports.blocks.counts import plan_reference
from theodoi.reports.facts import ReportFacts
from theodoi.reports.outlines import DEFAULT_OUTLINE, outline_spec
from theodoi.reports.selectors import previous_issued

SNAPSHOT_VERSION = 2


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


def period_phrase(period: DomainPeriod) -> str:
    """How a sentence places itself in the period: "trong quý I năm 2026", "trong năm 2025";
    a range reads "từ ngày 01/01/2025 đến ngày 04/11/2025" (never "trong từ ngày …")."""
    label = _lower_first(period.label)
    return label if period.kind is PeriodKind.CUSTOM else f"trong {label}"


def request_phrase(document: Document | None) -> str:
    """ "Công văn số 4157/SKHCN-CNTT ngày 19/11/2025 của Sở Khoa học và Công nghệ về việc …":
    the document a report answers, as the opening names it ("" when none)."""
    if document is None:
        return ""
    kind = document.get_doc_type_display()
    symbol = f" số {document.symbol}" if document.symbol else ""
    when = f" ngày {format_date(document.issued_on)}" if document.issued_on else ""
    issuer = document.issuer or (document.issuer_unit.name if document.issuer_unit else "")
    by = f" của {issuer}" if issuer else ""
    about = ""
    if document.subject:
        subject = _lower_first(document.subject.strip().rstrip("."))
        about = " " + (subject if subject.startswith("về ") else f"về việc {subject}")
    return f"{kind}{symbol}{when}{by}{about}"


def report_symbol(number: int | None, suffix: str) -> str:
    """ "66/BC-UBND"; a Party committee's "45-BC/ĐU" (its suffix starts with the hyphen);
    blanks where the number is written by hand before it is issued."""
    joiner = "" if suffix.startswith("-") else "/"
    return f"{number}{joiner}{suffix}" if number else f"      {joiner}{suffix}"


def _note(update: Any) -> str:
    """An update's result for the appendix, marked when illustrative (once)."""
    if update is None:
        return ""
    if update.is_illustrative and "minh họa" not in update.results.lower():
        return f"{update.results} (dữ liệu minh họa)".strip()
    return update.results


def _deadline_label(task) -> str:
    """The deadline as the plan writes it; none is made up."""
    return task.deadline_text or "Kế hoạch không ghi thời hạn"


def _task_table(plans: list[Plan], unit: OrgUnit, as_of: dt.date, user: Any) -> list[dict]:
    table: list[dict[str, Any]] = []
    for plan in plans:
        scope = None if unit == plan.owner_unit else unit
        for row in task_rows(plan=plan, as_of=as_of, user=user, unit=scope):
            task = row.task
            table.append(
                {
                    "stt": str(len(table) + 1),
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
                    "note": _note(row.update),
                }
            )
    return table


def _actual_label(row, period: DomainPeriod) -> str:
    """The indicator's value as the appendix states it: with the period it is for when that
    is not the report's own, and marked when illustrative — never an older value passed off
    as this period's."""
    if row.actual is None:
        return "Chưa có số liệu"
    text = format_number(row.actual, 2, strip_zeros=True)
    value = row.value
    notes = []
    if value is not None and not (
        value.period.start >= period.start and value.period.end <= period.end
    ):
        notes.append(f"số liệu {_lower_first(value.period.label)}")
    if value is not None and value.is_illustrative:
        notes.append("dữ liệu minh họa")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _indicator_table(
    plans: list[Plan], unit: OrgUnit, period: DomainPeriod, as_of: dt.date, user: Any
) -> list[dict]:
    table: list[dict[str, Any]] = []
    for plan in plans:
        scope = None if unit == plan.owner_unit else unit
        for row in indicator_rows(plan=plan, as_of=as_of, user=user, unit=scope):
            ev = row.evaluation
            target = (
                f"{ev.milestone_year}: {ev.target.display(row.indicator.unit)}"
                if ev.target is not None
                else "Không xác định"
            )
            table.append(
                {
                    "stt": str(len(table) + 1),
                    "code": row.indicator.code,
                    "name": row.indicator.name,
                    "unit": row.indicator.unit,
                    "target": target,
                    "actual": _actual_label(row, period),
                    "actual_value": str(row.actual) if row.actual is not None else None,
                    "status": ev.status.value,
                    "status_label": IndicatorStatus(ev.status).label,
                }
            )
    return table


def _rule_notes(blocks: list[dict[str, Any]]) -> list[str]:
    """Figures a block printed that break a validation rule: never printed without saying so
    (the note follows the block)."""
    notes = []
    for block in blocks:
        if block["kind"] != "figures" or not block["figures"]:
            continue
        values = {f["code"]: f["value"] for f in block["figures"] if not f["scope"]}
        figures = {code: Decimal(v) for code, v in values.items()}
        violations = check([r for r in active_rules() if set(r.codes) <= set(figures)], figures)
        block["violations"] = [v.message for v in violations]
        if violations:
            block["paragraphs"].append(
                "Lưu ý: số liệu trên chưa khớp nhau — "
                + " ".join(v.message for v in violations)
                + " Đề nghị đơn vị kiểm tra lại."
            )
            notes += [v.message for v in violations]
    return notes


def _printed(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks of a section as printed. A block with a heading opens a part ("2. Hạ tầng
    số") that the blocks after it without a heading belong to. A part with nothing to say
    keeps its heading — the outline's numbering stays whole and nothing disappears from the
    draft unnoticed — and says in brackets that its content is missing. A heading alone (a
    text block with neither paragraphs nor placeholder) is printed as it is."""
    parts: list[list[dict[str, Any]]] = []
    for block in blocks:
        if block["heading"] or not parts:
            parts.append([block])
        else:
            parts[-1].append(block)
    printed: list[dict[str, Any]] = []
    for part in parts:
        said = [b for b in part if b["paragraphs"]]
        first = part[0]
        if said:
            if first["heading"] and not first["paragraphs"]:
                said.insert(0, {**first, "paragraphs": []})
            printed += said
        elif first["heading"] and not first.get("omit_if_empty"):
            heading_only = first["kind"] == "text" and not first["missing"]
            paragraphs = [] if heading_only else [MISSING_TEXT.format(what=MISSING_PART)]
            printed.append({**first, "paragraphs": paragraphs})
    return printed


MISSING_PART = "chưa có kết quả, số liệu nào của mục này trong kỳ báo cáo"


def _missing_block() -> dict[str, Any]:
    return {
        "kind": "missing",
        "heading": "",
        "paragraphs": [MISSING_TEXT.format(what=MISSING_PART)],
        "figures": [],
        "missing": [],
        "omitted": [],
        "illustrative": False,
        "error": "",
        "data": {},
        "omit_if_empty": False,
    }


def _edits(unit: OrgUnit, period_code: str, kind: str) -> dict[int, Any]:
    from theodoi.reports.models import DraftSection

    return {
        d.position: d
        for d in DraftSection.objects.filter(
            org_unit=unit, period_code=period_code, kind=kind
        ).select_related("updated_by", "carried_from")
    }


def live_figures(figures: list[dict[str, Any]]) -> dict[str, tuple[Decimal, str]]:
    """A section's figures as its live fields: key → (value, what and where from)."""
    out: dict[str, tuple[Decimal, str]] = {}
    for f in figures:
        title = f["name"] + (f" ({f['scope']})" if f["scope"] else "")
        if f.get("source"):
            title += f" — nguồn: {f['source']}"
        if f.get("illustrative"):
            title += " (dữ liệu minh họa)"
        out[figure_key(f["code"], f["scope"], f.get("unit", ""))] = (Decimal(f["value"]), title)
    return out


def _edited(section: dict[str, Any], draft: Any) -> dict[str, Any]:
    """The section as edited: its parts from the edited text (a paragraph in bold opens a
    part), its live figures read from the data now, what the data gave kept beside it, the
    numbers the data did not give, and the data's numbers typed by hand (unlinked)."""
    generated = [
        p
        for b in section["blocks"]
        for p in ([b["heading"]] if b["heading"] else []) + b["paragraphs"]
    ]
    data_figures = [f for b in section["blocks"] for f in b["figures"]]
    live = LiveFigures({key: value for key, (value, _) in live_figures(data_figures).items()})
    blocks = []
    for heading, lines in parts(draft.html, live):
        block = _missing_block()
        block.update({"kind": "edited", "heading": heading, "paragraphs": lines})
        blocks.append(block)
    typed = plain_paragraphs(draft.html)
    # a number of the data typed by hand: one more time in the edit's own text than in the
    # text the data gave once its figures are linked
    figures = live_figures(data_figures)
    made = "".join(as_html(b["paragraphs"], b["heading"], figures) for b in section["blocks"])
    before = Counter(n for line in plain_paragraphs(made) for n in numbers(line))
    after = Counter(n for line in typed for n in numbers(line))
    figure_texts = {n for f in data_figures for n in numbers(_figure_text(f["value"]))}
    unlinked = [n for n in after if n in figure_texts and after[n] > before[n]]
    return {
        **section,
        "blocks": blocks or [_missing_block()],
        "generated": generated,
        "edit": {
            "version": draft.version,
            "by": draft.updated_by.get_username() if draft.updated_by else "",
            "at": draft.updated_at.isoformat() if draft.updated_at else None,
            "carried": draft.carried,
            "carried_from": str(draft.carried_from) if draft.carried_from else "",
            "typed_numbers": typed_numbers(typed, generated),
            "unlinked": list(dict.fromkeys(unlinked)),
            "live": len(live.linked),
            "live_missing": live.missing,
            "html": relink(draft.html, LiveFigures(live.values)),
            "figures": data_figures,
        },
    }


def _figure_text(value: str) -> str:
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    return format_number(number, places, strip_zeros=True)


def _carried(section: dict[str, Any], previous: Any) -> Any | None:
    """A section the data says nothing about (placeholders only) reads as the previous issued
    report's section in the same place, marked carried forward until someone saves it; None
    when the data says something or the earlier report has nothing there."""
    from types import SimpleNamespace

    said = [p for b in section["blocks"] for p in b["paragraphs"] if not p.startswith("[")]
    earlier = (previous.snapshot or {}).get("sections") or []
    position = section["position"]
    if said or not 0 < position <= len(earlier):
        return None
    html = "".join(
        as_html(b["paragraphs"], b.get("heading", "")) for b in earlier[position - 1]["blocks"]
    )
    if not html:
        return None
    return SimpleNamespace(
        html=html,
        version=0,
        updated_by=None,
        updated_at=None,
        carried=True,
        carried_from=previous,
    )


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
    outline: dict[str, Any] | None = None,
    request_document: Document | None = None,
    use_edits: bool = True,
) -> dict[str, Any]:
    """Everything the report shows, computed from the data at ``as_of``, by ``outline`` (the
    default quarterly outline when none is given); a section the coordinator edited reads as
    edited (``use_edits=False``: as generated from the data alone)."""
    as_of = as_of or period.end
    outline = outline or outline_spec(None, DEFAULT_OUTLINE)
    style = HouseStyle(**profile.get("style", {}))
    next_period, next_label = report_next_period(period)
    facts = ReportFacts(unit=unit, start=period.start, end=period.end, user=user)
    context = {
        "ky": _lower_first(period.label),
        "trong_ky": period_phrase(period),
        "ky_ten": period.label,
        "ky_toi": next_label,
        "tinh_den": format_date(as_of),
        "don_vi": unit.name,
        "dia_ban": _lower_first(unit.name),  # "trên địa bàn đặc khu Cát Hải"
        "nam": str(period.end.year),
        "co_quan": profile["issuer_name"],
        "can_cu": request_phrase(request_document),
    }
    ctx = BlockContext(
        unit=unit,
        period=period,
        plans=plans,
        as_of=as_of,
        user=user,
        profile=profile,
        style=style,
        facts=facts,
        next_period=next_period,
        next_label=next_label,
        context=context,
    )
    sections = []
    appendices: list[str] = []
    all_blocks: list[dict[str, Any]] = []
    source_blocks: list[dict[str, Any]] = []  # edited sections' generated blocks too
    edits = _edits(unit, period.code, outline["code"]) if use_edits else {}
    previous = (
        previous_issued(unit=unit, kind=outline["code"], before=period.start) if use_edits else None
    )
    for position, section in enumerate(outline["sections"], start=1):
        rendered_blocks = []
        for spec in section["blocks"]:
            if spec["kind"] == "appendix":
                appendices += spec["config"].get("tables") or ["tasks", "indicators"]
                continue
            rendered_blocks.append(render_block(spec, ctx).as_dict())
        source_blocks += rendered_blocks
        if position not in edits:  # an edited section states what its edit says
            all_blocks += rendered_blocks
        if not rendered_blocks and section["blocks"]:
            continue  # the appendices' section: they follow the signature, on their own pages
        blocks = _printed(rendered_blocks)
        if not blocks:  # a heading never stands over nothing
            blocks = [_missing_block()]
        heading = render_pattern(section["heading"], facts=facts, context=context).text
        printed = {"title": heading, "position": position, "blocks": blocks}
        if position in edits:
            printed = _edited(printed, edits[position])
        elif previous is not None:
            carried = _carried(printed, previous)
            if carried is not None:
                printed = _edited(printed, carried)
        sections.append(printed)
    violations = _rule_notes(all_blocks)
    summaries = [plan_summary(plan=plan, as_of=as_of, user=user) for plan in plans]
    illustrative = any(b["illustrative"] for b in source_blocks) or any(
        s["illustrative"] for s in summaries
    )
    promised = [t for b in source_blocks for t in b["data"].get("tasks", [])]
    suffix = profile["symbol_suffix"]
    plan_refs = "; ".join(plan_reference(plan) for plan in plans)
    return {
        "version": SNAPSHOT_VERSION,
        "outline": {"code": outline["code"], "name": outline["name"]},
        "unit": {"code": unit.code, "name": unit.name},
        "profile": profile,
        "number": number,
        "symbol": report_symbol(number, suffix),
        "date_line": (
            f"{profile['place']}, {format_date_long(report_date)}"
            if report_date
            else f"{profile['place']}, ngày      tháng      năm {as_of.year}"
        ),
        "report_date": report_date.isoformat() if report_date else None,
        "title": "BÁO CÁO",
        "subject": render_pattern(outline["subject"], facts=facts, context=context).text,
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "next_period": next_label,
        "as_of": as_of.isoformat(),
        "illustrative": illustrative,
        "intro": render_pattern(outline.get("opening") or "", facts=facts, context=context).text,
        "request_document": request_phrase(request_document),
        "sections": sections,
        "promised": promised,  # the tasks it sets for the next period (its checklist there)
        "plans": [
            {
                "symbol": plan.document.symbol,
                "reference": plan_reference(plan),
                "tasks": summary["tasks"],
                "indicators": summary["indicators"],
                "sentence": summary["sentence"],
            }
            for plan, summary in zip(plans, summaries, strict=True)
        ],
        "plan_references": plan_refs,
        "violations": violations,
        "missing": [m for b in all_blocks for m in b["missing"]],
        "omitted": [o for b in all_blocks for o in b["omitted"]],
        "figures": [f for b in all_blocks for f in b["figures"]],
        "appendices": list(dict.fromkeys(appendices)),
        "task_rows": _task_table(plans, unit, as_of, user) if "tasks" in appendices else [],
        "indicator_rows": (
            _indicator_table(plans, unit, period, as_of, user) if "indicators" in appendices else []
        ),
        "rollup": {"units": [u for b in all_blocks for u in b["data"].get("units", [])]},
    }
