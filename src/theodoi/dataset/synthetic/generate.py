"""``generate``: one run of the synthetic dataset from the template plan, its audit record,
and the removal of a previous run (``--replace``)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from django.test.utils import override_settings

from theodoi.dataset.synthetic.build import (
    _create_contents,
    _create_plans,
    _create_units,
    _submission_rows,
    _template,
    _update_rows,
    _value_rows,
)
from theodoi.dataset.synthetic.country import (
    GENERATION_KEY,
    QUARTERS,
    REASON,
    SCALES,
    SYN_PREFIX,
    VN_TZ,
    GenerationError,
    GenerationResult,
    log,
    synthetic_units,
)
from theodoi.dataset.synthetic.rows import (
    SUBMISSION_FIELDS,
    UPDATE_FIELDS,
    VALUE_FIELDS,
    Checksum,
    RowWriter,
)
from theodoi.documents.models import Document, DocumentType
from theodoi.domain.formatting import format_number
from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import (
    DataValue,
    Submission,
    TaskUpdate,
)
from theodoi.progress.services.periods import period_ensure


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
