"""The load half of the bench: the server's CPU per request counts the workers gunicorn
replaced during the run (``max_requests``), not only those alive at its end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from theodoi.bench.http_load import _cpu_seconds

# a parent that runs a child burning CPU, waits for it (reaps it), then idles
PARENT = """
import subprocess, sys, time
subprocess.run([sys.executable, "-c", "x = 0\\nfor i in range(20_000_000): x += i"])
print("reaped", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="cần /proc (Linux)")
def test_cpu_of_a_worker_that_ended_is_still_counted():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "reaped"
        # the child's loop took most of a second; the parent itself next to nothing
        assert _cpu_seconds(parent.pid) >= 0.3
    finally:
        parent.kill()
        parent.wait()
