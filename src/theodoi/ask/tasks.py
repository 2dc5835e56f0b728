"""Answers about tasks, indicators, reporting units and who leads what — read with the
dashboard's own selectors (``task_rows``, ``indicator_rows``, ``late_units``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from theodoi.ask.results import Answer, Row
from theodoi.domain import periods as p
from theodoi.domain.formatting import format_date, format_number
from theodoi.domain.question_periods import period_phrase
from theodoi.domain.question_words import Question, Unclear, status_label
from theodoi.domain.status import TaskStatus
from theodoi.domain.text import fold
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, Task
from theodoi.plans.selectors import plan_indicators, plans_visible_to
from theodoi.progress.selectors.entry import period_stored_or_unsaved
from theodoi.progress.selectors.late import late_units
from theodoi.progress.selectors.tasks import indicator_rows, task_rows

TASK_COLUMNS = ("Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tình trạng")


def unit_of(question: Question) -> OrgUnit | None:
    """The unit the question names (the vocabulary holds only units the user sees)."""
    if question.unit is None:
        return None
    return OrgUnit.objects.get(code=question.unit.key)


def judged_on(question: Question, today: dt.date) -> dt.date:
    """The day statuses are judged on: the period's last day, or today if it has not ended."""
    if question.period is None:
        return today
    return min(question.period.end, today)


def _plans(question: Question, user: Any) -> list[Any]:
    """The plans the question is about: the one it names, else every plan the user sees."""
    plans = list(plans_visible_to(user=user))
    if question.plan is not None:
        plans = [pl for pl in plans if pl.document.symbol == question.plan.key]
    return plans


def _lead(task: Task) -> str:
    if task.lead_unit is not None:
        return task.lead_unit.name
    return task.lead_text or f"{task.plan.owner_unit.name} (kế hoạch không ghi đơn vị chủ trì)"


def _deadline(task: Task) -> str:
    deadline = task.deadline
    if deadline.due is not None:
        return format_date(deadline.due)
    return task.deadline_text or task.get_deadline_kind_display()


def _task_row(row: Any) -> Row:
    task = row.task
    title = task.title if len(task.title) <= 160 else task.title[:157] + "…"
    return Row(
        (task.code, title, _lead(task), _deadline(task), row.status.label),
        reverse("web:task_detail", args=[task.pk]),
        f"{task.plan.document.symbol}#{task.code}",
    )


def _rows_of_unit(rows: list[Any], unit: OrgUnit | None) -> list[Any]:
    if unit is None:
        return rows
    return [r for r in rows if r.task.reporting_unit.path.startswith(unit.path)]


def _where(unit: OrgUnit | None) -> str:
    return f" của {unit.name}" if unit is not None else ""


def tasks_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """Tasks counted (or listed) by status, of a unit, judged at the period's end."""
    unit = unit_of(question)
    as_of = judged_on(question, today)
    plans = _plans(question, user)
    if not plans:
        return Unclear("Bạn chưa được xem kế hoạch nào.")
    rows: list[Any] = []
    for plan in plans:
        rows += _rows_of_unit(task_rows(plan=plan, as_of=as_of, user=user), unit)
    if question.task_code:
        rows = [r for r in rows if r.task.code.upper() == question.task_code]
    wanted = [r for r in rows if not question.statuses or r.status.value in question.statuses]
    what = question.status_phrase or "(mọi tình trạng)"
    when = f"Tính đến ngày {format_date(as_of)}"
    sentence = f"{when}, có {format_number(len(wanted))} nhiệm vụ {what}{_where(unit)}"
    if not question.statuses:
        counts = {s: sum(r.status is s for r in rows) for s in TaskStatus}
        parts = [f"{status_label(s.value)} {format_number(n)}" for s, n in counts.items() if n]
        sentence = (
            f"{when}, {unit.name if unit else 'các kế hoạch'} có "
            f"{format_number(len(rows))} nhiệm vụ: " + "; ".join(parts)
        )
    sentence += f" (kế hoạch {', '.join(pl.document.symbol for pl in plans)})."
    return Answer(
        sentence=sentence,
        value=Decimal(len(wanted)),
        columns=TASK_COLUMNS,
        rows=[_task_row(r) for r in wanted],
        method=[
            "Nhiệm vụ của các kế hoạch bạn được xem, theo kế hoạch tại ngày "
            f"{format_date(as_of)} (đã tính các văn bản điều chỉnh có hiệu lực).",
            *(
                [f"Đơn vị: nhiệm vụ do {unit.name} (hoặc đơn vị trực thuộc) chủ trì báo cáo."]
                if unit
                else []
            ),
            "Tình trạng theo phân loại của Chính phủ, từ báo cáo tiến độ đã phê duyệt mới nhất "
            f"đến ngày {format_date(as_of)}; chưa có báo cáo thì xét theo thời hạn.",
        ],
        illustrative=any(r.update is not None and r.update.is_illustrative for r in wanted),
    )


def tasks_due_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """One-off tasks whose deadline falls in the period (this month by default)."""
    period = question.period or p.month_period(today.year, today.month)
    unit = unit_of(question)
    as_of = today  # the tasks' status now: "which of those due in December are overdue?"
    rows: list[Any] = []
    for plan in _plans(question, user):
        for row in _rows_of_unit(task_rows(plan=plan, as_of=as_of, user=user), unit):
            due = row.task.deadline.due
            if due is not None and period.start <= due <= period.end:
                rows.append(row)
    if question.statuses:
        rows = [r for r in rows if r.status.value in question.statuses]
    if question.task_code:
        rows = [r for r in rows if r.task.code.upper() == question.task_code]
    rows.sort(key=lambda r: (r.task.deadline.due, r.task.position))
    status = (
        f", {question.status_phrase} (tại ngày {format_date(as_of)})," if question.statuses else ""
    )
    sentence = (
        f"Có {format_number(len(rows))} nhiệm vụ{_where(unit)}{status} đến hạn trong "
        f"{period_phrase(period)} (từ {format_date(period.start)} đến {format_date(period.end)})."
    )
    return Answer(
        sentence=sentence,
        value=Decimal(len(rows)),
        columns=TASK_COLUMNS,
        rows=[_task_row(r) for r in rows],
        method=[
            "Nhiệm vụ có thời hạn là một ngày (hoặc một tháng) nằm trong kỳ, theo kế hoạch đã "
            "tính điều chỉnh; nhiệm vụ thường xuyên, hằng năm không tính.",
            f"Tình trạng xét tại ngày {format_date(as_of)}.",
        ],
        illustrative=any(r.update is not None and r.update.is_illustrative for r in rows),
    )


def late_units_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """Units that report and have not sent the period's report (this quarter by default)."""
    period = question.period or p.quarter_containing(today)
    if period.kind is p.PeriodKind.CUSTOM:
        # "từ 01/01/2026 đến 31/03/2026" is the first quarter when its dates are the quarter's
        quarter = p.quarter_containing(period.end)
        if (quarter.start, quarter.end) == (period.start, period.end):
            period = quarter
    if period.kind is not p.PeriodKind.QUARTER:
        return Unclear(
            "Báo cáo tiến độ gửi theo quý: hãy hỏi đơn vị chưa gửi báo cáo của một quý, ví dụ "
            "“quý I năm 2026”."
        )
    stored = period_stored_or_unsaved(period)
    due, late = late_units(user=user, period=stored, today=today)
    unit = unit_of(question)
    if unit is not None:
        late = [u for u in late if u.unit.path.startswith(unit.path)]
    rows = [
        Row(
            (
                u.unit.name,
                u.state,
                f"{u.days_late} ngày" if u.days_late else "chưa quá hạn",
            ),
            reverse("web:unit_detail", args=[u.unit.code]),
            u.unit.code,
        )
        for u in late
    ]
    scope = f"Trong {unit.name} (kể cả đơn vị trực thuộc), có" if unit else "Có"
    sentence = (
        f"{scope} {format_number(len(rows))} đơn vị chưa gửi báo cáo {period_phrase(period)} "
        f"(hạn gửi {format_date(due)})."
    )
    if not rows:
        who = (
            f"{unit.name} (và các đơn vị trực thuộc phải báo cáo)"
            if unit
            else "Mọi đơn vị phải báo cáo"
        )
        sentence = f"{who} đã gửi báo cáo {period_phrase(period)}."
    return Answer(
        sentence=sentence,
        value=Decimal(len(rows)),
        columns=("Đơn vị", "Trạng thái", "Quá hạn"),
        rows=rows,
        method=[
            "Đơn vị phải báo cáo: có người nhập báo cáo hoặc đã từng gửi báo cáo, trong phạm vi "
            "bạn được xem.",
            "Chưa gửi: chưa nhập, đang nhập hoặc bị trả lại (chưa gửi, chưa tiếp nhận, chưa "
            f"phê duyệt); hạn gửi {format_date(due)}.",
        ],
    )


def indicators_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """Indicators by evaluation status (at risk, achieved …), for a milestone year."""
    as_of = judged_on(question, today)
    unit = unit_of(question)
    rows: list[Any] = []
    for plan in _plans(question, user):
        for row in indicator_rows(plan=plan, as_of=as_of, user=user):
            lead = row.indicator.lead_unit
            if unit is not None and (lead is None or not lead.path.startswith(unit.path)):
                continue
            if question.year and row.evaluation.milestone_year != question.year:
                continue
            if question.statuses and row.evaluation.status.value not in question.statuses:
                continue
            rows.append(row)
    what = question.status_phrase or "(mọi kết quả)"
    year = f" mốc năm {question.year}" if question.year else ""
    sentence = (
        f"Tính đến ngày {format_date(as_of)}, có {format_number(len(rows))} chỉ tiêu{year} "
        f"{what}{_where(unit)}."
    )
    return Answer(
        sentence=sentence,
        value=Decimal(len(rows)),
        columns=("Mã", "Chỉ tiêu", "Thực hiện", "Mục tiêu", "Đánh giá"),
        rows=[
            Row(
                (
                    r.indicator.code,
                    r.indicator.name,
                    "chưa có số liệu"
                    if r.actual is None
                    else f"{format_number(r.actual, 2, strip_zeros=True)} {r.indicator.unit}",
                    r.evaluation.target.text if r.evaluation.target else "",
                    r.evaluation.status.label,
                ),
                reverse("web:indicator_detail", args=[r.indicator.pk]),
                f"{r.indicator.plan.document.symbol}#{r.indicator.code}",
            )
            for r in rows
        ],
        method=[
            f"Chỉ tiêu của các kế hoạch bạn được xem, đánh giá tại ngày {format_date(as_of)} "
            "so với mục tiêu của mốc áp dụng (đã tính điều chỉnh), theo chiều tốt lên và ngưỡng "
            "chấp nhận của từng chỉ tiêu.",
            "Số thực hiện là số liệu mới nhất được tính (đã phê duyệt hoặc lấy từ văn bản).",
        ],
        illustrative=any(r.value is not None and r.value.is_illustrative for r in rows),
    )


def who_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """Who leads a task (by code), the indicators named by their words, or a figure."""
    plans = list(plans_visible_to(user=user))
    if question.task_code:
        tasks = Task.objects.filter(plan__in=plans, code__iexact=question.task_code).select_related(
            "lead_unit", "plan__document", "plan__owner_unit"
        )
        rows = [
            Row(
                (
                    t.code,
                    t.title,
                    _lead(t),
                    ", ".join(u.name for u in t.coordinating_units.all()) or t.coordinating_text,
                ),
                reverse("web:task_detail", args=[t.pk]),
                _lead_key(t),
            )
            for t in tasks
        ]
        leads = sorted({r.cells[2] for r in rows})
        sentence = f"Nhiệm vụ {question.task_code} do {'; '.join(leads)} chủ trì."
        return Answer(
            sentence=sentence,
            columns=("Mã", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp"),
            rows=rows,
            method=["Cơ quan chủ trì và phối hợp như kế hoạch giao."],
        )
    if question.element is not None:
        return _who_reports(question)
    shown = question.indicator_phrase or " ".join(question.indicator_words)
    indicators = [
        i
        for plan in plans
        for i in plan_indicators(plan=plan, user=user)
        if " ".join(question.indicator_words) in fold(i.name)
    ]
    if not indicators:
        return Unclear(
            f"Không có chỉ tiêu nào có “{shown}” trong tên.",
            suggestions=("Ai phụ trách chỉ tiêu phủ sóng 5G?", "Ai phụ trách nhiệm vụ 2.8?"),
        )
    rows = [
        Row(
            (i.code, i.name, _indicator_lead(i)),
            reverse("web:indicator_detail", args=[i.pk]),
            i.lead_unit.code if i.lead_unit else "",
        )
        for i in indicators
    ]
    leads = sorted({r.cells[2] for r in rows})
    sentence = (
        f"{'Chỉ tiêu' if len(rows) == 1 else f'Cả {len(rows)} chỉ tiêu'} có "
        f"“{shown}” do {'; '.join(leads)} chủ trì."
    )
    if len(leads) > 1:
        sentence = (
            f"Có {len(rows)} chỉ tiêu có “{shown}”, do: "
            + "; ".join(leads)
            + " chủ trì (xem từng chỉ tiêu trong bảng)."
        )
    return Answer(
        sentence=sentence,
        columns=("Mã", "Chỉ tiêu", "Đơn vị chủ trì"),
        rows=rows,
        method=["Chỉ tiêu có đủ các từ đã hỏi trong tên; cơ quan chủ trì như kế hoạch giao."],
    )


def _lead_key(task: Task) -> str:
    return task.lead_unit.code if task.lead_unit else task.plan.owner_unit.code


def _indicator_lead(indicator: Indicator) -> str:
    if indicator.lead_unit is not None:
        return indicator.lead_unit.name
    return indicator.lead_text or "kế hoạch không ghi cơ quan chủ trì"


def _who_reports(question: Question) -> Answer | Unclear:
    from theodoi.progress.models import DataElement

    element = (
        DataElement.objects.filter(code=question.element.key).select_related("reported_by").first()
    )
    if element is None or element.reported_by is None:
        return Unclear(
            f"Danh mục số liệu chưa ghi đơn vị báo cáo số liệu “{question.element.label}”."
        )
    unit = element.reported_by
    return Answer(
        sentence=f"Số liệu “{element.name}” do {unit.name} báo cáo.",
        columns=("Số liệu", "Đơn vị báo cáo"),
        rows=[
            Row((element.name, unit.name), reverse("web:unit_detail", args=[unit.code]), unit.code)
        ],
        method=["Đơn vị báo cáo như danh mục số liệu ghi."],
    )
