"""Writes to periods, progress and figures, one module per job; each service checks the
permission, the lock and the value rules, writes, and records the history row."""

from __future__ import annotations

# The background job's dotted path, as stored in django-q2 schedules (docs/deployment.md):
# kept here so schedules made before the split go on running.
from theodoi.progress.services.summaries import summaries_refresh_current

__all__ = ["summaries_refresh_current"]
