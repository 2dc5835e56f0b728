"""For a unit with plans below it (a province, a zone with communes): what all of them add
up to, one line per unit directly below, and when it was computed."""

from __future__ import annotations

from typing import Any

from theodoi.domain.formatting import format_count
from theodoi.progress.selectors.rollup import rollup_by_unit
from theodoi.progress.services.summaries import rollup_fresh
from theodoi.reports.blocks.base import BlockContext, RenderedBlock


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    out = RenderedBlock("rollup", block.get("heading", ""), [], omit_if_empty=True)
    # brought up to date first: the lines per unit read the same summaries
    total = rollup_fresh(unit=ctx.unit, period=ctx.period, user=None)
    rows = rollup_by_unit(unit=ctx.unit, period=ctx.period)
    if not rows:
        return out
    reporting, computed = total["reporting"], total["computed"]
    out.paragraphs += [
        f"Các đơn vị trực thuộc: {total['sentence']}",
        f"Số đơn vị phải báo cáo: {format_count(reporting['units_expected_to_report'])}; đã "
        f"gửi: {format_count(reporting['units_reported'])}; đã phê duyệt: "
        f"{format_count(reporting['units_approved'])}.",
    ]
    out.data["units"] = [row["unit"].code for row in rows]
    for row in rows:
        tasks = row["tasks"]
        out.paragraphs.append(
            f"- {row['unit'].name}: hoàn thành {format_count(tasks.completed)}/"
            f"{format_count(tasks.total)} nhiệm vụ (quá hạn {format_count(tasks.overdue)}, chưa "
            f"triển khai {format_count(tasks.not_started)}); chỉ tiêu đạt "
            f"{format_count(row['indicators'].achieved)}/{format_count(row['indicators'].total)}."
        )
    when = computed["oldest"]
    if when is not None:
        state = (
            ""
            if computed["up_to_date"]
            else f"; đang cập nhật {format_count(computed['stale'] or computed['updating'])} "
            "kế hoạch có số liệu thay đổi sau thời điểm này"
        )
        out.paragraphs.append(
            f"(Số liệu tổng hợp tính lúc {when.astimezone().strftime('%H:%M ngày %d/%m/%Y')}"
            f"{state}.)"
        )
    return out
