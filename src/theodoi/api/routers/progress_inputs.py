"""What a client sends to the progress operations: a task update, figures (bounded, with
numbers refused where a person and a machine would read them differently), a submission's
explanation, a reviewer's comment, an unlocking's reason."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from theodoi.api.common import PERIOD_DESCRIPTION
from theodoi.domain.status import ReportedState
from theodoi.progress.models import UpdateState


class TaskUpdateIn(Schema):
    reported_state: ReportedState = Field(
        description="Tình hình thực hiện: not_started, in_progress, completed."
    )
    progress_percent: int | None = Field(
        None, ge=0, le=100, description="Tiến độ (%); bắt buộc khi đang thực hiện."
    )
    completion_date: dt.date | None = Field(
        None, description="Ngày hoàn thành (YYYY-MM-DD); bắt buộc khi đã hoàn thành."
    )
    results: str = Field("", description="Kết quả thực hiện; bắt buộc khi đã hoàn thành.")
    difficulties: str = Field("", description="Tồn tại, hạn chế.")
    causes: str = Field("", description="Nguyên nhân.")
    proposals: str = Field("", description="Kiến nghị, đề xuất.")
    next_steps: str = Field("", description="Nhiệm vụ kỳ tới.")
    evidence_documents: list[int] | None = Field(
        None, description="Mã (id) các văn bản minh chứng; bỏ trống thì giữ nguyên."
    )


# One call writes in one transaction: bounded, so that no call holds the database for long.
MAX_FIGURES_PER_CALL = 1_000
_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


class FigureIn(Schema):
    element: str = Field(description="Mã số liệu, ví dụ dossiers.received.")
    area: str | None = Field(
        None, description="Mã đơn vị mà số liệu là của; bỏ trống nếu chỉ có một."
    )
    value: Decimal | None = Field(
        description=(
            'Giá trị: số JSON (1495, 98.39) hoặc chuỗi số dạng máy ("1495", "98.39"); '
            "null để xóa số đã nhập. Không dùng dấu phân cách hàng nghìn."
        )
    )

    @field_validator("value", mode="before")
    @classmethod
    def no_ambiguous_number(cls, value: Any) -> Any:
        """ "1.000" means one thousand to a person and 1 to a machine: refused, not guessed."""
        if isinstance(value, str) and ("," in value or _GROUPED.match(value.strip())):
            raise ValueError(
                f"“{value}” không rõ nghĩa: API nhận số dạng máy (1000 hoặc 1000.5), không "
                "dùng dấu phẩy hay dấu chấm phân cách hàng nghìn"
            )
        return value


class FiguresIn(Schema):
    values: list[FigureIn] = Field(
        min_length=1,
        max_length=MAX_FIGURES_PER_CALL,
        description=f"Các số liệu cần lưu (tối đa {MAX_FIGURES_PER_CALL} mỗi lần gửi).",
    )


class SubmitIn(Schema):
    explanation: str = Field(
        "", description="Giải trình, bắt buộc khi số liệu chưa khớp quy tắc kiểm tra."
    )


class SubmissionFilters(Schema):
    period: str | None = Field(None, description=PERIOD_DESCRIPTION)
    state: UpdateState | None = Field(None, description="Chỉ báo cáo ở trạng thái này.")
    unit: str | None = Field(None, description="Chỉ báo cáo của đơn vị có mã này.")


class CommentIn(Schema):
    comment: str = Field("", description="Ý kiến; bắt buộc khi trả lại.")


class UnlockIn(Schema):
    reason: str = Field(description="Lý do mở khóa (được lưu trong lịch sử).")
