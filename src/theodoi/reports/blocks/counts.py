"""Tasks and indicators of the period, plan by plan, as the office counts them: what the
period held — the tasks due in it (theo tiến độ), the recurring ones apart, the indicators
whose milestone is the period's year — beside the plan's totals. An indicator behind its
path is "có nguy cơ không đạt", never "quá hạn". The detail is in the appendix."""

from __future__ import annotations

from typing import Any

from theodoi.domain.formatting import format_count, format_date
from theodoi.progress.selectors.tasks import PeriodCounts, period_counts
from theodoi.reports.blocks.base import BlockContext, RenderedBlock


def plan_reference(plan: Any) -> str:
    """ "Kế hoạch số 96/KH-UBND ngày 22/10/2025", "Chương trình công tác số …": the plan
    named by its own document type."""
    doc = plan.document
    kind = doc.get_doc_type_display() if doc.doc_type in ("KH", "CTr", "NQ", "QĐ") else "Kế hoạch"
    issued = f" ngày {format_date(doc.issued_on)}" if doc.issued_on else ""
    return f"{kind} số {doc.symbol}{issued}" if doc.symbol else f"{kind} {plan.title}"


def _c(n: int) -> str:
    return format_count(n)


def counts_sentence(counts: PeriodCounts, period_label: str) -> list[str]:
    """The office's sentences for one plan in one period."""
    due, recurring, ind = counts.due, counts.recurring, counts.indicators
    head = (
        f"{plan_reference(counts.plan)} (gồm {_c(counts.tasks_total)} nhiệm vụ, "
        f"{_c(counts.indicators_total)} chỉ tiêu): {period_label} có "
    )
    parts = []
    if ind.total:
        parts.append(f"{_c(ind.total)} chỉ tiêu có mốc đánh giá năm {counts.year}")
    parts.append(f"{_c(due.total)} nhiệm vụ theo tiến độ")
    parts.append(f"{_c(recurring.total)} nhiệm vụ triển khai thường xuyên")
    sentence = head + ", ".join(parts[:-1]) + " và " + parts[-1]
    results = []
    if ind.total:
        text = f"đã hoàn thành {_c(ind.achieved)}/{_c(ind.total)} chỉ tiêu"
        extra = []
        if ind.on_track:
            extra.append(f"{_c(ind.on_track)} chỉ tiêu đúng lộ trình")
        if ind.at_risk:
            extra.append(f"{_c(ind.at_risk)} chỉ tiêu có nguy cơ không đạt")
        if ind.not_achieved:
            extra.append(f"{_c(ind.not_achieved)} chỉ tiêu không đạt")
        if ind.no_data:
            extra.append(f"{_c(ind.no_data)} chỉ tiêu chưa có số liệu")
        results.append(text + (f" ({'; '.join(extra)})" if extra else ""))
    if due.total:
        text = f"hoàn thành đúng hạn {_c(due.completed_on_time)} nhiệm vụ"
        if due.completed_late:
            text += f", hoàn thành quá hạn {_c(due.completed_late)} nhiệm vụ"
        text += f"; đang thực hiện trong hạn {_c(due.in_progress)} nhiệm vụ"
        text += f"; chậm tiến độ {_c(due.overdue)} nhiệm vụ"
        if due.not_started:
            text += f"; chưa triển khai {_c(due.not_started)} nhiệm vụ"
        results.append(text)
    if recurring.total:
        text = (
            f"trong số nhiệm vụ thường xuyên, đã thực hiện xong phần việc của kỳ "
            f"{_c(recurring.completed)} nhiệm vụ, đang thực hiện {_c(recurring.in_progress)} "
            "nhiệm vụ"
        )
        if recurring.not_started:
            text += f", chưa báo cáo kết quả {_c(recurring.not_started)} nhiệm vụ"
        results.append(text)
    lines = [
        sentence
        + (("; " + "; ".join(results)) if results else "")
        + " (theo chi tiết phụ lục gửi kèm)."
    ]
    if not ind.total and counts.indicators_total:
        lines.append(
            f"Các chỉ tiêu của {plan_reference(counts.plan)} không có mốc đánh giá trong năm "
            f"{counts.year}; tình hình thực hiện so với lộ trình ở Phụ lục II."
        )
    return lines


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    plans = ctx.plans_named(block["config"].get("plans"))
    out = RenderedBlock("counts", block.get("heading", ""), [])
    label = ctx.context.get("ky", ctx.period.label)  # after a colon: "quý I năm 2026 có …"
    for plan in plans:
        scope = None if ctx.unit == plan.owner_unit else ctx.unit
        counts = period_counts(
            plan=plan, period=ctx.period, as_of=ctx.as_of, user=ctx.user, unit=scope
        )
        out.paragraphs += counts_sentence(counts, label)
        out.illustrative |= counts.illustrative
    if not plans:
        out.paragraphs.append("[chưa có nội dung: chưa chọn kế hoạch nào cho báo cáo này]")
    if out.illustrative:
        out.paragraphs.append(
            "(Tiến độ nhiệm vụ, số liệu chỉ tiêu nêu trên có phần là dữ liệu minh họa, chưa "
            "phải số liệu thật của đơn vị.)"
        )
    return out
