"""Next period's tasks: those due in it, grouped by field, with their deadlines as the plan
writes them (no deadline is made up), and the recurring ones said once."""

from __future__ import annotations

from typing import Any

from theodoi.domain.fields import Field
from theodoi.domain.formatting import format_count, format_date
from theodoi.domain.status import PeriodRole, period_role
from theodoi.plans.selectors import tasks_in_force
from theodoi.progress.models import TaskUpdate, UpdateState
from theodoi.reports.blocks.base import BlockContext, RenderedBlock
from theodoi.reports.blocks.narrative import as_sentence


def _mid_sentence(text: str) -> str:
    """A deadline as the plan writes it, placed inside a sentence: "Tháng 12/2025" reads
    "tháng 12/2025"; an acronym or a number opening it stays as written."""
    text = " ".join((text or "").split())
    first = text.split(" ", 1)[0] if text else ""
    if len(first) > 1 and first[0].isupper() and not first.isupper():
        return text[0].lower() + text[1:]
    return text


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    config = block["config"]
    plans = ctx.plans_named(config.get("plans"))
    out = RenderedBlock("next_tasks", block.get("heading", ""), [])
    if ctx.next_period is None:  # a range of dates has no "next period" to count
        out.paragraphs.append(
            "[chưa có nội dung: nhiệm vụ, giải pháp thời gian tới — khoảng thời gian báo cáo "
            "không có kỳ kế tiếp để lấy các nhiệm vụ đến hạn; đầu mối tổng hợp viết]"
        )
        out.missing.append({"code": "next_tasks", "name": "nhiệm vụ, giải pháp thời gian tới"})
        return out
    by_field: dict[str, list[str]] = {}
    recurring = 0
    for plan in plans:
        scope = None if ctx.unit == plan.owner_unit else ctx.unit
        tasks = tasks_in_force(plan=plan, on=ctx.next_period.end, user=ctx.user, unit=scope)
        completed = dict(
            TaskUpdate.objects.filter(
                task__in=tasks,
                state=UpdateState.APPROVED,
                reported_state="completed",
                period__start__lte=ctx.as_of,
            ).values_list("task_id", "completion_date")
        )
        for task in tasks:
            role = period_role(
                task.deadline, period=ctx.next_period, completed_on=completed.get(task.id)
            )
            if role is PeriodRole.RECURRING:
                recurring += 1
                continue
            if role is not PeriodRole.DUE or task.id in completed:
                continue
            written = _mid_sentence(task.deadline_text)
            when = f" (thời hạn: {written})" if written else ""
            due = task.deadline.due
            if due is not None and due < ctx.next_period.start:
                when = f" (chậm tiến độ, thời hạn {written or format_date(due)})"
            title = as_sentence(task.title).rstrip(".")
            by_field.setdefault(task.field or "", []).append(f"- {title}{when}.")
            # what this report promises for the next period: its checklist there
            out.data.setdefault("tasks", []).append(
                {"id": task.id, "code": task.code, "title": title, "plan": plan.document.symbol}
            )
    for field in [*[f.value for f in Field], ""]:
        lines = by_field.get(field)
        if not lines:
            continue
        if field:
            out.paragraphs.append(f"{Field(field).label}:")
        out.paragraphs += lines
    if recurring:
        out.paragraphs.append(
            f"Tiếp tục thực hiện {format_count(recurring)} nhiệm vụ triển khai thường xuyên, "
            "hằng năm theo các kế hoạch."
        )
    steps = []
    for plan in plans:
        for update in TaskUpdate.objects.filter(
            task__plan=plan,
            period__start__gte=ctx.period.start,
            period__end__lte=ctx.period.end,
            state=UpdateState.APPROVED,
        ).exclude(next_steps=""):
            sentence = as_sentence(update.next_steps)
            if sentence and sentence not in steps and not update.is_illustrative:
                steps.append(sentence)
    out.paragraphs += [f"- {s}" for s in steps]
    if not out.paragraphs:
        out.paragraphs.append(
            f"[chưa có nội dung: không có nhiệm vụ nào đến hạn trong {ctx.next_label}]"
        )
    return out
