"""N concurrent clients against a server of the project on loopback, for a bounded time:
the load half of ``theodoi bench --scale`` (``bench.scale``)."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _processes(pid: int) -> list[int]:
    """The server process and its children (gunicorn's workers), where /proc tells them."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    return pids


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system) the server and its workers have used so far, the workers
    gunicorn has replaced included (``max_requests``: their time is the master's children's
    once reaped); None where /proc is not there."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for p in _processes(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        if p == pid:
            total += (int(fields[13]) + int(fields[14])) / ticks  # cutime, cstime: reaped
    return total


def _peak_rss_mb(pid: int) -> dict[str, float]:
    """Peak resident memory (VmHWM) of the largest server process and of all of them
    together (gunicorn's master and workers), in MB."""
    total = largest = 0.0
    for p in _processes(pid):
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
            # the project's own settings (worker class, timeouts), as deployed; the port and
            # the number of workers of this run override them
            command = [str(bin_dir / "gunicorn"), "-c", "python:theodoi.gunicorn_conf"]
            command += ["theodoi.wsgi"]
            command += ["-b", f"127.0.0.1:{self.port}", "-w", str(workers)]
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

    def cpu_seconds(self) -> float | None:
        return _cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def signed_in_opener(server: Server, username: str, password: str):
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
    # each client signs in before the clock starts: password hashing is not page time
    openers = [opener_factory() for _ in range(clients)]
    stop_at = time.time() + seconds

    def client(opener) -> None:
        nonlocal errors
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

    threads = [threading.Thread(target=client, args=(opener,)) for opener in openers]
    # where the time goes (why a target is missed): the CPU the server and this program
    # use per answered request, on how many cores
    server_before, client_before = server.cpu_seconds(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server_after, client_after = server.cpu_seconds(), time.process_time()
    answered = max(len(latencies), 1)
    return {
        "path": path,
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "per_second": round(len(latencies) / seconds, 1),
        "server_cpu_ms": (
            round((server_after - server_before) * 1000 / answered, 1)
            if server_before is not None and server_after is not None
            else None
        ),
        "client_cpu_ms": round((client_after - client_before) * 1000 / answered, 1),
    }
