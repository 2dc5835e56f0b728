"""Plans, their tasks and indicators with status at a period, and the dashboard's counts."""

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from theodoi.api.common import (
    ERRORS,
    PERIOD_DESCRIPTION,
    Pagination,
    as_of,
    caller,
    period_of,
    visible_unit,
)
from theodoi.api.routers.progress import UpdateOut, source_of
from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.status import TaskStatus
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.permissions import can
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.selectors.dashboard import dashboard
from theodoi.progress.selectors.rollup import reader_stamp
from theodoi.progress.selectors.tasks import (
    IndicatorRow,
    TaskRow,
    filter_task_rows,
    indicator_rows,
    task_rows,
    task_updates_visible,
)
from theodoi.progress.services.summaries import summary_version, summary_version_stored

router = Router(tags=["Kế hoạch, nhiệm vụ, chỉ tiêu"])

PERIOD_HELP = PERIOD_DESCRIPTION + " Mặc định: quý hiện tại."


class PeriodFilter(Schema):
    period: str | None = Field(None, description=PERIOD_HELP)


class GroupOut(Schema):
    code: str = Field(description="Mã nhóm.")
    title: str = Field(description="Tên nhóm (đề mục của kế hoạch).")


class PlanOut(Schema):
    id: int
    symbol: str = Field(description="Số, ký hiệu của kế hoạch, ví dụ 96/KH-UBND.")
    title: str = Field(description="Tên kế hoạch.")
    document_id: int = Field(description="Văn bản của kế hoạch.")
    issued_on: dt.date | None = Field(description="Ngày ban hành.")
    owner_unit: str = Field(description="Mã đơn vị ban hành kế hoạch.")
    implements: list[str] = Field(description="Số, ký hiệu các văn bản kế hoạch thực hiện.")

    @staticmethod
    def resolve_symbol(plan: Plan) -> str:
        return plan.document.symbol

    @staticmethod
    def resolve_issued_on(plan: Plan) -> dt.date | None:
        return plan.document.issued_on

    @staticmethod
    def resolve_owner_unit(plan: Plan) -> str:
        return plan.owner_unit.code

    @staticmethod
    def resolve_implements(plan: Plan) -> list[str]:
        return sorted(d.symbol for d in plan.implements.all() if d.symbol)


class PlanDetailOut(PlanOut):
    groups: list[GroupOut] = Field(description="Các nhóm nhiệm vụ, chỉ tiêu.")
    task_count: int = Field(description="Số nhiệm vụ.")
    indicator_count: int = Field(description="Số chỉ tiêu.")

    @staticmethod
    def resolve_groups(plan: Plan) -> list:
        return list(plan.groups.order_by("position"))

    @staticmethod
    def resolve_task_count(plan: Plan) -> int:
        return plan.tasks.count()

    @staticmethod
    def resolve_indicator_count(plan: Plan) -> int:
        return plan.indicators.count()


class DeadlineOut(Schema):
    kind: str = Field(description="Loại thời hạn: date, month, quarter, year, yearly, …")
    date: dt.date | None = Field(description="Hạn hoàn thành, với thời hạn một lần.")
    text: str = Field(description="Thời hạn như kế hoạch ghi.")


class TaskOut(Schema):
    id: int
    plan_id: int
    code: str = Field(description="Số thứ tự nhiệm vụ trong kế hoạch, ví dụ 2.8.")
    title: str = Field(description="Nội dung nhiệm vụ.")
    group: str | None = Field(description="Mã nhóm.")
    lead_unit: str | None = Field(description="Mã cơ quan chủ trì.")
    lead_text: str = Field(description="Cơ quan chủ trì như kế hoạch ghi.")
    reporting_unit: str = Field(description="Mã đơn vị báo cáo tiến độ nhiệm vụ.")
    coordinating_units: list[str] = Field(description="Mã các cơ quan phối hợp.")
    coordinating_text: str = Field(description="Cơ quan phối hợp khác, như kế hoạch ghi.")
    output: str = Field(description="Sản phẩm đầu ra.")
    deadline: DeadlineOut = Field(description="Thời hạn.")

    @staticmethod
    def resolve_group(task: Task) -> str | None:
        return task.group.code if task.group else None

    @staticmethod
    def resolve_lead_unit(task: Task) -> str | None:
        return task.lead_unit.code if task.lead_unit else None

    @staticmethod
    def resolve_reporting_unit(task: Task) -> str:
        return task.reporting_unit.code

    @staticmethod
    def resolve_coordinating_units(task: Task) -> list[str]:
        return [u.code for u in task.coordinating_units.all()]

    @staticmethod
    def resolve_deadline(task: Task) -> dict:
        return {"kind": task.deadline_kind, "date": task.deadline_date, "text": task.deadline_text}


class ReportedOut(Schema):
    period: str = Field(description="Kỳ của báo cáo tiến độ đã duyệt được dùng để đánh giá.")
    reported_state: str = Field(description="Tình hình đơn vị báo cáo.")
    progress_percent: int = Field(description="Tiến độ (%).")
    completion_date: dt.date | None = Field(description="Ngày hoàn thành.")

    @staticmethod
    def resolve_period(update) -> str:
        return update.period.code


class TaskRowOut(Schema):
    task: TaskOut
    status: TaskStatus = Field(description="Tình trạng tại ngày đánh giá.")
    status_label: str = Field(description="Tên tình trạng.")
    reported: ReportedOut | None = Field(
        description="Báo cáo tiến độ đã phê duyệt làm căn cứ đánh giá, nếu có."
    )

    @staticmethod
    def resolve_status_label(row: TaskRow) -> str:
        return row.status.label

    @staticmethod
    def resolve_reported(row: TaskRow):
        return row.update


class TaskDetailOut(TaskOut):
    plan: str = Field(description="Số, ký hiệu kế hoạch.")
    upstream_document: str | None = Field(description="Văn bản cấp trên mà nhiệm vụ thực hiện.")
    upstream_code: str = Field(description="Số thứ tự nhiệm vụ tại văn bản cấp trên.")
    updates: list[UpdateOut] = Field(
        description="Các báo cáo tiến độ người gọi được xem (bản nháp chỉ với người được sửa)."
    )

    @staticmethod
    def resolve_plan(task: Task) -> str:
        return task.plan.document.symbol

    @staticmethod
    def resolve_upstream_document(task: Task) -> str | None:
        return task.upstream_document.symbol if task.upstream_document else None

    @staticmethod
    def resolve_updates(task: Task, context) -> list:
        return task_updates_visible(task=task, user=caller(context["request"]))


class TargetOut(Schema):
    year: int = Field(description="Mốc năm.")
    comparator: str = Field(description="So sánh: eq, gte, gt, lte, lt, range.")
    value: Decimal = Field(description="Giá trị mục tiêu (cận dưới nếu là khoảng).")
    value_high: Decimal | None = Field(description="Cận trên, nếu là khoảng.")
    text: str = Field(description="Mục tiêu như kế hoạch ghi.")
    effective_from: dt.date | None = Field(description="Áp dụng từ ngày (mục tiêu điều chỉnh).")
    adjusted_by: str | None = Field(description="Văn bản điều chỉnh mục tiêu.")

    @staticmethod
    def resolve_adjusted_by(target) -> str | None:
        return target.adjusted_by.symbol if target.adjusted_by else None


class IndicatorOut(Schema):
    id: int
    plan_id: int
    code: str = Field(description="Mã chỉ tiêu.")
    name: str = Field(description="Tên chỉ tiêu.")
    group: str | None = Field(description="Mã nhóm.")
    unit_of_measure: str = Field(description="Đơn vị tính.")
    direction: str = Field(description="Chiều tốt: higher (càng cao càng tốt) hoặc lower.")
    lead_unit: str | None = Field(description="Mã cơ quan chủ trì theo dõi, đánh giá.")
    lead_text: str = Field(description="Cơ quan chủ trì như kế hoạch ghi.")
    targets: list[TargetOut] = Field(description="Mục tiêu theo mốc, kể cả điều chỉnh.")

    @staticmethod
    def resolve_group(indicator: Indicator) -> str | None:
        return indicator.group.code if indicator.group else None

    @staticmethod
    def resolve_unit_of_measure(indicator: Indicator) -> str:
        return indicator.unit

    @staticmethod
    def resolve_lead_unit(indicator: Indicator) -> str | None:
        return indicator.lead_unit.code if indicator.lead_unit else None

    @staticmethod
    def resolve_targets(indicator: Indicator) -> list:
        return list(indicator.targets.all())


class IndicatorRowOut(Schema):
    indicator: IndicatorOut
    status: IndicatorStatus = Field(description="Đánh giá tại ngày đánh giá.")
    status_label: str = Field(description="Tên đánh giá.")
    milestone_year: int | None = Field(description="Mốc năm được dùng để đánh giá.")
    target: str | None = Field(description="Mục tiêu của mốc đó, như kế hoạch ghi.")
    expected: Decimal | None = Field(
        description="Giá trị cần đạt theo lộ trình tại ngày đó (nội suy từ giá trị gốc hoặc "
        "mốc trước đến mục tiêu); không có khi chưa có gì để nội suy."
    )
    actual: Decimal | None = Field(description="Giá trị thực tế mới nhất (đã phê duyệt).")
    actual_period: str | None = Field(description="Kỳ của giá trị thực tế.")
    actual_source_document: str | None = Field(
        description="Văn bản nguồn (số, ký hiệu) của giá trị thực tế, nếu lấy từ văn bản."
    )
    actual_source_line: int | None = Field(description="Dòng của giá trị trong văn bản nguồn.")
    actual_source_quote: str | None = Field(description="Câu trích dẫn nguyên văn từ văn bản.")

    @staticmethod
    def resolve_status(row: IndicatorRow) -> str:
        return row.evaluation.status.value

    @staticmethod
    def resolve_status_label(row: IndicatorRow) -> str:
        return row.evaluation.status.label

    @staticmethod
    def resolve_milestone_year(row: IndicatorRow) -> int | None:
        return row.evaluation.milestone_year

    @staticmethod
    def resolve_target(row: IndicatorRow) -> str | None:
        return row.evaluation.target.text if row.evaluation.target else None

    @staticmethod
    def resolve_expected(row: IndicatorRow) -> Decimal | None:
        return row.evaluation.expected if row.evaluation.interpolated else None

    @staticmethod
    def resolve_actual_period(row: IndicatorRow) -> str | None:
        return row.value.period.code if row.value else None

    @staticmethod
    def resolve_actual_source_document(row: IndicatorRow) -> str | None:
        return source_of(row.value)["source_document"]

    @staticmethod
    def resolve_actual_source_line(row: IndicatorRow) -> int | None:
        return source_of(row.value)["source_line"]

    @staticmethod
    def resolve_actual_source_quote(row: IndicatorRow) -> str | None:
        return source_of(row.value)["source_quote"]


class TaskCountsOut(Schema):
    total: int = Field(description="Số nhiệm vụ được giao.")
    completed_on_time: int = Field(description="Đã hoàn thành đúng hạn.")
    completed_late: int = Field(description="Đã hoàn thành quá hạn.")
    in_progress: int = Field(description="Đang thực hiện, trong hạn.")
    overdue: int = Field(description="Chưa hoàn thành, quá hạn.")
    not_started: int = Field(description="Chưa triển khai.")


class IndicatorCountsOut(Schema):
    total: int = Field(description="Số chỉ tiêu.")
    achieved: int = Field(description="Đạt.")
    not_achieved: int = Field(description="Không đạt.")
    on_track: int = Field(description="Đúng lộ trình.")
    at_risk: int = Field(description="Có nguy cơ không đạt.")
    no_data: int = Field(description="Chưa có số liệu.")


class SummaryOut(Schema):
    plan: str = Field(description="Số, ký hiệu kế hoạch.")
    period: str = Field(description="Mã kỳ báo cáo.")
    as_of: dt.date = Field(description="Ngày đánh giá.")
    unit: str = Field(description="Mã đơn vị của bảng tổng hợp.")
    tasks: TaskCountsOut = Field(description="Nhiệm vụ theo tình trạng.")
    indicators: IndicatorCountsOut = Field(description="Chỉ tiêu theo đánh giá.")
    sentence: str = Field(description="Câu tổng hợp như báo cáo ghi.")
    illustrative: bool = Field(description="Có dùng dữ liệu minh họa.")
    overdue_tasks: list[str] = Field(description="Mã các nhiệm vụ quá hạn.")
    not_reported_units: list[str] = Field(description="Mã các đơn vị chưa gửi báo cáo kỳ này.")


class SummaryFilters(PeriodFilter):
    unit: str | None = Field(
        None,
        description="Mã đơn vị: cả kế hoạch với đơn vị ban hành hoặc cấp trên, phần đơn vị "
        "chủ trì với đơn vị khác. Mặc định: đơn vị ban hành kế hoạch nếu người gọi được xem, "
        "nếu không thì đơn vị cao nhất người gọi có vai trò.",
    )


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = plans_visible_to(user=caller(request)).filter(pk=plan_id).first()
    if plan is None:
        raise Http404("Không có kế hoạch này trong phạm vi bạn được xem.")
    return plan


def _default_unit(request: HttpRequest, plan: Plan) -> OrgUnit:
    """The plan's owner if the caller sees it, else the caller's own highest unit (a
    reporter's dashboard shows their unit's part of the plan, as on the web)."""
    user = caller(request)
    if can(user, "view", plan.owner_unit):  # the units one sees: no query
        return plan.owner_unit
    membership = (
        Membership.objects.filter(user=user).select_related("org_unit").order_by("org_unit__depth")
    ).first()
    if membership is None:
        raise Http404("Tài khoản chưa được giao vai trò ở đơn vị nào.")
    return membership.org_unit


@router.get("/plans", response={200: list[PlanOut], **ERRORS}, summary="Danh sách kế hoạch")
@paginate(Pagination)
def plan_list(request: HttpRequest):
    """Kế hoạch của các đơn vị người gọi được xem và của các đơn vị cấp trên."""
    plans = plans_visible_to(user=caller(request))
    return plans.prefetch_related("implements").order_by("document__issued_on", "id")


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS}, summary="Một kế hoạch")
def plan_detail(request: HttpRequest, plan_id: int):
    return _plan(request, plan_id)


class TaskFilters(Schema):
    period: str | None = Field(None, description=PERIOD_HELP)
    unit: str | None = Field(None, description="Chỉ nhiệm vụ do đơn vị có mã này báo cáo.")
    status: TaskStatus | None = Field(None, description="Chỉ nhiệm vụ ở tình trạng này.")
    group: str | None = Field(None, description="Chỉ nhiệm vụ thuộc nhóm có mã này.")


@router.get(
    "/plans/{plan_id}/tasks",
    response={200: list[TaskRowOut], **ERRORS},
    summary="Nhiệm vụ của kế hoạch, với tình trạng",
)
@paginate(Pagination)
def plan_task_list(request: HttpRequest, plan_id: int, filters: Query[TaskFilters]):
    """Nhiệm vụ theo thứ tự trong kế hoạch, mỗi nhiệm vụ với tình trạng tại cuối kỳ (hoặc hôm
    nay nếu kỳ đang diễn ra), tính như bảng điều khiển và báo cáo."""
    plan = _plan(request, plan_id)
    period = period_of(filters.period)
    rows = task_rows(plan=plan, as_of=as_of(period), user=caller(request))
    # The same filtering as the web's task list.
    return filter_task_rows(
        rows,
        period=period,
        unit_code=visible_unit(request, filters.unit).code if filters.unit else "",
        status=filters.status.value if filters.status else "",
        group=filters.group or "",
    )


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **ERRORS}, summary="Một nhiệm vụ")
def task_detail(request: HttpRequest, task_id: int):
    """Một nhiệm vụ với các báo cáo tiến độ người gọi được xem."""
    task = (
        Task.objects.filter(plan__in=plans_visible_to(user=caller(request)))
        .select_related("plan__document", "plan__owner_unit", "group", "lead_unit")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("Không có nhiệm vụ này trong phạm vi bạn được xem.")
    return task


@router.get(
    "/plans/{plan_id}/indicators",
    response={200: list[IndicatorRowOut], **ERRORS},
    summary="Chỉ tiêu của kế hoạch, với đánh giá",
)
@paginate(Pagination)
def plan_indicator_list(request: HttpRequest, plan_id: int, filters: Query[PeriodFilter]):
    """Chỉ tiêu theo thứ tự trong kế hoạch, mỗi chỉ tiêu đánh giá tại cuối kỳ (hoặc hôm nay nếu
    kỳ đang diễn ra) so với mục tiêu của mốc áp dụng; chỉ số liệu đã phê duyệt được tính."""
    plan = _plan(request, plan_id)
    period = period_of(filters.period)
    return indicator_rows(plan=plan, as_of=as_of(period), user=caller(request))


@router.get(
    "/plans/{plan_id}/summary",
    response={200: SummaryOut, **ERRORS},
    summary="Tổng hợp nhiệm vụ, chỉ tiêu theo tình trạng",
)
def plan_summary(request: HttpRequest, plan_id: int, filters: Query[SummaryFilters]):
    """Số nhiệm vụ, chỉ tiêu theo tình trạng — đúng các con số bảng điều khiển và báo cáo
    dùng — cùng nhiệm vụ quá hạn và đơn vị chưa báo cáo."""
    chosen = period_of(filters.period)
    # Kept per caller — what one may see is not what another may: who they are, their roles
    # and the stamps of the units they may name (``reader_stamp``) — and per version of what
    # the plan counts. A kept answer is served while the plan's stored summary is fresh and
    # the one it was made from, without reading the plan again: it was read, and the caller
    # allowed to see it, under the same roles and stamps.
    reader = reader_stamp(caller(request))
    stored = summary_version_stored(plan_id=plan_id, period_code=chosen.code)
    if stored is not None:
        answer = cache.get(_summary_key(plan_id, filters.unit, chosen, reader, stored))
        if answer is not None:
            return answer
    plan = _plan(request, plan_id)
    scope = visible_unit(request, filters.unit) if filters.unit else _default_unit(request, plan)
    # brought up to date first when stale
    version = summary_version(plan=plan, period_code=chosen.code)
    answer = _summary(plan, scope, chosen, request)
    if version is not None:
        cache.set(
            _summary_key(plan_id, filters.unit, chosen, reader, version), answer, CACHE_SECONDS
        )
    return answer


def _summary_key(plan_id: int, unit: str | None, chosen: Any, reader: Any, version: str) -> str:
    described = repr((plan_id, unit or "", chosen.code, as_of(chosen).isoformat(), reader, version))
    return f"api-summary:{hashlib.sha256(described.encode()).hexdigest()}"


# An answer cached under its data's version is right for as long as it is kept: the time only
# bounds the memory it takes.
CACHE_SECONDS = 24 * 3600


def _summary(plan: Plan, scope: OrgUnit, chosen: Any, request: HttpRequest) -> dict[str, Any]:
    data = dashboard(
        plan=plan, unit=scope, period=chosen, as_of=as_of(chosen), user=caller(request)
    )
    return {
        "plan": plan.document.symbol,
        "period": chosen.code,
        "as_of": as_of(chosen),
        "unit": scope.code,
        "tasks": data.counts.as_dict(),
        "indicators": data.indicator_counts.as_dict(),
        "sentence": data.sentence,
        "illustrative": data.illustrative,
        "overdue_tasks": [row.task.code for row in data.overdue],
        "not_reported_units": [row.unit.code for row in data.not_reported],
    }
