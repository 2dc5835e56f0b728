"""``theodoi bench --scale …``: the figures that say whether the system carries a province or
the country, measured in one run against the current database.

- roll-up summary of the country and of one province through the project's own code from
  fresh data (``progress.services.summaries.rollup_fresh``: stale summaries recomputed first),
  beside the same aggregate read from the stored summaries by hand and — the physical floor —
  the task counts computed from the raw tables by one SQL query;
- the staleness window: from a write to the province's roll-up showing it;
- a commune's dashboard page and the API summary under N concurrent clients on loopback,
  for a bounded time (p50, p95, requests per second: ``bench.http_load``);
- a commune's report (DOCX, XLSX) and a province's roll-up report;
- the peak memory of the server process.

Targets (issues 7 and 17) are printed beside each figure.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from typing import Any

from theodoi.bench.http_load import Server, load, percentile, signed_in_opener

BENCH_USER = "theodoi-do-hieu-nang"
TARGETS = {
    "rollup_national_p50_ms": 100,
    "rollup_province_p50_ms": 20,
    "rollup_vs_sql_ratio": 2.0,
    "dashboard_p95_ms": 150,
    "api_summary_p95_ms": 150,
    "commune_report_s": 1.5,
    "province_report_s": 10,
    "server_peak_mb": 300,
    "staleness_s": 5,
    "summaries_refresh_s": 10,
    "summaries_refresh_8q_s": 60,
}
QUARTERS = 8  # two years of quarters, refreshed together
REFRESH_JOBS = 2


def _timed(fn, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


# -- roll-up vs SQL ------------------------------------------------------------------------------

ROLLUP_SQL = """
WITH summaries AS (
    SELECT COALESCE(SUM(s.tasks_completed_on_time), 0), COALESCE(SUM(s.tasks_completed_late), 0),
           COALESCE(SUM(s.tasks_in_progress), 0), COALESCE(SUM(s.tasks_overdue), 0),
           COALESCE(SUM(s.tasks_not_started), 0), COALESCE(SUM(s.indicators_achieved), 0),
           COALESCE(SUM(s.indicators_not_achieved), 0), COALESCE(SUM(s.indicators_on_track), 0),
           COALESCE(SUM(s.indicators_at_risk), 0), COALESCE(SUM(s.indicators_no_data), 0),
           COUNT(*), MIN(s.computed_at)
    FROM progress_plansummary s JOIN progress_period p ON p.id = s.period_id
    WHERE p.code = %(period)s AND s.unit_path LIKE %(prefix)s
),
sums AS (
    SELECT v.element_id, SUM(v.value) AS total, COUNT(DISTINCT v.org_unit_id) AS units
    FROM progress_datavalue v
    JOIN progress_period p ON p.id = v.period_id
    JOIN orgs_orgunit u ON u.id = v.org_unit_id
    WHERE p.code = %(period)s AND u.path LIKE %(prefix)s AND v.breakdown = ''
      AND (v.reporting_unit_id IS NULL OR EXISTS (
            SELECT 1 FROM progress_submission x
            WHERE x.org_unit_id = v.reporting_unit_id AND x.period_id = v.period_id
              AND x.state = 'approved'))
    GROUP BY v.element_id
),
figures AS (
    SELECT e.code, s.total, s.units
    FROM sums s JOIN progress_dataelement e ON e.id = s.element_id
    WHERE e.unit <> '%%'
),
reporting AS (
    SELECT COUNT(*) FILTER (WHERE x.state IN ('submitted', 'accepted', 'approved')),
           COUNT(*) FILTER (WHERE x.state = 'approved')
    FROM progress_submission x
    JOIN progress_period p ON p.id = x.period_id
    JOIN orgs_orgunit u ON u.id = x.org_unit_id
    WHERE p.code = %(period)s AND u.path LIKE %(prefix)s
)
SELECT (SELECT row_to_json(summaries) FROM summaries),
       (SELECT json_agg(figures) FROM figures),
       (SELECT row_to_json(reporting) FROM reporting)
"""


# The physical floor: the task-status counts computed by one query from the raw tables (the
# latest approved update of each task, its deadline, the rules of domain/status.py), with no
# stored summary. It leaves out the plan adjustments (tasks moved, removed or added by a later
# document), so its counts can differ from the project's where a plan was adjusted: the run
# says whether they matched.
RAW_TASKS_SQL = """
WITH tasks AS (
    SELECT t.id, t.deadline_kind, t.deadline_date
    FROM plans_task t
    JOIN plans_plan pl ON pl.id = t.plan_id
    JOIN orgs_orgunit o ON o.id = pl.owner_unit_id
    WHERE o.path LIKE %(prefix)s
),
latest AS (
    SELECT DISTINCT ON (u.task_id) u.task_id, u.reported_state, u.completion_date,
           p."end" AS period_end
    FROM progress_taskupdate u
    JOIN tasks t ON t.id = u.task_id
    JOIN progress_period p ON p.id = u.period_id
    WHERE u.state = 'approved' AND p.start <= %(as_of)s
    ORDER BY u.task_id, p."end" DESC, p.start DESC
),
judged AS (
    SELECT l.reported_state, l.completion_date,
           CASE
               WHEN t.deadline_kind NOT IN ('yearly', 'ongoing', 'periodic', 'per_source')
                   THEN t.deadline_date
               WHEN t.deadline_kind = 'per_source' THEN NULL
               ELSE COALESCE(l.period_end, %(quarter_end)s)
           END AS due
    FROM tasks t LEFT JOIN latest l ON l.task_id = t.id
)
SELECT CASE
           WHEN reported_state = 'completed' AND completion_date IS NOT NULL
                AND completion_date <= %(as_of)s THEN
               CASE WHEN due IS NULL OR completion_date <= due THEN 'completed_on_time'
                    ELSE 'completed_late' END
           WHEN due IS NOT NULL AND %(as_of)s > due THEN 'overdue'
           WHEN reported_state IS NOT NULL AND reported_state <> 'not_started'
               THEN 'in_progress'
           ELSE 'not_started'
       END AS status,
       COUNT(*)
FROM judged
GROUP BY 1
"""


def rollup_timings(unit: Any, period: Any, repeat: int) -> dict[str, Any]:
    """p50 of the project's roll-up from fresh data (stale summaries recomputed first), of
    the same aggregate read from the stored summaries by hand, and — the physical floor — of
    the task counts computed from the raw tables by one query (PostgreSQL)."""
    from django.db import connection

    from theodoi.domain.periods import quarter_containing
    from theodoi.progress.services.summaries import rollup_fresh

    answer = rollup_fresh(unit=unit, period=period, user=None)
    ours = _timed(lambda: rollup_fresh(unit=unit, period=period, user=None), repeat)

    def after_change() -> None:
        # the first read after a write in the subtree: its unit stamped anew (what any write
        # of a figure or a report does), read, undone — nothing of the data changes
        from django.db import transaction
        from django.db.models import F

        from theodoi.progress.models import UnitStamp

        with transaction.atomic():
            # a new stamp each time, as the trigger sets one: never a key already cached
            change = random.randint(1, 2**30)
            UnitStamp.objects.filter(unit_id=unit.pk).update(stamp=F("stamp") + change)
            rollup_fresh(unit=unit, period=period, user=None)
            transaction.set_rollback(True)

    changed = _timed(after_change, repeat)
    result: dict[str, Any] = {
        "unit": unit.code,
        "ours_p50_ms": round(statistics.median(ours), 1),
        "ours_p95_ms": round(percentile(ours, 0.95), 1),
        "after_change_p50_ms": round(statistics.median(changed), 1),
        "up_to_date": answer["computed"]["up_to_date"],
    }
    if connection.vendor == "postgresql":

        def stored() -> None:
            with connection.cursor() as cursor:
                cursor.execute(ROLLUP_SQL, {"period": period.code, "prefix": unit.path + "%"})
                cursor.fetchall()

        raw_counts: dict[str, int] = {}

        def raw() -> None:
            with connection.cursor() as cursor:
                cursor.execute(
                    RAW_TASKS_SQL,
                    {
                        "prefix": unit.path + "%",
                        "as_of": period.end,
                        "quarter_end": quarter_containing(period.end).end,
                    },
                )
                raw_counts.update(dict(cursor.fetchall()))

        summaries = _timed(stored, repeat)
        floor = _timed(raw, max(1, min(repeat, 5)))
        result["summaries_sql_p50_ms"] = round(statistics.median(summaries), 1)
        result["raw_sql_p50_ms"] = round(statistics.median(floor), 1)
        result["ratio"] = round(result["ours_p50_ms"] / max(result["raw_sql_p50_ms"], 0.01), 2)
        tasks = {k: v for k, v in answer["tasks"].items() if k != "total"}
        result["raw_matches"] = all(raw_counts.get(k, 0) == v for k, v in tasks.items())
    return result


def staleness_window(unit: Any, period: Any, limit_s: float = 60) -> dict[str, Any]:
    """Seconds from a write (one task of a plan under ``unit`` made overdue, then put back)
    to the roll-up of ``unit`` showing it."""
    from theodoi.domain.status import TaskStatus
    from theodoi.plans.models import Plan, Task
    from theodoi.progress.selectors.tasks import task_rows
    from theodoi.progress.services.summaries import rollup_fresh

    # a task neither completed nor overdue at the period's end: given a deadline before it,
    # it becomes overdue
    task = None
    for plan in Plan.objects.filter(owner_unit__path__startswith=unit.path).order_by("pk")[:20]:
        rows = task_rows(plan=plan, as_of=period.end, user=None)
        task = next(
            (r.task for r in rows if r.status in (TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)),
            None,
        )
        if task is not None:
            break
    if task is None:
        return {"seconds": None, "note": "không có nhiệm vụ phù hợp để thử"}
    before = rollup_fresh(unit=unit, period=period, user=None)["tasks"]["overdue"]
    old = {f: getattr(task, f) for f in ("deadline_kind", "deadline_date", "deadline_text")}
    Task.objects.filter(pk=task.pk).update(
        deadline_kind="date", deadline_date=period.start, deadline_text="(đo độ trễ)"
    )
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < limit_s:
            now = rollup_fresh(unit=unit, period=period, user=None)["tasks"]["overdue"]
            if now != before:
                return {"seconds": round(time.perf_counter() - started, 3), "task": task.pk}
            time.sleep(0.2)
        return {"seconds": None, "note": f"chưa thấy thay đổi sau {limit_s:.0f} giây"}
    finally:
        Task.objects.filter(pk=task.pk).update(**old)
        rollup_fresh(unit=unit, period=period, user=None)


# -- the whole run -------------------------------------------------------------------------------


def _pick_units(scale: str) -> tuple[Any, Any, Any]:
    """(country or top unit, a province, a commune with its own plan)."""
    from theodoi.orgs.models import OrgUnit
    from theodoi.plans.models import Plan

    top = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    plan = (
        Plan.objects.filter(owner_unit__code__startswith="SYN-")
        .select_related("owner_unit")
        .order_by("owner_unit__path")
        .first()
    ) or Plan.objects.select_related("owner_unit").order_by("owner_unit__path").first()
    commune = plan.owner_unit
    province = commune.parent if commune.parent is not None else top
    return top, province, commune


def run(
    *,
    scale: str,
    period_code: str,
    clients: int,
    seconds: float,
    repeat: int,
    server_kind: str,
    workers: int,
    progress=print,
) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from theodoi.api.services import api_token_create
    from theodoi.domain.periods import parse_period
    from theodoi.plans.models import Plan
    from theodoi.plans.selectors import plans_for_unit
    from theodoi.progress.models import DataValue, PlanSummary, TaskUpdate
    from theodoi.reports.services import report_build, report_render

    period = parse_period(period_code)
    top, province, commune = _pick_units(scale)
    figures: dict[str, Any] = {
        "scale": scale,
        "database": connection.vendor,
        "machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
        "rows": {
            "plans": Plan.objects.count(),
            "task_updates": TaskUpdate.objects.count(),
            "data_values": DataValue.objects.count(),
            "plan_summaries": PlanSummary.objects.filter(period__code=period.code).count(),
        },
        "period": period.code,
        "targets": TARGETS,
    }
    progress(f"Tính lại tổng hợp của mọi kế hoạch kỳ {period.code} (theo lô, trong CSDL)…")
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.summaries import summaries_refresh

    stored = period_ensure(period=period, user=None, reason="Đo hiệu năng")
    started = time.perf_counter()
    refreshed = summaries_refresh(period=stored)
    figures["summaries_refresh"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "plans": refreshed,
    }
    from theodoi.domain.periods import periods_ending
    from theodoi.progress.services.summaries import summaries_refresh_many

    quarters = periods_ending(period, QUARTERS)
    progress(
        f"Tính lại {QUARTERS} quý, {quarters[0].code} đến {period.code} "
        + (
            f"({REFRESH_JOBS} kỳ cùng lúc)…"
            if connection.vendor == "postgresql"
            else "(lần lượt từng kỳ)…"
        )
    )
    stored_quarters = [period_ensure(period=q, user=None, reason="Đo hiệu năng") for q in quarters]
    started = time.perf_counter()
    refreshed_many = summaries_refresh_many(periods=stored_quarters, jobs=REFRESH_JOBS)
    figures["summaries_refresh_8q"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "plans": sum(refreshed_many.values()),
        "periods": len(quarters),
        "jobs": REFRESH_JOBS if connection.vendor == "postgresql" else 1,
    }
    progress(f"Tổng hợp toàn bộ ({top.name}) và cấp tỉnh ({province.name}), {repeat} lần…")
    figures["rollup_national"] = rollup_timings(top, period, repeat)
    figures["rollup_province"] = rollup_timings(province, period, repeat)
    progress(f"Độ trễ cập nhật: từ lúc ghi đến lúc tổng hợp {province.name} thấy…")
    figures["staleness"] = staleness_window(province, period)

    progress(f"Báo cáo của {commune.name}…")
    plans = plans_for_unit(unit=commune, user=None)
    started = time.perf_counter()
    snapshot = report_build(unit=commune, period=period, plans=plans, user=None)
    report_render(snapshot, unit=commune)
    figures["commune_report_s"] = round(time.perf_counter() - started, 2)

    progress(f"Báo cáo tổng hợp của {province.name}…")
    started = time.perf_counter()
    snapshot = report_build(
        unit=province, period=period, plans=plans_for_unit(unit=province, user=None), user=None
    )
    report_render(snapshot, unit=province)
    figures["province_report_s"] = round(time.perf_counter() - started, 2)
    figures["province_report_units"] = len(snapshot.get("rollup", {}).get("units", []))

    # A throw-away account for the run, removed at the end: the commune's leader, who sees
    # what a commune's own staff see (a superuser's page would list all 3,400 units).
    from theodoi.orgs.models import Membership, Role

    User = get_user_model()
    password = "bench-" + os.urandom(8).hex()
    User.objects.filter(username=BENCH_USER).delete()
    admin = User.objects.create_user(BENCH_USER, password=password, first_name="Đo hiệu năng")
    server = None
    try:
        Membership.objects.create(user=admin, org_unit=commune, role=Role.LEADER)
        _, token = api_token_create(user=admin, name="theodoi bench")
        plan = Plan.objects.filter(owner_unit=commune).first()
        progress(f"Máy chủ {server_kind} trên 127.0.0.1, {clients} người dùng đồng thời…")
        server = Server(server_kind, workers)
        dashboard_path = f"/?don-vi={commune.code}&ky={period.code}"
        figures["dashboard"] = load(
            server,
            dashboard_path,
            clients=clients,
            seconds=seconds,
            opener_factory=lambda: signed_in_opener(server, admin.username, password),
        )
        figures["api_summary"] = load(
            server,
            f"/api/plans/{plan.id}/summary?period={period.code}",
            clients=clients,
            seconds=seconds,
            opener_factory=urllib.request.build_opener,
            headers={"Authorization": f"Bearer {token}"},
        )
        figures["server_peak_mb"] = server.peak_mb()
        figures["server"] = server_kind
        figures["workers"] = workers if server_kind == "gunicorn" else 1
    finally:
        # the throw-away account (and its token) never outlives the run, even a failed one
        if server is not None:
            server.stop()
        admin.delete()
    return figures


def _verdict(value: float, target: float, unit: str) -> str:
    from theodoi.domain.formatting import format_number as n

    state = "đạt" if value <= target else f"CHƯA ĐẠT, gấp {n(value / target, 1)} lần"
    return f"(mục tiêu ≤ {n(target, 1, strip_zeros=True)} {unit}: {state})"


def _cpu_bound(load: dict[str, Any], cores: int) -> str:
    """Why a page takes what it takes under load: the CPU each request costs the server and
    the load generator (the database's own is not counted), the ceiling that puts on requests
    per second on this machine's cores, and the wait it means for the clients on average
    (Little's law: clients ÷ requests per second)."""
    from theodoi.domain.formatting import format_number as n

    per_request = load["server_cpu_ms"] + load["client_cpu_ms"]
    ceiling = cores * 1000 / per_request
    return (
        f"mỗi yêu cầu tốn {n(load['server_cpu_ms'], 1)} ms CPU ở máy chủ và "
        f"{n(load['client_cpu_ms'], 1)} ms ở chương trình đo (chưa kể cơ sở dữ liệu): "
        f"{cores} nhân trả lời được nhiều nhất ≈ {n(ceiling)} yêu cầu/giây, nên "
        f"{load['clients']} người dùng chờ trung bình ít nhất ≈ "
        f"{n(load['clients'] * 1000 / ceiling)} ms"
    )


def print_report(figures: dict[str, Any]) -> None:
    from theodoi.domain.formatting import format_number as n

    t = TARGETS
    machine = figures["machine"]
    print(
        f"\ntheodoi bench --scale {figures['scale']} ({figures['database']}, "
        f"{machine['cores']} nhân, Python {machine['python']})"
    )
    rows = figures["rows"]
    print(
        f"  dữ liệu: {n(rows['plans'])} kế hoạch, {n(rows['task_updates'])} báo cáo tiến độ, "
        f"{n(rows['data_values'])} số liệu; {n(rows['plan_summaries'])} bản tổng hợp kỳ "
        f"{figures['period']}"
    )
    refresh = figures.get("summaries_refresh")
    if refresh:
        print(
            f"  tính lại tổng hợp kỳ    {n(refresh['seconds'], 1)} s cho {n(refresh['plans'])} kế "
            "hoạch " + _verdict(refresh["seconds"], t["summaries_refresh_s"], "s")
        )
    many = figures.get("summaries_refresh_8q")
    if many:
        print(
            f"  tính lại {many['periods']} quý       {n(many['seconds'], 1)} s, "
            f"{n(many['plans'])} bản tổng hợp, "
            + (f"{many['jobs']} kỳ cùng lúc " if many["jobs"] > 1 else "lần lượt từng kỳ ")
            + _verdict(many["seconds"], t["summaries_refresh_8q_s"], "s")
        )
    for key, label, target in (
        ("rollup_national", "tổng hợp toàn quốc", "rollup_national_p50_ms"),
        ("rollup_province", "tổng hợp tỉnh", "rollup_province_p50_ms"),
    ):
        r = figures[key]
        fresh = "số liệu mới nhất" if r["up_to_date"] else "CÒN BẢN TỔNG HỢP ĐANG CẬP NHẬT"
        line = f"  {label:<24} p50 {n(r['ours_p50_ms'], 1):>8} ms ({fresh}) "
        line += _verdict(r["ours_p50_ms"], t[target], "ms")
        print(line)
        if "after_change_p50_ms" in r:
            print(
                f"    lần đọc đầu tiên sau một thay đổi trong cây đơn vị (phần số liệu, báo cáo "
                f"tính lại, không lấy từ bộ nhớ đệm): p50 {n(r['after_change_p50_ms'], 1)} ms"
            )
        if "raw_sql_p50_ms" in r:
            match = "khớp" if r["raw_matches"] else "LỆCH (kế hoạch có điều chỉnh)"
            print(
                f"    đọc bảng tổng hợp bằng SQL viết tay {n(r['summaries_sql_p50_ms'], 1)} ms; "
                f"tính từ bảng gốc bằng một câu SQL (giới hạn vật lý) {n(r['raw_sql_p50_ms'], 1)} "
                f"ms, số nhiệm vụ {match}; tỷ lệ so với bảng gốc {n(r['ratio'], 2)} "
                + _verdict(r["ratio"], t["rollup_vs_sql_ratio"], "lần")
            )
    stale = figures.get("staleness", {})
    if stale.get("seconds") is not None:
        print(
            f"  độ trễ cập nhật         {n(stale['seconds'], 2)} s từ lúc ghi đến lúc tổng hợp "
            "tỉnh thấy " + _verdict(stale["seconds"], t["staleness_s"], "s")
        )
    else:
        print(f"  độ trễ cập nhật         không đo được: {stale.get('note', '')}")
    for key, label, target in (
        ("dashboard", "trang tổng quan xã", "dashboard_p95_ms"),
        ("api_summary", "API tổng hợp", "api_summary_p95_ms"),
    ):
        r = figures[key]
        line = (
            f"  {label:<24} p50 {n(r['p50_ms'], 1):>8} ms, p95 {n(r['p95_ms'], 1)} ms, "
            f"{n(r['per_second'], 1)} yêu cầu/giây, {r['clients']} người dùng, {r['errors']} lỗi "
        )
        print(line + _verdict(r["p95_ms"], t[target], "ms (p95)"))
        if r.get("server_cpu_ms"):
            print("    " + _cpu_bound(r, figures["machine"]["cores"] or 1))
    for key, label in (
        ("commune_report_s", "báo cáo của xã        "),
        ("province_report_s", "báo cáo tổng hợp tỉnh "),
    ):
        value = figures[key]
        print(f"  {label} {n(value, 2)} s " + _verdict(value, t[key], "s"))
    memory = figures["server_peak_mb"]
    print(
        f"  bộ nhớ đỉnh máy chủ ({figures['server']}): tiến trình lớn nhất "
        f"{n(memory['largest_process'], 0)} MB, cả {figures['workers']} tiến trình làm việc và "
        f"tiến trình chính {n(memory['all_processes'], 0)} MB "
        + _verdict(memory["largest_process"], t["server_peak_mb"], "MB mỗi tiến trình")
    )


def main_json(figures: dict[str, Any]) -> None:
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
