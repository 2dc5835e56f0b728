"""Progress of a unit for a period: task updates and figures, their entry and submission, and
the review, approval and unlocking of submissions. Writes go through the same services as
the web app, so the same permissions and workflow rules apply."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from ninja import Body, Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from theodoi.api.common import (
    ERRORS,
    PERIOD_DESCRIPTION,
    Pagination,
    caller,
    period_row,
    visible_unit,
)
from theodoi.api.routers.progress_inputs import (
    CommentIn,
    FiguresIn,
    SubmissionFilters,
    SubmitIn,
    TaskUpdateIn,
    UnlockIn,
)
from theodoi.documents.selectors import documents_visible_to
from theodoi.domain import periods as p
from theodoi.domain.status import ReportedState
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.progress.models import Evidence, Period, Submission, TaskUpdate, UpdateState
from theodoi.progress.selectors.entry import (
    EntryElement,
    entry_elements,
    entry_rows,
    entry_values,
    evidence_visible_to,
)
from theodoi.progress.selectors.submissions import (
    entry_visible_to,
    next_step_for,
    progress_hidden_from,
    submissions_visible_to,
)
from theodoi.progress.services import periods as period_services
from theodoi.progress.services import submissions as submission_services
from theodoi.progress.services import updates as update_services
from theodoi.progress.services import values as value_services

router = Router(tags=["Tiến độ, số liệu, phê duyệt"])

PERIOD = Path(description=PERIOD_DESCRIPTION)


class PeriodOut(Schema):
    code: str = Field(description="Mã kỳ.")
    kind: str = Field(description="Loại kỳ: month, quarter, half, nine_months, year, custom.")
    basis: str = Field(description="calendar (theo lịch) hoặc cutoff (chốt số liệu ngày 14).")
    start: dt.date = Field(description="Từ ngày.")
    end: dt.date = Field(description="Đến ngày.")
    label: str = Field(description="Tên kỳ.")


class EvidenceOut(Schema):
    id: int
    name: str = Field(description="Tên tệp; tải về tại /api/evidence/{id}.")
    size: int = Field(description="Dung lượng (byte).")
    uploaded_at: dt.datetime = Field(description="Tải lên lúc.")

    @staticmethod
    def resolve_name(evidence: Evidence) -> str:
        return evidence.original_name


class UpdateOut(Schema):
    id: int
    task_id: int
    period: str = Field(description="Mã kỳ.")
    unit: str = Field(description="Mã đơn vị báo cáo.")
    state: UpdateState = Field(description="Trạng thái: draft, submitted, returned, accepted, …")
    state_label: str = Field(description="Tên trạng thái.")
    reported_state: ReportedState = Field(description="Tình hình thực hiện.")
    progress_percent: int = Field(description="Tiến độ (%).")
    completion_date: dt.date | None = Field(description="Ngày hoàn thành.")
    results: str = Field(description="Kết quả thực hiện.")
    difficulties: str = Field(description="Tồn tại, hạn chế.")
    causes: str = Field(description="Nguyên nhân.")
    proposals: str = Field(description="Kiến nghị, đề xuất.")
    next_steps: str = Field(description="Nhiệm vụ kỳ tới.")
    evidence_documents: list[int] = Field(description="Văn bản minh chứng.")
    evidence_files: list[EvidenceOut] = Field(description="Tệp minh chứng.")
    is_illustrative: bool = Field(description="Dữ liệu minh họa.")
    updated_at: dt.datetime = Field(description="Cập nhật lúc.")

    @staticmethod
    def resolve_period(update: TaskUpdate) -> str:
        return update.period.code

    @staticmethod
    def resolve_unit(update: TaskUpdate) -> str:
        return update.org_unit.code

    @staticmethod
    def resolve_state_label(update: TaskUpdate) -> str:
        return update.get_state_display()

    @staticmethod
    def resolve_evidence_documents(update: TaskUpdate) -> list[int]:
        return [d.id for d in update.evidence_documents.all()]

    @staticmethod
    def resolve_evidence_files(update: TaskUpdate) -> list[Evidence]:
        return update.current_evidence


class TaskRefOut(Schema):
    id: int
    code: str = Field(description="Số thứ tự nhiệm vụ trong kế hoạch.")
    title: str = Field(description="Nội dung nhiệm vụ.")
    plan: str = Field(description="Số, ký hiệu kế hoạch.")

    @staticmethod
    def resolve_plan(task) -> str:
        return task.plan.document.symbol


class EntryOut(Schema):
    task: TaskRefOut
    due: dt.date | None = Field(description="Hạn của phần việc được đánh giá trong kỳ này.")
    due_in_period: bool = Field(description="Hạn rơi vào kỳ này (hoặc đã qua).")
    update: UpdateOut | None = Field(
        description="Báo cáo tiến độ kỳ này; bản nháp chỉ hiện với người được sửa."
    )


class FigureOut(Schema):
    element: str = Field(description="Mã số liệu.")
    name: str = Field(description="Tên số liệu.")
    unit_of_measure: str = Field(description="Đơn vị tính.")
    area: str = Field(description="Mã đơn vị mà số liệu là của (đơn vị, hoặc đơn vị ban hành).")
    indicators: list[str] = Field(description="Mã các chỉ tiêu số liệu này đo.")
    value: Decimal | None = Field(
        description="Giá trị kỳ này; số đang nhập chỉ hiện với người được sửa."
    )
    entered_by: str | None = Field(description="Người nhập.")
    source_document: str | None = Field(
        description="Văn bản nguồn (số, ký hiệu) nếu số liệu lấy từ văn bản."
    )
    source_line: int | None = Field(description="Dòng của số liệu trong văn bản nguồn.")
    source_quote: str | None = Field(description="Câu trích dẫn nguyên văn từ văn bản nguồn.")
    updated_at: dt.datetime | None = Field(description="Cập nhật lúc.")


class SubmissionOut(Schema):
    id: int
    unit: str = Field(description="Mã đơn vị báo cáo.")
    unit_name: str = Field(description="Tên đơn vị báo cáo.")
    period: str = Field(description="Mã kỳ.")
    period_label: str = Field(description="Tên kỳ.")
    state: UpdateState = Field(description="Trạng thái: draft, submitted, returned, accepted, …")
    state_label: str = Field(description="Tên trạng thái.")
    explanation: str = Field(description="Giải trình khi số liệu chưa khớp quy tắc kiểm tra.")
    review_comment: str = Field(description="Ý kiến của người tiếp nhận, phê duyệt.")
    submitted_by: str | None = Field(description="Người gửi.")
    submitted_at: dt.datetime | None = Field(description="Gửi lúc.")
    reviewed_by: str | None = Field(description="Người tiếp nhận hoặc trả lại.")
    reviewed_at: dt.datetime | None = Field(description="Tiếp nhận lúc.")
    approved_by: str | None = Field(description="Người phê duyệt.")
    approved_at: dt.datetime | None = Field(description="Phê duyệt lúc.")
    next_step: str | None = Field(description="Việc người gọi cần làm với báo cáo này, nếu có.")

    @staticmethod
    def resolve_unit(submission: Submission) -> str:
        return submission.org_unit.code

    @staticmethod
    def resolve_unit_name(submission: Submission) -> str:
        return submission.org_unit.name

    @staticmethod
    def resolve_period(submission: Submission) -> str:
        return submission.period.code

    @staticmethod
    def resolve_period_label(submission: Submission) -> str:
        return submission.period.label

    @staticmethod
    def resolve_state_label(submission: Submission) -> str:
        return submission.get_state_display()

    @staticmethod
    def resolve_submitted_by(submission: Submission) -> str | None:
        return _username(submission.submitted_by)

    @staticmethod
    def resolve_reviewed_by(submission: Submission) -> str | None:
        return _username(submission.reviewed_by)

    @staticmethod
    def resolve_approved_by(submission: Submission) -> str | None:
        return _username(submission.approved_by)

    @staticmethod
    def resolve_next_step(submission: Submission, context) -> str | None:
        return next_step_for(submission=submission, user=caller(context["request"]))


# Optional bodies: accepting or approving needs no comment, submitting no explanation.
NO_COMMENT = Body(CommentIn())
NO_EXPLANATION = Body(SubmitIn())


def _username(user: Any) -> str | None:
    return user.get_username() if user else None


def source_of(value: Any) -> dict[str, Any]:
    """The provenance of a data value taken from a document (all None otherwise)."""
    document = value.source_document if value is not None else None
    if document is None:
        return {"source_document": None, "source_line": None, "source_quote": None}
    return {
        "source_document": document.symbol or str(document),
        "source_line": value.source_line,
        "source_quote": value.source_quote,
    }


def _entry_scope(request: HttpRequest, code: str, period_code: str, action: str):
    """The unit and stored period for a write: the unit within the caller's scope (404),
    the caller allowed to do ``action`` there (403); a period that has begun is stored on
    first use, as on the web."""
    period = p.parse_period(period_code)
    unit = visible_unit(request, code)
    ensure_can(caller(request), action, unit)
    stored = Period.objects.filter(code=period.code).first()
    if stored is None:
        stored = period_services.entry_period_ensure(period=period, user=caller(request))
    return unit, stored


def _figures(user: Any, unit: OrgUnit, period: Period) -> list[dict]:
    elements: list[EntryElement] = entry_elements(unit=unit)
    stored = entry_values(unit=unit, period=period, elements=elements) if period.pk else {}
    hidden: dict[int, bool] = {}
    rows = []
    for entry in elements:
        value = stored.get((entry.element.id, entry.area.id))
        if value is not None and value.reporting_unit_id is not None:
            reporting = value.reporting_unit_id
            if reporting not in hidden:
                hidden[reporting] = progress_hidden_from(
                    user=user, unit=value.reporting_unit, period=period
                )
            if hidden[reporting]:
                value = None
        rows.append(
            {
                "element": entry.element.code,
                "name": entry.element.name,
                "unit_of_measure": entry.element.unit,
                "area": entry.area.code,
                "indicators": [i.code for i in entry.indicators],
                "value": value.value if value else None,
                "entered_by": _username(value.entered_by) if value else None,
                **source_of(value),
                "updated_at": value.updated_at if value else None,
            }
        )
    return rows


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    submission = submissions_visible_to(user=caller(request)).filter(pk=submission_id).first()
    if submission is None:
        raise Http404("Không có báo cáo tiến độ này trong phạm vi bạn được xem.")
    return submission


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Các kỳ báo cáo")
@paginate(Pagination)
def period_list(request: HttpRequest, kind: p.PeriodKind | None = None):
    """Các kỳ báo cáo đã có số liệu hoặc báo cáo, theo thứ tự thời gian."""
    periods = Period.objects.order_by("start", "end", "code")
    return periods.filter(kind=kind) if kind else periods


@router.get(
    "/units/{code}/periods/{period}/task-updates",
    response={200: list[EntryOut], **ERRORS},
    summary="Báo cáo tiến độ các nhiệm vụ của đơn vị trong kỳ",
)
@paginate(Pagination)
def task_update_list(request: HttpRequest, code: str, period: str = PERIOD):
    """Các nhiệm vụ đơn vị báo cáo trong kỳ (như trang nhập tiến độ), mỗi nhiệm vụ với báo
    cáo kỳ này. Bản nháp và báo cáo bị trả lại chỉ hiện với người được sửa."""
    row = period_row(p.parse_period(period))
    unit = visible_unit(request, code)
    return [
        {
            "task": entry.task,
            "due": entry.due,
            "due_in_period": entry.due_in_period,
            "update": entry.update
            if entry.update is not None
            and entry_visible_to(user=caller(request), state=entry.update.state, unit=unit)
            else None,
        }
        for entry in entry_rows(unit=unit, period=row, user=caller(request))
    ]


@router.get(
    "/units/{code}/periods/{period}/data-values",
    response={200: list[FigureOut], **ERRORS},
    summary="Số liệu đơn vị nhập trong kỳ",
)
@paginate(Pagination)
def data_value_list(request: HttpRequest, code: str, period: str = PERIOD):
    """Các số liệu đơn vị nhập mỗi kỳ, với giá trị kỳ này. Số đang nhập (chưa gửi) chỉ hiện
    với người được sửa."""
    row = period_row(p.parse_period(period))
    return _figures(caller(request), visible_unit(request, code), row)


@router.put(
    "/units/{code}/periods/{period}/tasks/{task_id}/update",
    response={200: UpdateOut, **ERRORS},
    summary="Nhập tiến độ một nhiệm vụ",
)
def task_update_put(
    request: HttpRequest, code: str, task_id: int, payload: TaskUpdateIn, period: str = PERIOD
):
    """Lưu tiến độ nhiệm vụ của đơn vị trong kỳ (bản nháp), kiểm tra như biểu mẫu trên web.
    Kỳ đã gửi hoặc đã khóa thì không sửa được (quy_tac_nghiep_vu)."""
    user = caller(request)
    with transaction.atomic():  # a refused entry stores nothing, not even the period
        unit, stored = _entry_scope(request, code, period, "progress.edit")
        rows = entry_rows(unit=unit, period=stored, user=user)
        entry = next((r for r in rows if r.task.id == task_id), None)
        if entry is None:
            raise Http404("Nhiệm vụ này không thuộc báo cáo tiến độ của đơn vị trong kỳ.")
        values = payload.model_dump(exclude={"evidence_documents"})
        values["reported_state"] = payload.reported_state.value
        # task_update_save applies the entry rules the web form shows (completion date within
        # the period, results when completed …), so both refuse the same input.
        update = update_services.task_update_save(
            task=entry.task, period=stored, user=user, values=values
        )
        if payload.evidence_documents is not None:
            documents = list(
                documents_visible_to(user=user).filter(id__in=payload.evidence_documents)
            )
            if len(documents) != len(set(payload.evidence_documents)):
                raise ValidationError(
                    {"evidence_documents": ["Có mã văn bản minh chứng không tồn tại."]}
                )
            update_services.evidence_documents_set(update=update, documents=documents, user=user)
    return update


@router.put(
    "/units/{code}/periods/{period}/data-values",
    response={200: list[FigureOut], **ERRORS},
    summary="Nhập số liệu của kỳ",
)
def data_value_put(request: HttpRequest, code: str, payload: FiguresIn, period: str = PERIOD):
    """Lưu các số liệu đơn vị nhập trong kỳ, từng giá trị qua cùng dịch vụ như web; lỗi ở
    bất kỳ giá trị nào thì không lưu giá trị nào. Trả về số liệu của kỳ sau khi lưu."""
    user = caller(request)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        unit, stored = _entry_scope(request, code, period, "progress.edit")
        entries = entry_elements(unit=unit)
        for index, item in enumerate(payload.values):
            found = [
                e
                for e in entries
                if e.element.code == item.element and item.area in (None, e.area.code)
            ]
            if not found:
                of_area = f" của {item.area}" if item.area else ""
                message = f"{unit.name} không nhập số liệu “{item.element}”{of_area}."
                errors[f"values.{index}"] = [message]
                continue
            if len(found) > 1:
                message = f"Số liệu “{item.element}” có ở nhiều đơn vị; hãy ghi rõ area."
                errors[f"values.{index}"] = [message]
                continue
            try:
                value_services.data_value_save(
                    element=found[0].element,
                    area=found[0].area,
                    unit=unit,
                    period=stored,
                    value=item.value,
                    user=user,
                )
            except ValidationError as error:
                errors[f"values.{index}.value"] = error.messages
        if errors:
            raise ValidationError(errors)
    return _figures(user, unit, stored)


@router.post(
    "/units/{code}/periods/{period}/submit",
    response={200: SubmissionOut, **ERRORS},
    summary="Gửi báo cáo tiến độ kỳ",
)
def submission_submit(
    request: HttpRequest, code: str, period: str = PERIOD, payload: SubmitIn = NO_EXPLANATION
):
    """Gửi báo cáo tiến độ kỳ của đơn vị tới đầu mối tổng hợp: mọi nhiệm vụ phải có báo
    cáo; số liệu chưa khớp quy tắc kiểm tra quan trọng thì phải có giải trình."""
    with transaction.atomic():
        unit, stored = _entry_scope(request, code, period, "progress.submit")
        return submission_services.submission_submit(
            unit=unit, period=stored, user=caller(request), explanation=payload.explanation
        )


@router.get(
    "/submissions", response={200: list[SubmissionOut], **ERRORS}, summary="Báo cáo tiến độ đã gửi"
)
@paginate(Pagination)
def submission_list(request: HttpRequest, filters: Query[SubmissionFilters]):
    """Báo cáo tiến độ kỳ của các đơn vị người gọi được xem (như danh sách chờ duyệt), kỳ
    mới nhất trước; mỗi báo cáo kèm việc người gọi cần làm."""
    submissions = submissions_visible_to(user=caller(request)).exclude(state=UpdateState.DRAFT)
    if filters.period:
        submissions = submissions.filter(period__code=p.parse_period(filters.period).code)
    if filters.state:
        submissions = submissions.filter(state=filters.state)
    if filters.unit:
        submissions = submissions.filter(org_unit=visible_unit(request, filters.unit))
    return submissions.order_by("-period__start", "org_unit__path", "id")


@router.get(
    "/submissions/{submission_id}",
    response={200: SubmissionOut, **ERRORS},
    summary="Một báo cáo tiến độ kỳ",
)
def submission_detail(request: HttpRequest, submission_id: int):
    submission = _submission(request, submission_id)
    if submission.state == UpdateState.DRAFT:
        raise Http404("Không có báo cáo tiến độ này trong phạm vi bạn được xem.")
    return submission


@router.post(
    "/submissions/{submission_id}/accept",
    response={200: SubmissionOut, **ERRORS},
    summary="Tiếp nhận báo cáo tiến độ",
)
def submission_accept(request: HttpRequest, submission_id: int, payload: CommentIn = NO_COMMENT):
    """Đầu mối tổng hợp tiếp nhận báo cáo đã gửi (người gửi không tự tiếp nhận được)."""
    return submission_services.submission_review(
        submission=_submission(request, submission_id),
        user=caller(request),
        accept=True,
        comment=payload.comment,
    )


@router.post(
    "/submissions/{submission_id}/return",
    response={200: SubmissionOut, **ERRORS},
    summary="Trả lại báo cáo tiến độ",
)
def submission_return(request: HttpRequest, submission_id: int, payload: CommentIn = NO_COMMENT):
    """Đầu mối tổng hợp trả lại báo cáo đã gửi để đơn vị sửa; phải ghi lý do."""
    return submission_services.submission_review(
        submission=_submission(request, submission_id),
        user=caller(request),
        accept=False,
        comment=payload.comment,
    )


@router.post(
    "/submissions/{submission_id}/approve",
    response={200: SubmissionOut, **ERRORS},
    summary="Phê duyệt báo cáo tiến độ (khóa kỳ)",
)
def submission_approve(request: HttpRequest, submission_id: int, payload: CommentIn = NO_COMMENT):
    """Lãnh đạo phê duyệt báo cáo đã tiếp nhận; kỳ báo cáo của đơn vị bị khóa."""
    return submission_services.submission_approve(
        submission=_submission(request, submission_id),
        user=caller(request),
        comment=payload.comment,
    )


@router.post(
    "/submissions/{submission_id}/unlock",
    response={200: SubmissionOut, **ERRORS},
    summary="Mở khóa kỳ báo cáo",
)
def submission_unlock(request: HttpRequest, submission_id: int, payload: UnlockIn):
    """Lãnh đạo mở khóa kỳ đã phê duyệt để đơn vị sửa; lý do được lưu trong lịch sử."""
    return submission_services.submission_unlock(
        submission=_submission(request, submission_id),
        user=caller(request),
        reason=payload.reason,
    )


BINARY = {
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
}


@router.get(
    "/evidence/{evidence_id}",
    response=ERRORS,
    summary="Tải tệp minh chứng",
    openapi_extra={"responses": {200: {"description": "Tệp minh chứng.", **BINARY}}},
)
def evidence_download(request: HttpRequest, evidence_id: int):
    """Tệp minh chứng của một báo cáo tiến độ người gọi được xem (bản nháp: chỉ người được
    sửa)."""
    evidence = evidence_visible_to(user=caller(request)).filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("Không có tệp minh chứng này trong phạm vi bạn được xem.")
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
