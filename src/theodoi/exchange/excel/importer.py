"""Importing a workbook: every cell checked first, then everything written in one transaction.

1. The workbook is read with python-calamine and every cell of every sheet is checked; all
   problems are collected, each naming the sheet, row, column, value and why. If there is
   any, nothing is written.
2. Otherwise, in one transaction, rows are upserted by their codes: plans, groups, tasks,
   indicators and targets through :func:`theodoi.history.upsert` (so unchanged rows are not
   rewritten and history records the user and “Nhập từ Excel <tệp>”); task progress and
   figures through the progress services, whose permission and lock checks apply as on the
   web. A refusal from a service becomes a cell problem and the whole import is rolled back.
3. A dry run does the same and rolls back, so the preview (created / changed / unchanged,
   each change as old → new) is exactly what a real import would do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from theodoi.domain.text import fold
from theodoi.exchange.excel.base import Change, ImportResult, Tally
from theodoi.exchange.excel.layout import PROGRESS, TASKS, VALUES, Kind, kind_from_sheets
from theodoi.exchange.excel.plan_import import PlanImport
from theodoi.exchange.excel.progress_import import ProgressImport
from theodoi.exchange.excel.reader import CellProblem, WorkbookError, open_workbook
from theodoi.exchange.excel.values_import import ValuesImport

__all__ = ["Change", "ImportResult", "Tally", "import_workbook"]


def import_workbook(
    path: Path,
    *,
    user: Any | None,
    dry_run: bool = False,
    accept_suggestions: bool = False,
    grouped: bool = True,
    name: str | None = None,
) -> ImportResult:
    """Check and import the workbook at ``path``; all or nothing.

    ``user`` is the person importing (``None``: the operator at the command line, allowed only
    for plans). ``grouped`` (the default) writes a unit's figures for a period together through
    ``data_values_save`` — the same permission and lock checks, once per unit and period, and
    one bulk write; otherwise row by row through ``data_value_save`` (``theodoi bench import``
    measures both). ``name`` is the file's
    name as the user knows it, for messages and history (an upload is stored renamed).
    """
    workbook = open_workbook(path, name=name)
    kind_text = workbook.meta.get("kind", "")
    kind = Kind(kind_text) if kind_text in Kind._value2member_map_ else None
    kind = kind or kind_from_sheets(workbook.sheet_names)
    result = ImportResult(path=path, kind=kind, dry_run=dry_run)
    if kind is None:
        raise WorkbookError(
            f"Không nhận ra tệp “{workbook.name}”: cần có trang “{TASKS.name}” (kế hoạch), "
            f"“{PROGRESS.name}” (tiến độ) hoặc “{VALUES.name}” (số liệu). Hãy tạo tệp bằng "
            "lệnh theodoi template."
        )
    importer_class = {
        Kind.PLAN: PlanImport,
        Kind.PROGRESS: ProgressImport,
        Kind.VALUES: ValuesImport,
    }
    importer = importer_class[kind](workbook, user, result, accept_suggestions, grouped)
    importer.check()
    if importer.problems:
        result.errors = _in_file_order(importer.problems, workbook.sheet_names)
        return result
    with transaction.atomic():
        importer.apply()
        if importer.problems:
            result.errors = _in_file_order(importer.problems, workbook.sheet_names)
        if importer.problems or dry_run:
            transaction.set_rollback(True)
    return result


def _in_file_order(problems: list[CellProblem], sheet_names: list[str]) -> list[str]:
    """Messages sheet by sheet, row by row (the file's own problems first)."""
    order = {fold(name): index for index, name in enumerate(sheet_names)}
    ranked = sorted(
        problems, key=lambda p: (order.get(fold(p.sheet), -1) if p.sheet else -2, p.row)
    )
    return [problem.message for problem in ranked]
