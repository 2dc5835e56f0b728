"""``theodoi bench report``: how long the period's report takes to build and render."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def run(*, unit: Any, period: Any, repeat: int, say: Callable[[str], None] = print) -> None:
    """Build and render the report ``repeat`` times; print the best run beside the target,
    and the PDF conversion when LibreOffice is installed."""
    from theodoi.plans.selectors import plans_for_unit
    from theodoi.reports.render import libreoffice, render_pdf
    from theodoi.reports.services import report_build, report_render

    plans = plans_for_unit(unit=unit, user=None)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        snapshot = report_build(unit=unit, period=period, plans=plans, user=None)
        built = time.perf_counter()
        files = report_render(snapshot, unit=unit)
        done = time.perf_counter()
        timings.append((built - started, done - built, done - started))
    best = min(timings, key=lambda t: t[2])
    say(
        f"Báo cáo {period.label}, {unit.name} ({len(snapshot['task_rows'])} nhiệm vụ, "
        f"{len(snapshot['indicator_rows'])} chỉ tiêu), tốt nhất trong {repeat} lần:"
    )
    say(f"  tổng hợp số liệu      {best[0] * 1000:8.0f} ms")
    say(f"  DOCX + XLSX           {best[1] * 1000:8.0f} ms")
    say(f"  tổng                  {best[2] * 1000:8.0f} ms   (mục tiêu ≤ 1.500 ms)")
    if libreoffice():
        started = time.perf_counter()
        render_pdf(files.docx)
        say(f"  PDF (LibreOffice)     {(time.perf_counter() - started) * 1000:8.0f} ms")
    else:
        say("  PDF: bỏ qua, máy chưa có LibreOffice")
