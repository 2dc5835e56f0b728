"""Creating the synthetic units, plans, tasks, indicators and targets, and the period rows
(reports, task updates, figures) of each commune."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from theodoi.dataset.illustrative import administrative_values
from theodoi.dataset.synthetic.country import (
    COUNTRY,
    ELEMENT_CODES,
    GENERATION_KEY,
    MARK,
    PLAN_DATES,
    PROVINCES,
    QUARTERS,
    RATIO_INDICATORS,
    SCALES,
    SYN_PREFIX,
    TEMPLATE_INDICATORS,
    TEMPLATE_PLAN,
    UPSTREAM_RESOLUTION,
    GenerationError,
    GenerationResult,
    commune_layout,
    province_units,
    synthetic_units,
)
from theodoi.dataset.synthetic.courses import (
    CommuneState,
    _commune_deadline,
    _day_between,
    _one_off_course,
    _recurring_course,
    _reporting_times,
    _rng,
    _texts,
)
from theodoi.dataset.synthetic.rows import (
    INDICATOR_FIELDS,
    TARGET_FIELDS,
    TASK_FIELDS,
    Checksum,
    RowWriter,
    _task_line,
    _update_line,
    _value_line,
)
from theodoi.documents.models import Document, DocumentType
from theodoi.domain.formatting import format_number
from theodoi.domain.status import Progress, TaskStatus, task_status
from theodoi.domain.text import fold
from theodoi.orgs.models import OrgUnit, OrgUnitKind
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskGroup
from theodoi.progress.models import (
    DataElement,
    Period,
    UpdateState,
)


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
