"""Writing rows in bulk (PostgreSQL COPY, executemany elsewhere) straight from tuples, and the
checksum that proves the same seed gives the same rows."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Q

from theodoi.dataset.synthetic.country import SYN_PREFIX
from theodoi.plans.models import Task
from theodoi.progress.models import (
    DataValue,
    TaskUpdate,
)

# The columns each bulk writer fills, in the order of its rows.
SUBMISSION_FIELDS = (
    "org_unit period state submitted_at reviewed_at approved_at is_illustrative updated_at"
).split()


UPDATE_FIELDS = (
    "task period org_unit state reported_state progress_percent completion_date "
    "results difficulties proposals is_illustrative updated_at"
).split()


VALUE_FIELDS = (
    "element org_unit period breakdown value comment reporting_unit is_illustrative updated_at"
).split()


TASK_FIELDS = (
    "plan group code title lead_unit output deadline_kind deadline_date deadline_text "
    "upstream_document upstream_code upstream_text position"
).split()


INDICATOR_FIELDS = (
    "plan group code name unit direction lead_unit output data_element numerator "
    "denominator baseline_value baseline_date tolerance position"
).split()


TARGET_FIELDS = (
    "indicator year comparator value value_high text effective_from adjusted_by"
).split()


class RowWriter:
    """Appends rows to a model's table: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

    Rows are tuples in the order of ``fields`` (foreign keys given as ids); the model's other
    columns get their field defaults. Nothing goes through ``save()``, so no signal fires and
    no history row is written.
    """

    BATCH = 5000  # rows per executemany
    CHUNK = 100_000  # rows per COPY: PostgreSQL queues a foreign key check per row until then

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> int:
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        rest = [
            f
            for f in meta.concrete_fields
            if not f.primary_key and f.name not in fields and f.attname not in fields
        ]
        columns = [f.column for f in given + rest]  # type: ignore[union-attr]
        tail = tuple(f.get_default() for f in rest)
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        names = ", ".join(quote(c) for c in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                source = iter(rows)
                while True:  # rows stream to the server as they are made, CHUNK per COPY
                    written = 0
                    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for row in itertools.islice(source, self.CHUNK):
                            copy.write_row(row + tail)
                            written += 1
                    count += written
                    if written < self.CHUNK:
                        return count
            adapt = self._adapters(given + rest)  # type: ignore[arg-type]
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            batch: list[tuple] = []
            for row in rows:
                full = list(row + tail)
                for index, adapter in adapt:
                    if full[index] is not None:
                        full[index] = adapter(full[index])
                batch.append(tuple(full))
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    @staticmethod
    def _adapters(fields: list[models.Field]) -> list[tuple[int, Callable[[Any], Any]]]:
        ops = connection.ops
        adapters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, f in enumerate(fields):
            if isinstance(f, models.DateTimeField):
                adapter = ops.adapt_datetimefield_value
            elif isinstance(f, models.DateField):
                adapter = ops.adapt_datefield_value
            elif isinstance(f, models.DecimalField):
                adapter = functools.partial(
                    ops.adapt_decimalfield_value,
                    max_digits=f.max_digits,
                    decimal_places=f.decimal_places,
                )
            else:
                continue
            # The same dates and times recur across many rows: adapt each once.
            adapters.append((index, functools.lru_cache(maxsize=1 << 16)(adapter)))
        return adapters


class Checksum:
    """An order-independent checksum of rows described by their natural keys: the same rows
    give the same value whatever their ids or the order they were written or read in."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, line: str) -> None:
        digest = hashlib.blake2b(line.encode(), digest_size=8).digest()
        self.total = (self.total + int.from_bytes(digest, "big")) % (1 << 64)

    @property
    def hex(self) -> str:
        return f"{self.total:016x}"


def _task_line(unit: str, code: str, kind: str, due: dt.date | None) -> str:
    return f"t|{unit}|{code}|{kind}|{due.isoformat() if due else ''}"


def _update_line(
    unit: str, period: str, task: str, reported: str, percent: int, done: dt.date | None
) -> str:
    return f"u|{unit}|{period}|{task}|{reported}|{percent}|{done.isoformat() if done else ''}"


def _value_line(unit: str, period: str, element: str, value: Decimal | int) -> str:
    return f"v|{unit}|{period}|{element}|{format(Decimal(value).normalize(), 'f')}"


def stored_checksum() -> str:
    """The checksum of the synthetic tasks, updates and values as stored, computed the way
    :func:`generate` computes it while writing them."""
    checksum = Checksum()
    synthetic = Q(plan__owner_unit__code__startswith=SYN_PREFIX)
    for row in Task.objects.filter(synthetic).values_list(
        "plan__owner_unit__code", "code", "deadline_kind", "deadline_date"
    ):
        checksum.add(_task_line(*row))
    for unit, period, task, reported, percent, done in TaskUpdate.objects.filter(
        org_unit__code__startswith=SYN_PREFIX
    ).values_list(
        "org_unit__code",
        "period__code",
        "task__code",
        "reported_state",
        "progress_percent",
        "completion_date",
    ):
        checksum.add(_update_line(unit, period, task, reported, percent, done))
    for row in DataValue.objects.filter(org_unit__code__startswith=SYN_PREFIX).values_list(
        "org_unit__code", "period__code", "element__code", "value"
    ):
        checksum.add(_value_line(*row))
    return checksum.hex
