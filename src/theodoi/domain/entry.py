"""The rules a progress entry must satisfy, whoever types it (web form, API, Excel import)."""

from __future__ import annotations

import datetime as dt

from theodoi.domain.status import ReportedState


def entry_problems(
    *,
    reported_state: str | None,
    progress_percent: int | None,
    completion_date: dt.date | None,
    results: str,
    period_end: dt.date | None,
    assigned_on: dt.date | None = None,
) -> dict[str, list[str]]:
    """Vietnamese messages per field for what is wrong with a task's progress entry.

    Nothing typed is changed silently: a completed task with a percentage other than 100, or
    a completion date before the task was assigned (``assigned_on``, the date of the plan
    that gives it), is refused with a message saying why, not corrected."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    states = {s.value for s in ReportedState}
    if reported_state not in states:
        add("reported_state", "Hãy chọn tình hình thực hiện.")
        return problems
    if progress_percent is not None and not 0 <= progress_percent <= 100:
        add("progress_percent", "Tiến độ phải từ 0 đến 100%.")
    if reported_state == ReportedState.COMPLETED.value:
        if progress_percent is not None and progress_percent != 100:
            add(
                "progress_percent",
                f"Nhiệm vụ đã hoàn thành thì tiến độ là 100%, không phải {progress_percent}%: "
                "sửa tiến độ, hoặc chọn “Đang thực hiện” nếu chưa xong.",
            )
        if completion_date is None:
            add("completion_date", "Nhiệm vụ đã hoàn thành: hãy nhập ngày hoàn thành.")
        if not (results or "").strip():
            add("results", "Hãy ghi kết quả đã đạt được.")
    else:
        if completion_date is not None:
            add("completion_date", "Chỉ nhập ngày hoàn thành khi nhiệm vụ đã hoàn thành.")
        if reported_state == ReportedState.NOT_STARTED.value and progress_percent:
            add("progress_percent", "Nhiệm vụ chưa triển khai thì tiến độ là 0%.")
        if reported_state == ReportedState.IN_PROGRESS.value and progress_percent is None:
            add("progress_percent", "Hãy nhập tiến độ (%).")
    if completion_date is not None and assigned_on is not None and completion_date < assigned_on:
        add(
            "completion_date",
            f"Ngày hoàn thành {completion_date:%d/%m/%Y} trước ngày nhiệm vụ được giao "
            f"({assigned_on:%d/%m/%Y}, ngày ban hành kế hoạch): hãy kiểm tra lại năm.",
        )
    if completion_date is not None and period_end is not None and completion_date > period_end:
        add(
            "completion_date",
            f"Ngày hoàn thành {completion_date:%d/%m/%Y} sau ngày cuối kỳ {period_end:%d/%m/%Y}.",
        )
    return problems


def normalised_percent(reported_state: str, progress_percent: int | None) -> int:
    """100% when completed, 0% when not started, otherwise what was typed. Only fills what
    was left blank: :func:`entry_problems` refuses a typed value that disagrees."""
    if reported_state == ReportedState.COMPLETED.value:
        return 100
    if reported_state == ReportedState.NOT_STARTED.value:
        return 0
    return progress_percent or 0
