"""A synthetic national dataset for load tests and benchmarks (``theodoi generate``).

On top of the Cát Hải dataset it adds, under the country unit ``VN``, the 34 provinces and
cities as they stand since 1 July 2025 (reusing one already present under the same name, such
as Thành phố Hải Phòng) and fictitious communes — "Xã Số 17 (Tỉnh Lào Cai)", codes ``SYN-…``
— so that each province has its number of commune-level units (the real ones already present,
such as Đặc khu Cát Hải, included) and the country 3,321. Each synthetic commune gets its own
plan copied from Kế hoạch 96/KH-UBND (its tasks, and the 34 indicators of its Appendix 2 with
their targets), eight quarters of approved task updates with their period reports
(``Submission``), and twenty figures per quarter. Every update, figure and report is flagged
``is_illustrative``, so every screen marks it as illustrative data.

Deterministic: each commune draws from its own ``random.Random`` seeded by the seed and the
commune's code, so the same seed gives the same rows, and a commune gets the same rows at
every scale.

Fast: rows go in with PostgreSQL ``COPY`` (``executemany`` on other databases) straight from
tuples — no model instances, ``save()``, signals or per-row history for the bulk rows. One
audit record is kept instead: the document ``syn:generation``, saved through the change
history with who, when, the scale, the seed and the counts; ``--replace`` updates it (a new
history row) after removing the previous synthetic rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError, Q
from django.test.utils import override_settings

from theodoi.documents.models import Document, DocumentType
from theodoi.domain.deadlines import Deadline, DeadlineKind, parse_deadline
from theodoi.domain.formatting import format_number
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.periods import quarter
from theodoi.domain.status import Progress, ReportedState, TaskStatus, task_status
from theodoi.domain.text import fold
from theodoi.history import save_tracked
from theodoi.ingest.illustrative import administrative_values
from theodoi.orgs.models import OrgUnit, OrgUnitKind
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    Submission,
    TaskUpdate,
    UpdateState,
)
from theodoi.progress.services import period_ensure

log = logging.getLogger(__name__)

SYN_PREFIX = "SYN-"
GENERATION_KEY = "syn:generation"
REASON = "Sinh dữ liệu tổng hợp"
MARK = "[Dữ liệu tổng hợp]"
TEMPLATE_PLAN = "96/KH-UBND"
TEMPLATE_INDICATORS = "PL2."  # Appendix 2: the 34 indicators followed per five-year stage
UPSTREAM_RESOLUTION = "57-NQ/TW"
COUNTRY = "VN"
SYMBOL_BASE = 10000  # commune plan numbers 10001…: no real commune numbers its plans so high


@dataclass(frozen=True)
class ProvinceSpec:
    """A province or centrally-run city since 1 July 2025 and its number of commune-level
    units (xã, phường, đặc khu)."""

    name: str
    communes: int

    @property
    def short_name(self) -> str:
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def code(self) -> str:
        return SYN_PREFIX + fold(self.short_name).upper().replace(" ", "-")

    @property
    def ward_share(self) -> float:
        """The share of phường among its synthetic communes: higher in the cities."""
        return 0.45 if self.name.startswith("Thành phố") else 0.15


# The 34 provinces and cities after the 2025 reorganisation, north to south, with their numbers
# of commune-level units as published with the reform (2,621 xã, 687 phường, 13 đặc khu). Only
# the total, 3,321, is relied on; the split just sizes the synthetic tree plausibly.
PROVINCES: tuple[ProvinceSpec, ...] = (
    ProvinceSpec("Thành phố Hà Nội", 126),
    ProvinceSpec("Tỉnh Cao Bằng", 56),
    ProvinceSpec("Tỉnh Tuyên Quang", 124),
    ProvinceSpec("Tỉnh Điện Biên", 45),
    ProvinceSpec("Tỉnh Lai Châu", 38),
    ProvinceSpec("Tỉnh Sơn La", 75),
    ProvinceSpec("Tỉnh Lào Cai", 99),
    ProvinceSpec("Tỉnh Thái Nguyên", 92),
    ProvinceSpec("Tỉnh Lạng Sơn", 65),
    ProvinceSpec("Tỉnh Quảng Ninh", 54),
    ProvinceSpec("Tỉnh Bắc Ninh", 99),
    ProvinceSpec("Tỉnh Phú Thọ", 148),
    ProvinceSpec("Thành phố Hải Phòng", 114),
    ProvinceSpec("Tỉnh Hưng Yên", 104),
    ProvinceSpec("Tỉnh Ninh Bình", 129),
    ProvinceSpec("Tỉnh Thanh Hóa", 166),
    ProvinceSpec("Tỉnh Nghệ An", 130),
    ProvinceSpec("Tỉnh Hà Tĩnh", 69),
    ProvinceSpec("Tỉnh Quảng Trị", 78),
    ProvinceSpec("Thành phố Huế", 40),
    ProvinceSpec("Thành phố Đà Nẵng", 94),
    ProvinceSpec("Tỉnh Quảng Ngãi", 96),
    ProvinceSpec("Tỉnh Gia Lai", 135),
    ProvinceSpec("Tỉnh Khánh Hòa", 65),
    ProvinceSpec("Tỉnh Đắk Lắk", 102),
    ProvinceSpec("Tỉnh Lâm Đồng", 124),
    ProvinceSpec("Tỉnh Đồng Nai", 95),
    ProvinceSpec("Thành phố Hồ Chí Minh", 168),
    ProvinceSpec("Tỉnh Tây Ninh", 96),
    ProvinceSpec("Tỉnh Đồng Tháp", 102),
    ProvinceSpec("Tỉnh Vĩnh Long", 124),
    ProvinceSpec("Tỉnh An Giang", 102),
    ProvinceSpec("Thành phố Cần Thơ", 103),
    ProvinceSpec("Tỉnh Cà Mau", 64),
)


@dataclass(frozen=True)
class Scale:
    """Which provinces to fill, and how many commune-level units each gets at most."""

    provinces: tuple[str, ...]
    communes_per_province: int | None = None  # None: the province's real number


SCALES: dict[str, Scale] = {
    "national": Scale(tuple(p.name for p in PROVINCES)),
    "province": Scale(("Thành phố Hải Phòng",)),
    "small": Scale(("Thành phố Hà Nội", "Thành phố Hải Phòng"), 5),
}

# Eight quarters: from the quarter of Resolution 57 (22/12/2024) to the last one completed.
QUARTERS: tuple[DomainPeriod, ...] = tuple(
    quarter(2024 + (3 + i) // 4, (3 + i) % 4 + 1) for i in range(8)
)
PLAN_DATES = (dt.date(2024, 12, 23), dt.date(2024, 12, 31))
# Tasks whose deadline the template plan does not state get one of these in each commune.
DEADLINE_MONTHS = [(2025 + (2 + m) // 12, (2 + m) % 12 + 1) for m in range(28)]  # 3/2025–6/2027

# The twenty figures each commune reports every quarter.
ADMINISTRATIVE_CODES = (
    "procedures.total",
    "procedures.full_online",
    "procedures.partial_online",
    "procedures.direct",
    "dossiers.received",
    "dossiers.online",
    "dossiers.direct",
    "dossiers.resolved",
    "dossiers.resolved_on_time",
    "dossiers.withdrawn",
    "dossiers.in_progress",
    "dossiers.overdue",
)
ELEMENT_CODES = (
    *ADMINISTRATIVE_CODES,
    "vneid.level2.base",
    "vneid.level2.collected",
    "vneid.level2.activated",
    "certificates.new.individuals",
    "certificates.new.orgs",
    "tasks.assigned",
    "tasks.completed",
    "tasks.completed_on_time",
)
# Indicators of the template whose actual value the synthetic figures give, as a ratio.
RATIO_INDICATORS = {
    "PL2.26": ("dossiers.online", "dossiers.received"),
    "PL2.32": ("vneid.level2.activated", "vneid.level2.base"),
}

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

START_WEIGHTS = (30, 25, 17, 10, 7, 5, 4, 2)  # the quarter a one-off task is taken up in
DIFFICULTIES = (
    "Thiếu cán bộ chuyên trách về chuyển đổi số.",
    "Kinh phí thực hiện chưa được bố trí đủ.",
    "Hạ tầng mạng tại một số thôn còn hạn chế.",
    "Người dân, nhất là người cao tuổi, còn ngại sử dụng dịch vụ số.",
)
PROPOSAL = "Đề nghị cấp trên hỗ trợ kinh phí và tổ chức tập huấn cho cán bộ."
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class GenerationError(ValueError):
    """The synthetic data cannot be generated (or removed); the message is Vietnamese."""


@dataclass
class GenerationResult:
    scale: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    checksum: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "database": connection.vendor,
            "counts": self.counts,
            "removed": self.removed,
            "timings": {step: round(seconds, 2) for step, seconds in self.timings},
            "elapsed_seconds": round(self.elapsed, 2),
            "checksum": self.checksum,
        }


# --- the shape of the tree ------------------------------------------------------------------


@dataclass(frozen=True)
class CommuneSpec:
    code: str
    name: str
    province: ProvinceSpec
    number: int  # plan number, unique over the country


def province_units() -> dict[str, OrgUnit]:
    """Provinces already under the country unit, by folded name."""
    return {
        fold(u.name): u
        for u in OrgUnit.objects.filter(parent__code=COUNTRY, kind=OrgUnitKind.PROVINCE)
    }


def _real_communes(province: OrgUnit | None) -> int:
    """Commune-level units of a province that are not synthetic and still in force."""
    if province is None:
        return 0
    return (
        OrgUnit.objects.filter(
            parent=province, kind__in=[OrgUnitKind.COMMUNE, OrgUnitKind.SPECIAL_ZONE]
        )
        .filter(valid_to__isnull=True)
        .exclude(code__startswith=SYN_PREFIX)
        .count()
    )


def commune_layout(scale: str) -> list[CommuneSpec]:
    """The synthetic communes of ``scale``. The national list is laid out first so that a
    commune has the same code, name and plan number at every scale; a smaller scale takes the
    first communes of its provinces."""
    wanted = SCALES[scale]
    existing = province_units()
    layout: list[CommuneSpec] = []
    number = SYMBOL_BASE
    for spec in PROVINCES:
        real = _real_communes(existing.get(fold(spec.name)))
        limit = spec.communes
        if spec.name in wanted.provinces and wanted.communes_per_province is not None:
            limit = min(limit, wanted.communes_per_province)
        wards = villages = 0
        for index in range(1, spec.communes - real + 1):
            number += 1
            # Phường and xã interleave, at the province's share of phường.
            is_ward = int(index * spec.ward_share) != int((index - 1) * spec.ward_share)
            if is_ward:
                wards += 1
                name = f"Phường Số {wards} ({spec.name})"
            else:
                villages += 1
                name = f"Xã Số {villages} ({spec.name})"
            if spec.name in wanted.provinces and index <= limit - real:
                layout.append(CommuneSpec(f"{spec.code}-{index:03d}", name, spec, number))
    return layout


# --- writing rows fast ----------------------------------------------------------------------


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


# --- the template plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    plan: Plan
    groups: list[TaskGroup]
    tasks: list[Task]
    indicators: list[Indicator]
    targets: dict[int, list[IndicatorTarget]]
    elements: dict[str, DataElement]
    resolution: Document | None


def dataset_present() -> bool:
    """Whether the Cát Hải dataset the generator copies from is loaded."""
    return (
        OrgUnit.objects.filter(code=COUNTRY).exists()
        and Plan.objects.filter(document__symbol=TEMPLATE_PLAN).exists()
    )


def _template() -> Template:
    plan = Plan.objects.filter(document__symbol=TEMPLATE_PLAN).select_related("document").first()
    if plan is None or not OrgUnit.objects.filter(code=COUNTRY).exists():
        raise GenerationError(
            f"Chưa có bộ dữ liệu Cát Hải (kế hoạch {TEMPLATE_PLAN}, đơn vị {COUNTRY}) để sao "
            "chép. Hãy chạy: theodoi demo"
        )
    tasks = list(plan.tasks.select_related("group").order_by("position"))
    indicators = list(
        plan.indicators.filter(code__startswith=TEMPLATE_INDICATORS)
        .select_related("group")
        .order_by("position")
    )
    used = {t.group_id for t in tasks} | {i.group_id for i in indicators}
    groups = list(plan.groups.filter(id__in=used).order_by("position"))
    targets: dict[int, list[IndicatorTarget]] = {}
    for target in IndicatorTarget.objects.filter(indicator__in=indicators).order_by("id"):
        targets.setdefault(target.indicator_id, []).append(target)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=ELEMENT_CODES)}
    missing = sorted(set(ELEMENT_CODES) - set(elements))
    if missing:
        raise GenerationError(
            "Bộ dữ liệu thiếu các loại số liệu cần cho dữ liệu tổng hợp: " + ", ".join(missing)
        )
    resolution = Document.objects.filter(symbol=UPSTREAM_RESOLUTION).order_by("issued_on").first()
    return Template(plan, groups, tasks, indicators, targets, elements, resolution)


# --- removing earlier synthetic data --------------------------------------------------------


def synthetic_units() -> models.QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(code__startswith=SYN_PREFIX)


def _delete_rows(queryset: models.QuerySet) -> int:
    """DELETE the rows of ``queryset`` in one statement, without loading them or sending
    signals (the bulk rows have no history of their own to keep)."""
    model = queryset.model
    pk = model._meta.pk.column  # type: ignore[union-attr]
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name(pk)} IN ({sql})", params
        )
        return cursor.rowcount


def remove_synthetic(say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """Remove every synthetic unit and everything generated for it. The bulk rows go with a
    DELETE each; plans, documents and units through the ORM (so that rows other apps keep
    about them, such as stored plan summaries, cascade) with per-row history switched off —
    the generation record keeps the trail."""
    units = synthetic_units()
    plans = Plan.objects.filter(owner_unit__in=units)
    tasks = Task.objects.filter(plan__in=plans)
    updates = TaskUpdate.objects.filter(task__in=tasks)
    removed: dict[str, int] = {}
    try:
        from theodoi.progress.models import Evidence

        removed["evidence"] = Evidence.objects.filter(task_update__in=updates).delete()[0]
        evidence_links = TaskUpdate.evidence_documents.through.objects.filter(
            taskupdate__in=updates
        )
        _delete_rows(evidence_links)
        removed["data_values"] = _delete_rows(DataValue.objects.filter(org_unit__in=units))
        say(f"  đã xóa {format_number(removed['data_values'])} giá trị số liệu tổng hợp")
        removed["task_updates"] = _delete_rows(updates)
        say(f"  đã xóa {format_number(removed['task_updates'])} báo cáo tiến độ tổng hợp")
        removed["submissions"] = _delete_rows(Submission.objects.filter(org_unit__in=units))
        indicators = Indicator.objects.filter(plan__in=plans)
        removed["targets"] = _delete_rows(IndicatorTarget.objects.filter(indicator__in=indicators))
        removed["indicators"] = _delete_rows(indicators)
        _delete_rows(Task.coordinating_units.through.objects.filter(task__in=tasks))
        removed["tasks"] = _delete_rows(tasks)
        removed["groups"] = _delete_rows(TaskGroup.objects.filter(plan__in=plans))
        _delete_rows(Plan.implements.through.objects.filter(plan__in=plans))
        documents = Document.objects.filter(plan__in=plans)
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            document_ids = list(documents.values_list("id", flat=True))
            removed["plans"] = plans.delete()[1].get(Plan._meta.label, 0)
            Document.objects.filter(id__in=document_ids).delete()
            removed["units"] = units.count()
            deepest = units.aggregate(models.Max("depth"))["depth__max"] or 0
            for depth in range(deepest, -1, -1):  # children before their parents
                units.filter(depth=depth).delete()
    except (ProtectedError, IntegrityError) as exc:
        raise GenerationError(
            "Không xóa được dữ liệu tổng hợp cũ vì dữ liệu khác đang dùng đến nó (ví dụ báo cáo "
            f"đã lập cho một xã tổng hợp): {exc}. Không có gì bị thay đổi."
        ) from None
    return removed


# --- generation -----------------------------------------------------------------------------


def _rng(seed: int, code: str, purpose: str) -> random.Random:
    return random.Random(f"{seed}:{code}:{purpose}")


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


@dataclass
class CommuneState:
    """What the generator keeps of one synthetic commune between its passes."""

    spec: CommuneSpec
    unit_id: int
    issued_on: dt.date
    capacity: float  # how well the commune keeps up: 0.55 (lagging) … 1.15
    deadlines: list[Deadline]  # one per template task, in plan order
    plan_id: int = 0
    task_ids: list[int] = field(default_factory=list)
    approved_at: list[dt.datetime] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    completed_on_time: list[int] = field(default_factory=list)


def _commune_deadline(rng: random.Random, template: Task) -> Deadline:
    """The template's deadline, or — where the template plan states none — one the commune's
    own plan sets: a month between 3/2025 and 6/2027, yearly or ongoing."""
    if template.deadline_text or template.deadline_kind != DeadlineKind.PER_SOURCE:
        return template.deadline
    roll = rng.random()
    if roll < 0.6:
        year, month = rng.choice(DEADLINE_MONTHS)
        return parse_deadline(f"Tháng {month}/{year}")
    return parse_deadline("Hằng năm" if roll < 0.85 else "Thường xuyên")


def _reporting_times(rng: random.Random) -> list[dt.datetime]:
    """When each quarter's report was approved: sent a few days after the quarter (now and
    then late), accepted and approved within a week."""
    approved = []
    for period in QUARTERS:
        delay = rng.randint(1, 5) if rng.random() < 0.75 else rng.randint(6, 20)
        sent = dt.datetime.combine(
            period.end + dt.timedelta(days=delay), dt.time(rng.randint(8, 16)), VN_TZ
        )
        approved.append(sent + dt.timedelta(days=rng.randint(1, 3) + rng.randint(0, 4)))
    return approved


Course = list[tuple[ReportedState, int, dt.date | None]]


def _one_off_course(
    rng: random.Random, due: dt.date, issued_on: dt.date, capacity: float
) -> Course:
    """A one-off task: not started until the commune takes it up, then in progress with its
    percentage rising, completed on time, late, or not yet."""
    last = QUARTERS[-1].end
    if rng.random() < 0.04 / capacity:
        return [(ReportedState.NOT_STARTED, 0, None)] * len(QUARTERS)
    start = rng.choices(range(len(QUARTERS)), weights=START_WEIGHTS)[0]
    if capacity < 0.75:
        start = min(len(QUARTERS) - 1, start + 1)
    begin = max(QUARTERS[start].start, issued_on)
    roll = rng.random()
    done: dt.date | None = None
    if roll < 0.55 * capacity and due >= begin:
        done = _day_between(rng, begin, min(due, last))
    elif roll < 0.55 * capacity + 0.25:
        late = max(due, begin) + dt.timedelta(days=rng.randint(10, 270))
        done = late if late <= last else None
    aim = done or max(due, begin + dt.timedelta(days=90))
    course: Course = []
    for index, period in enumerate(QUARTERS):
        if index < start:
            course.append((ReportedState.NOT_STARTED, 0, None))
        elif done is not None and done <= period.end:
            course.append((ReportedState.COMPLETED, 100, done))
        else:
            share = (period.end - begin).days / max(1, (aim - begin).days)
            percent = min(95, max(5, 5 * round((10 + 85 * share) / 5)))
            course.append((ReportedState.IN_PROGRESS, percent, None))
    return course


def _recurring_course(rng: random.Random, issued_on: dt.date, capacity: float) -> Course:
    """A yearly or ongoing task, judged per quarter: done more often as the plan beds in."""
    course: Course = []
    for index, period in enumerate(QUARTERS):
        done_share = min(0.9, (0.28 + 0.06 * index) * capacity + 0.08)
        roll = rng.random()
        if roll < done_share:
            done = _day_between(rng, max(period.start, issued_on), period.end)
            course.append((ReportedState.COMPLETED, 100, done))
        elif roll < done_share + (1 - done_share) * 0.75:
            course.append((ReportedState.IN_PROGRESS, rng.choice((20, 30, 40, 50, 60, 70)), None))
        else:
            course.append((ReportedState.NOT_STARTED, 0, None))
    return course


def _texts(
    rng: random.Random, state: ReportedState, percent: int, done: dt.date | None
) -> tuple[str, str, str]:
    """Results, difficulties and proposals as a commune would write them, marked synthetic."""
    if state is ReportedState.COMPLETED:
        assert done is not None
        return f"{MARK} Đã hoàn thành ngày {done:%d/%m/%Y}.", "", ""
    if state is ReportedState.IN_PROGRESS:
        results = f"{MARK} Đang thực hiện, đạt khoảng {percent}% khối lượng."
    else:
        results = f"{MARK} Chưa triển khai trong kỳ."
    if rng.random() < 0.35:
        return results, rng.choice(DIFFICULTIES), PROPOSAL if rng.random() < 0.5 else ""
    return results, "", ""


class _Steps:
    """Times each step, prints it and keeps it for the result."""

    def __init__(self, result: GenerationResult, say: Callable[[str], None]) -> None:
        self.result, self.say = result, say
        self.last = time.perf_counter()

    def done(self, key: str, label: str) -> None:
        now = time.perf_counter()
        seconds, self.last = now - self.last, now
        self.result.timings.append((key, seconds))
        self.say(f"  {label} ({format_number(Decimal(str(round(seconds, 1))), 1)} giây)")
        log.info("synthetic %s: %.1f s", key, seconds)


def generate(
    *,
    scale: str,
    seed: int = 57,
    replace: bool = False,
    user: Any = None,
    say: Callable[[str], None] = lambda _: None,
) -> GenerationResult:
    """Generate the synthetic units, plans, progress and figures of ``scale`` in one
    transaction (see the module docstring); with ``replace``, remove earlier synthetic data
    first, otherwise refuse when there is some. ``say`` receives progress lines."""
    if scale not in SCALES:
        raise GenerationError(f"Quy mô “{scale}” không có; chọn một trong: {', '.join(SCALES)}.")
    started = time.perf_counter()
    result = GenerationResult(scale, seed)
    steps = _Steps(result, say)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys as each statement ends, not all at commit: a broken reference
            # then fails the step that made it, and the queue of pending checks stays small.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        template = _template()
        existing = synthetic_units().count()
        if existing and not replace:
            record = Document.objects.filter(key=GENERATION_KEY).first()
            when = f" ({record.subject})" if record else ""
            raise GenerationError(
                f"Cơ sở dữ liệu đã có dữ liệu tổng hợp: {format_number(existing)} đơn vị mã "
                f"{SYN_PREFIX}…{when}. Không sinh thêm để khỏi trùng lặp; chạy lại với "
                "--replace để xóa dữ liệu tổng hợp cũ rồi sinh lại."
            )
        if existing:
            result.removed = remove_synthetic(say)
            steps.done("remove", "Đã xóa dữ liệu tổng hợp cũ")
        periods = [period_ensure(period=q, user=user, reason=REASON) for q in QUARTERS]
        writer = RowWriter()
        checksum = Checksum()
        communes = _create_units(scale, seed, template, result)
        steps.done(
            "units",
            f"Tạo {result.counts['provinces_created']} tỉnh, thành phố và "
            f"{format_number(len(communes))} xã, phường tổng hợp",
        )
        _create_plans(communes, template, scale, seed, result)
        steps.done("plans", f"Tạo {format_number(len(communes))} văn bản và kế hoạch")
        _create_contents(communes, template, writer, checksum, result)
        steps.done(
            "contents",
            f"Sao chép {format_number(result.counts['tasks'])} nhiệm vụ, "
            f"{format_number(result.counts['indicators'])} chỉ tiêu, "
            f"{format_number(result.counts['targets'])} mục tiêu theo mốc",
        )
        result.counts["submissions"] = writer.write(
            Submission,
            SUBMISSION_FIELDS,
            _submission_rows(communes, periods, seed),
        )
        steps.done(
            "submissions",
            f"Ghi {format_number(result.counts['submissions'])} báo cáo kỳ đã phê duyệt",
        )
        result.counts["task_updates"] = writer.write(
            TaskUpdate,
            UPDATE_FIELDS,
            _update_rows(communes, template, periods, seed, checksum, say),
        )
        steps.done(
            "task_updates",
            f"Ghi {format_number(result.counts['task_updates'])} báo cáo tiến độ nhiệm vụ",
        )
        result.counts["data_values"] = writer.write(
            DataValue,
            VALUE_FIELDS,
            _value_rows(communes, template, periods, seed, checksum),
        )
        steps.done(
            "data_values", f"Ghi {format_number(result.counts['data_values'])} giá trị số liệu"
        )
        result.checksum = checksum.hex
        result.elapsed = time.perf_counter() - started
        _record_generation(result, user)
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner; outside a transaction also VACUUM, which sets the
        # visibility map (index-only scans) and clears rows a --replace deleted — the server
        # may run without autovacuum.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        written = (OrgUnit, Document, Plan, TaskGroup, Task, Indicator, IndicatorTarget)
        with connection.cursor() as cursor:
            for model in (*written, Submission, TaskUpdate, DataValue):
                cursor.execute(f"{statement} {connection.ops.quote_name(model._meta.db_table)}")
        steps.done("analyze", f"Cập nhật thống kê cho bộ tối ưu truy vấn ({statement})")
    result.elapsed = time.perf_counter() - started
    log.info("synthetic data generated: %s", result.as_dict())
    return result


PROVINCE_NOTE = (
    "Tỉnh, thành phố sau sắp xếp từ ngày 01/7/2025; tạo tự động cùng dữ liệu tổng hợp "
    "(theodoi generate), chưa có dữ liệu thật."
)
COMMUNE_NOTE = (
    "Đơn vị tổng hợp, sinh tự động để thử tải (theodoi generate); không phải đơn vị hành "
    "chính thật."
)


def _create_units(
    scale: str, seed: int, template: Template, result: GenerationResult
) -> list[CommuneState]:
    country = OrgUnit.objects.get(code=COUNTRY)
    existing = province_units()
    provinces: dict[str, OrgUnit] = {}
    created = []
    for spec in PROVINCES:
        if spec.name not in SCALES[scale].provinces:
            continue
        unit = existing.get(fold(spec.name))
        if unit is None:
            unit = OrgUnit(
                code=spec.code,
                name=spec.name,
                kind=OrgUnitKind.PROVINCE,
                parent=country,
                note=PROVINCE_NOTE,
            )
            unit.refresh_derived()
            created.append(unit)
        provinces[spec.name] = unit
    OrgUnit.objects.bulk_create(created, batch_size=500)
    layout = commune_layout(scale)
    units = []
    for spec in layout:
        unit = OrgUnit(
            code=spec.code,
            name=spec.name,
            kind=OrgUnitKind.COMMUNE,
            parent=provinces[spec.province.name],
            note=COMMUNE_NOTE,
        )
        unit.refresh_derived()
        units.append(unit)
    OrgUnit.objects.bulk_create(units, batch_size=1000)
    ids = dict(synthetic_units().values_list("code", "id"))
    communes = []
    for spec in layout:
        rng = _rng(seed, spec.code, "plan")
        communes.append(
            CommuneState(
                spec=spec,
                unit_id=ids[spec.code],
                issued_on=_day_between(rng, *PLAN_DATES),
                capacity=rng.uniform(0.55, 1.15),
                deadlines=[_commune_deadline(rng, task) for task in template.tasks],
            )
        )
    result.counts["provinces"] = len(provinces)
    result.counts["provinces_created"] = len(created)
    result.counts["communes"] = OrgUnit.objects.filter(
        parent__in=[p.id for p in provinces.values()],
        kind__in=[OrgUnitKind.COMMUNE, OrgUnitKind.SPECIAL_ZONE],
        valid_to__isnull=True,
    ).count()
    result.counts["communes_created"] = len(communes)
    return communes


def _plan_title(name: str) -> str:
    return (
        "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá "
        "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa "
        f"bàn {name}"
    )


def _create_plans(
    communes: list[CommuneState],
    template: Template,
    scale: str,
    seed: int,
    result: GenerationResult,
) -> None:
    source = template.plan.document
    note = (
        f"{MARK} Dữ liệu tổng hợp sinh tự động (--scale {scale}, seed {seed}) để thử tải: "
        f"nhiệm vụ và chỉ tiêu chép từ Kế hoạch số {source.symbol}"
        + (f" ngày {source.issued_on:%d/%m/%Y}" if source.issued_on else "")
        + f" của {source.issuer or 'UBND đặc khu Cát Hải'}; thời điểm sinh ghi tại văn bản "
        f"“{GENERATION_KEY}”."
    )
    Document.objects.bulk_create(
        [
            Document(
                key=f"syn:{c.spec.code}:kh57",
                doc_type=DocumentType.KH,
                symbol=f"{c.spec.number}/KH-UBND",
                issuer=f"Ủy ban nhân dân {c.spec.name}",
                issuer_unit_id=c.unit_id,
                issued_on=c.issued_on,
                subject=_plan_title(c.spec.name),
                full_text=note,
            )
            for c in communes
        ],
        batch_size=1000,
    )
    documents = dict(
        Document.objects.filter(issuer_unit__code__startswith=SYN_PREFIX).values_list(
            "issuer_unit_id", "id"
        )
    )
    Plan.objects.bulk_create(
        [
            Plan(
                document_id=documents[c.unit_id],
                owner_unit_id=c.unit_id,
                title=_plan_title(c.spec.name),
            )
            for c in communes
        ],
        batch_size=1000,
    )
    plans = dict(
        Plan.objects.filter(owner_unit__code__startswith=SYN_PREFIX).values_list(
            "owner_unit_id", "id"
        )
    )
    for commune in communes:
        commune.plan_id = plans[commune.unit_id]
    if template.resolution is not None:
        through = Plan.implements.through
        through.objects.bulk_create(
            [through(plan_id=c.plan_id, document_id=template.resolution.id) for c in communes],
            batch_size=2000,
        )
    result.counts["plans"] = len(communes)


def _create_contents(
    communes: list[CommuneState],
    template: Template,
    writer: RowWriter,
    checksum: Checksum,
    result: GenerationResult,
) -> None:
    """Each commune's plan: the template's groups, tasks (lead unit: the commune), and
    Appendix 2 indicators with their targets."""
    synthetic = Q(plan__owner_unit__code__startswith=SYN_PREFIX)
    writer.write(
        TaskGroup,
        ["plan", "code", "title", "position"],
        ((c.plan_id, g.code, g.title, g.position) for c in communes for g in template.groups),
    )
    groups = {
        (plan, code): id
        for plan, code, id in TaskGroup.objects.filter(synthetic).values_list(
            "plan_id", "code", "id"
        )
    }
    group_codes = {g.id: g.code for g in template.groups}

    def task_rows() -> Iterator[tuple]:
        for c in communes:
            for task, deadline in zip(template.tasks, c.deadlines, strict=True):
                checksum.add(_task_line(c.spec.code, task.code, deadline.kind.value, deadline.due))
                yield (
                    c.plan_id,
                    groups.get((c.plan_id, group_codes.get(task.group_id))),
                    task.code,
                    task.title,
                    c.unit_id,
                    task.output,
                    deadline.kind.value,
                    deadline.due,
                    deadline.text,
                    task.upstream_document_id,
                    task.upstream_code,
                    task.upstream_text,
                    task.position,
                )

    result.counts["tasks"] = writer.write(
        Task,
        TASK_FIELDS,
        task_rows(),
    )
    tasks = {
        (plan, code): id
        for plan, code, id in Task.objects.filter(synthetic).values_list("plan_id", "code", "id")
    }
    for c in communes:
        c.task_ids = [tasks[(c.plan_id, task.code)] for task in template.tasks]

    elements = template.elements

    def indicator_rows() -> Iterator[tuple]:
        for c in communes:
            for indicator in template.indicators:
                ratio = RATIO_INDICATORS.get(indicator.code)
                yield (
                    c.plan_id,
                    groups.get((c.plan_id, group_codes.get(indicator.group_id))),
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    indicator.direction,
                    c.unit_id,
                    indicator.output,
                    None if ratio else indicator.data_element_id,
                    elements[ratio[0]].id if ratio else None,
                    elements[ratio[1]].id if ratio else None,
                    indicator.baseline_value,
                    indicator.baseline_date,
                    indicator.tolerance,
                    indicator.position,
                )

    result.counts["indicators"] = writer.write(
        Indicator,
        INDICATOR_FIELDS,
        indicator_rows(),
    )
    indicators = {
        (plan, code): id
        for plan, code, id in Indicator.objects.filter(synthetic).values_list(
            "plan_id", "code", "id"
        )
    }
    result.counts["targets"] = writer.write(
        IndicatorTarget,
        TARGET_FIELDS,
        (
            (
                indicators[(c.plan_id, indicator.code)],
                target.year,
                target.comparator,
                target.value,
                target.value_high,
                target.text,
                target.effective_from,
                target.adjusted_by_id,
            )
            for c in communes
            for indicator in template.indicators
            for target in template.targets.get(indicator.id, [])
        ),
    )


def _submission_rows(
    communes: list[CommuneState], periods: list[Period], seed: int
) -> Iterator[tuple]:
    """Each commune's approved report for each quarter (so its updates and figures count)."""
    for c in communes:
        rng = _rng(seed, c.spec.code, "reports")
        c.approved_at = _reporting_times(rng)
        for period, approved in zip(periods, c.approved_at, strict=True):
            submitted = approved - dt.timedelta(days=rng.randint(2, 6))
            reviewed = submitted + dt.timedelta(days=1)
            yield (
                c.unit_id,
                period.id,
                UpdateState.APPROVED.value,
                submitted,
                reviewed,
                approved,
                True,
                approved,
            )


def _update_rows(
    communes: list[CommuneState],
    template: Template,
    periods: list[Period],
    seed: int,
    checksum: Checksum,
    say: Callable[[str], None],
) -> Iterator[tuple]:
    """Every task's approved update for every quarter. Also counts, per quarter, the tasks
    completed (on time) as the dashboard judges them at the quarter's end."""
    approved = UpdateState.APPROVED.value
    codes = [period.code for period in QUARTERS]
    every = max(1, len(communes) // 10)
    for number, c in enumerate(communes, start=1):
        rng = _rng(seed, c.spec.code, "progress")
        completed = [0] * len(QUARTERS)
        on_time = [0] * len(QUARTERS)
        for task, task_id, deadline in zip(template.tasks, c.task_ids, c.deadlines, strict=True):
            if deadline.kind.is_recurring:
                course = _recurring_course(rng, c.issued_on, c.capacity)
            else:
                assert deadline.due is not None
                course = _one_off_course(rng, deadline.due, c.issued_on, c.capacity)
            for index, (state, percent, done) in enumerate(course):
                period = QUARTERS[index]
                status = task_status(deadline, Progress(state, done), period.end, period)
                if status.is_completed:
                    completed[index] += 1
                    on_time[index] += status is TaskStatus.COMPLETED_ON_TIME
                results, difficulties, proposals = _texts(rng, state, percent, done)
                checksum.add(
                    _update_line(c.spec.code, codes[index], task.code, state.value, percent, done)
                )
                yield (
                    task_id,
                    periods[index].id,
                    c.unit_id,
                    approved,
                    state.value,
                    percent,
                    done,
                    results,
                    difficulties,
                    proposals,
                    True,
                    c.approved_at[index],
                )
        c.completed, c.completed_on_time = completed, on_time
        if number % every == 0 or number == len(communes):
            say(f"    … {format_number(number)}/{format_number(len(communes))} xã, phường")


def commune_figures(
    rng: random.Random, *, tasks: int, completed: list[int], completed_on_time: list[int]
) -> list[dict[str, int]]:
    """A commune's twenty figures for each quarter, consistent with each other (the built-in
    validation rules hold) and with its task updates (tasks.*): dossiers grow with its
    population and move online over time, VNeID accounts catch up with the adult population."""
    population = round(min(200_000, max(4_000, rng.lognormvariate(10.1, 0.55))))
    procedures = {
        "procedures.full_online": rng.randint(180, 220),
        "procedures.partial_online": rng.randint(120, 150),
        "procedures.direct": rng.randint(15, 30),
    }
    procedures["procedures.total"] = sum(procedures.values())
    dossiers = population * rng.uniform(0.02, 0.06)
    online, online_growth = rng.uniform(0.45, 0.8), rng.uniform(0.01, 0.04)
    adults = round(population * rng.uniform(0.68, 0.76))
    collected, collected_growth = rng.uniform(0.45, 0.7), rng.uniform(0.02, 0.05)
    activated, activated_growth = rng.uniform(0.6, 0.8), rng.uniform(0.01, 0.03)
    certificates = rng.uniform(0.001, 0.006)
    quarters = []
    for index in range(len(QUARTERS)):
        share = min(0.98, online + index * online_growth)
        figures = administrative_values(
            rng,
            received=(max(60, round(0.85 * dossiers)), max(61, round(1.15 * dossiers))),
            online_share=(share - 0.02, share + 0.02),
            in_progress=(round(0.01 * dossiers), round(0.04 * dossiers) + 1),
        )
        figures.update(procedures)
        figures["dossiers.overdue"] = rng.randint(0, figures["dossiers.in_progress"] // 4)
        base = adults + index * round(adults * 0.002)
        holders = round(base * min(0.98, collected + index * collected_growth))
        figures["vneid.level2.base"] = base
        figures["vneid.level2.collected"] = holders
        figures["vneid.level2.activated"] = round(
            holders * min(0.97, activated + index * activated_growth)
        )
        figures["certificates.new.individuals"] = round(
            population * certificates * rng.uniform(0.8, 1.2)
        )
        figures["certificates.new.orgs"] = rng.randint(0, 12)
        figures["tasks.assigned"] = tasks
        figures["tasks.completed"] = completed[index]
        figures["tasks.completed_on_time"] = completed_on_time[index]
        quarters.append(figures)
    return quarters


def _value_rows(
    communes: list[CommuneState],
    template: Template,
    periods: list[Period],
    seed: int,
    checksum: Checksum,
) -> Iterator[tuple]:
    elements = [(code, template.elements[code].id) for code in ELEMENT_CODES]
    for c in communes:
        quarters = commune_figures(
            _rng(seed, c.spec.code, "figures"),
            tasks=len(template.tasks),
            completed=c.completed,
            completed_on_time=c.completed_on_time,
        )
        for index, figures in enumerate(quarters):
            period = periods[index]
            for code, element_id in elements:
                value = figures[code]
                checksum.add(_value_line(c.spec.code, period.code, code, value))
                yield (
                    element_id,
                    c.unit_id,
                    period.id,
                    "",
                    Decimal(value),
                    MARK,
                    c.unit_id,
                    True,
                    c.approved_at[index],
                )


def _record_generation(result: GenerationResult, user: Any) -> None:
    """The one audit record of a generation: a document whose history keeps who generated
    what and when (the bulk rows themselves have no history rows)."""
    now = dt.datetime.now(VN_TZ)
    record = Document.objects.filter(key=GENERATION_KEY).first() or Document(key=GENERATION_KEY)
    record.doc_type = DocumentType.OTHER
    record.issuer = "Hệ thống theo dõi (sinh tự động)"
    record.issued_on = now.date()
    record.subject = (
        f"Dữ liệu tổng hợp sinh tự động (--scale {result.scale}, seed {result.seed}) lúc "
        f"{now:%H:%M} ngày {now:%d/%m/%Y}"
    )
    counts = result.counts
    record.full_text = "\n".join(
        [
            record.subject + ".",
            f"Tỉnh, thành phố: {format_number(counts['provinces'])} "
            f"(tạo mới {format_number(counts['provinces_created'])}).",
            f"Xã, phường, đặc khu: {format_number(counts['communes'])} "
            f"(sinh mới {format_number(counts['communes_created'])}, mã {SYN_PREFIX}…).",
            f"Kế hoạch: {format_number(counts['plans'])}; nhiệm vụ: "
            f"{format_number(counts['tasks'])}; chỉ tiêu: {format_number(counts['indicators'])}.",
            f"Báo cáo tiến độ nhiệm vụ: {format_number(counts['task_updates'])}; giá trị số "
            f"liệu: {format_number(counts['data_values'])}; báo cáo kỳ: "
            f"{format_number(counts['submissions'])}.",
            f"Kỳ: {QUARTERS[0].label} – {QUARTERS[-1].label}. Mã kiểm tra: {result.checksum}.",
        ]
    )
    record.is_stub = False
    reason = f"{REASON} (--scale {result.scale}, seed {result.seed})"
    if result.removed:
        reason += ", thay thế dữ liệu tổng hợp cũ"
    save_tracked(record, user=user, reason=reason)
