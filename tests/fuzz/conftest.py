"""How much the fuzz tests run, and the bounds every example must stay within.

The suite runs a few dozen examples per test (a few seconds each). A longer run raises the
count: ``THEODOI_FUZZ_EXAMPLES=5000 .venv/bin/pytest -p no:cacheprovider tests/fuzz`` (see
README.md). Every example must end within ``THEODOI_FUZZ_SECONDS`` (hypothesis' deadline) and
the readers run with the process's address space capped at what it holds plus
``MEMORY_HEADROOM``: an allocation past it is a MemoryError, which no reader may raise.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("THEODOI_FUZZ_EXAMPLES", "40"))
SECONDS = float(os.environ.get("THEODOI_FUZZ_SECONDS", "5"))
MEMORY_HEADROOM = 1536 * 1024 * 1024

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=SECONDS),
    database=None,  # nothing written into the source tree; a failure prints its reproducer
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def _address_space() -> int | None:
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return None


@contextmanager
def bounded_memory() -> Iterator[None]:
    """The address space capped at its current size plus ``MEMORY_HEADROOM`` (Linux)."""
    current = _address_space()
    if current is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
