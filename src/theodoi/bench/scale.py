"""``theodoi bench --scale …``: the figures that say whether the system carries a province or
the country, measured in one run against the current database.

- roll-up summary of the country and of one province through the project's own code
  (``progress.selectors.rollup.rollup_summary``) beside the same aggregate as one hand-written SQL
  query on the same tables: the ratio is the cost of the code;
- a commune's dashboard page and the API summary under N concurrent clients on loopback,
  for a bounded time (p50, p95, requests per second);
- a commune's report (DOCX, XLSX) and a province's roll-up report;
- the peak memory of the server process.

Targets (issue 7) are printed beside each figure.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

BENCH_USER = "theodoi-do-hieu-nang"
TARGETS = {
    "rollup_national_p50_ms": 500,
    "rollup_vs_sql_ratio": 2.0,
    "dashboard_p95_ms": 150,
    "commune_report_s": 1.5,
    "province_report_s": 10,
    "server_peak_mb": 300,
}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


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


def rollup_timings(unit: Any, period: Any, repeat: int) -> dict[str, Any]:
    """p50 of the project's roll-up and of the hand-written query, on PostgreSQL."""
    from django.db import connection

    from theodoi.progress.selectors.rollup import rollup_summary

    ours = _timed(lambda: rollup_summary(unit=unit, period=period, user=None), repeat)
    result: dict[str, Any] = {
        "unit": unit.code,
        "ours_p50_ms": round(statistics.median(ours), 1),
        "ours_p95_ms": round(_percentile(ours, 0.95), 1),
    }
    if connection.vendor == "postgresql":

        def sql() -> None:
            with connection.cursor() as cursor:
                cursor.execute(ROLLUP_SQL, {"period": period.code, "prefix": unit.path + "%"})
                cursor.fetchall()

        theirs = _timed(sql, repeat)
        result["sql_p50_ms"] = round(statistics.median(theirs), 1)
        result["ratio"] = round(result["ours_p50_ms"] / max(result["sql_p50_ms"], 0.01), 2)
    return result


# -- HTTP under load -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_mb(pid: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of the largest server process and of all of them
    together (gunicorn's master and workers), in MB."""
    total = largest = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        if m:
            size = int(m.group(1)) / 1024
            total += size
            largest = max(largest, size)
    return {"largest_process": round(largest, 1), "all_processes": round(total, 1)}


class Server:
    """``theodoi serve`` (waitress) or gunicorn on a free loopback port, same database."""

    def __init__(self, kind: str, workers: int) -> None:
        self.port = _free_port()
        bin_dir = Path(sys.executable).parent
        if kind == "gunicorn":
            config = Path(__file__).resolve().parent / "gunicorn.conf.py"
            command = [str(bin_dir / "gunicorn"), "theodoi.wsgi", "-b", f"127.0.0.1:{self.port}"]
            command += ["-w", str(workers)]
            if config.exists():
                command += ["-c", str(config)]
        else:
            command = [str(bin_dir / "theodoi"), "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/dang-nhap/"), timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("Máy chủ thử không khởi động được trong 60 giây.")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_mb(self) -> dict[str, float]:
        return _peak_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _signed_in_opener(server: Server, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url("/dang-nhap/"), timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        server.url("/dang-nhap/"), data=data, headers={"Referer": server.url("/dang-nhap/")}
    )
    opener.open(request, timeout=30).read()
    return opener


def load(
    server: Server, path: str, *, clients: int, seconds: float, opener_factory, headers=None
) -> dict[str, Any]:
    """``clients`` threads request ``path`` again and again for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def client() -> None:
        nonlocal errors
        opener = opener_factory()
        while time.time() < stop_at:
            request = urllib.request.Request(server.url(path), headers=headers or {})
            started = time.perf_counter()
            try:
                with opener.open(request, timeout=60) as response:
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "path": path,
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "per_second": round(len(latencies) / seconds, 1),
    }


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
    progress(f"Tổng hợp toàn bộ ({top.name}) và cấp tỉnh ({province.name}), {repeat} lần…")
    figures["rollup_national"] = rollup_timings(top, period, repeat)
    figures["rollup_province"] = rollup_timings(province, period, repeat)

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
    Membership.objects.create(user=admin, org_unit=commune, role=Role.LEADER)
    _, token = api_token_create(user=admin, name="theodoi bench")
    plan = Plan.objects.filter(owner_unit=commune).first()

    progress(f"Máy chủ {server_kind} trên 127.0.0.1, {clients} người dùng đồng thời…")
    server = Server(server_kind, workers)
    try:
        dashboard_path = f"/?don-vi={commune.code}&ky={period.code}"
        figures["dashboard"] = load(
            server,
            dashboard_path,
            clients=clients,
            seconds=seconds,
            opener_factory=lambda: _signed_in_opener(server, admin.username, password),
        )
        figures["api_summary"] = load(
            server,
            f"/api/plans/{plan.id}/summary?as_of={period.end.isoformat()}",
            clients=clients,
            seconds=seconds,
            opener_factory=urllib.request.build_opener,
            headers={"Authorization": f"Bearer {token}"},
        )
        figures["server_peak_mb"] = server.peak_mb()
        figures["server"] = server_kind
        figures["workers"] = workers if server_kind == "gunicorn" else 1
    finally:
        server.stop()
        admin.delete()
    return figures


def _verdict(value: float, target: float, unit: str) -> str:
    state = "đạt" if value <= target else f"CHƯA ĐẠT, gấp {value / target:.1f} lần"
    return f"(mục tiêu ≤ {target} {unit}: {state})"


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
    for key, label in (
        ("rollup_national", "tổng hợp toàn quốc"),
        ("rollup_province", "tổng hợp tỉnh"),
    ):
        r = figures[key]
        line = f"  {label:<24} p50 {r['ours_p50_ms']:>8.1f} ms"
        if key == "rollup_national":
            line += " " + _verdict(r["ours_p50_ms"], t["rollup_national_p50_ms"], "ms")
        if "sql_p50_ms" in r:
            line += f"; SQL viết tay {r['sql_p50_ms']:.1f} ms, tỷ lệ {r['ratio']:.2f} "
            line += _verdict(r["ratio"], t["rollup_vs_sql_ratio"], "lần")
        print(line)
    for key, label in (("dashboard", "trang tổng quan xã"), ("api_summary", "API tổng hợp")):
        r = figures[key]
        line = (
            f"  {label:<24} p50 {r['p50_ms']:>8.1f} ms, p95 {r['p95_ms']:.1f} ms, "
            f"{r['per_second']:.1f} yêu cầu/giây, {r['clients']} người dùng, {r['errors']} lỗi"
        )
        if key == "dashboard":
            line += " " + _verdict(r["p95_ms"], t["dashboard_p95_ms"], "ms (p95)")
        print(line)
    value = figures["commune_report_s"]
    print(f"  báo cáo của xã         {value:.2f} s " + _verdict(value, t["commune_report_s"], "s"))
    value = figures["province_report_s"]
    print(f"  báo cáo tổng hợp tỉnh  {value:.2f} s " + _verdict(value, t["province_report_s"], "s"))
    memory = figures["server_peak_mb"]
    print(
        f"  bộ nhớ đỉnh máy chủ ({figures['server']}): tiến trình lớn nhất "
        f"{memory['largest_process']:.0f} MB, cả {figures['workers']} tiến trình làm việc và "
        f"tiến trình chính {memory['all_processes']:.0f} MB "
        + _verdict(memory["largest_process"], t["server_peak_mb"], "MB mỗi tiến trình")
    )


def main_json(figures: dict[str, Any]) -> None:
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
