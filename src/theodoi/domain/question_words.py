"""What a question is and the fixed words questions are asked with: the kinds of question,
a question understood (:class:`Question`) or not (:class:`Unclear`), the words of task and
indicator statuses, and example questions. Used by :mod:`theodoi.domain.question`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from theodoi.domain import periods as p
from theodoi.domain.formatting import lower_first
from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.question_periods import Compare, period_phrase
from theodoi.domain.question_terms import Term
from theodoi.domain.status import TaskStatus


class Kind(StrEnum):
    """What a question asks for."""

    TASKS = "tasks"  # tasks counted or listed by status, unit, period
    TASKS_DUE = "tasks_due"  # tasks whose deadline falls in a period
    LATE_UNITS = "late_units"  # units that have not sent a period's report
    FIGURE = "figure"  # a figure or a share for a unit and period
    INDICATORS = "indicators"  # indicators by evaluation status
    WHO = "who"  # the lead unit of a task, an indicator or a figure
    TASK_SOURCE = "task_source"  # the document that assigns a task
    PLAN_BASIS = "plan_basis"  # the documents a plan implements
    NUMBER_SOURCE = "number_source"  # the documents that state a number


@dataclass(frozen=True)
class Question:
    """A question understood: what is asked and every filter it carries."""

    kind: Kind
    listing: bool = False  # "những … nào", "liệt kê": the rows are the answer
    statuses: tuple[str, ...] = ()
    status_phrase: str = ""
    unit: Term | None = None
    element: Term | None = None
    plan: Term | None = None
    indicator_words: tuple[str, ...] = ()  # folded, for matching
    indicator_phrase: str = ""  # the same words as typed, for showing
    task_code: str = ""
    number: Decimal | None = None
    number_text: str = ""
    period: p.Period | None = None
    compare: Compare | None = None
    compare_with: p.Period | None = None  # the period named after "so với"
    year: int | None = None  # an indicator's milestone year: "không đạt năm 2030"

    def understood(self) -> str:
        """What was understood, in Vietnamese, to show beside the answer."""
        parts = [KIND_LABELS[self.kind]]
        if self.status_phrase:
            parts.append(f"tình trạng “{self.status_phrase}”")
        if self.element is not None:
            parts.append(f"số liệu “{self.element.label}”")
        if self.unit is not None:
            parts.append(f"đơn vị “{self.unit.label}”")
        if self.plan is not None:
            parts.append(f"kế hoạch “{self.plan.label}”")
        if self.task_code:
            parts.append(f"nhiệm vụ {self.task_code}")
        if self.indicator_words:
            shown = self.indicator_phrase or " ".join(self.indicator_words)
            parts.append(f"chỉ tiêu có “{shown}”")
        if self.number_text:
            parts.append(f"con số {self.number_text}")
        if self.period is not None:
            parts.append(f"kỳ: {period_phrase(self.period)}")
        if self.year:
            parts.append(f"mốc năm {self.year}")
        if self.compare is Compare.PREVIOUS:
            parts.append("so với kỳ trước")
        elif self.compare is Compare.LAST_YEAR:
            parts.append("so với cùng kỳ năm trước")
        elif self.compare is Compare.PERIOD and self.compare_with is not None:
            parts.append(f"so với {period_phrase(self.compare_with)}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Unclear:
    """A question not answered: what was understood, why, and questions that can be."""

    reason: str
    understood: str = ""
    suggestions: tuple[str, ...] = ()


KIND_LABELS = {
    Kind.TASKS: "nhiệm vụ theo tình trạng",
    Kind.TASKS_DUE: "nhiệm vụ đến hạn",
    Kind.LATE_UNITS: "đơn vị chưa gửi báo cáo",
    Kind.FIGURE: "số liệu",
    Kind.INDICATORS: "chỉ tiêu theo kết quả đánh giá",
    Kind.WHO: "đơn vị phụ trách",
    Kind.TASK_SOURCE: "văn bản giao nhiệm vụ",
    Kind.PLAN_BASIS: "văn bản làm căn cứ của kế hoạch",
    Kind.NUMBER_SOURCE: "văn bản nêu con số",
}

EXAMPLES = (
    "Bao nhiêu nhiệm vụ quá hạn của Phòng Văn hóa - Xã hội quý I?",
    "Những đơn vị nào chưa gửi báo cáo quý I?",
    "Nhiệm vụ nào đến hạn tháng này?",
    "Tỷ lệ hồ sơ trực tuyến quý I năm 2026",
    "Số tài khoản VNeID đã kích hoạt",
    "Chỉ tiêu nào có nguy cơ không đạt năm 2030?",
    "Văn bản nào giao nhiệm vụ 2.8?",
    "Kế hoạch 96 căn cứ vào văn bản nào?",
    "Báo cáo nào đã nêu số hồ sơ 1.495?",
    "Ai phụ trách chỉ tiêu phủ sóng 5G?",
)

# ------------------------------------------------------------------ the words of questions
# (folded; longer phrases are tried first, so "hoàn thành quá hạn" is not read as "quá hạn")
TASK_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "hoan thanh dung han": ("completed_on_time",),
    "hoan thanh dung tien do": ("completed_on_time",),
    "hoan thanh trong han": ("completed_on_time",),
    "hoan thanh qua han": ("completed_late",),
    "hoan thanh cham": ("completed_late",),
    "hoan thanh tre": ("completed_late",),
    "chua hoan thanh qua han": ("overdue",),
    "chua hoan thanh ma da qua han": ("overdue",),
    "chua hoan thanh da qua han": ("overdue",),
    "chua hoan thanh va qua han": ("overdue",),
    "chua hoan thanh": ("in_progress", "overdue", "not_started"),
    "khong hoan thanh": ("in_progress", "overdue", "not_started"),
    "da hoan thanh": ("completed_on_time", "completed_late"),
    "hoan thanh": ("completed_on_time", "completed_late"),
    "xong dung han": ("completed_on_time",),
    "xong qua han": ("completed_late",),
    "xong": ("completed_on_time", "completed_late"),
    "qua han": ("overdue",),
    "tre han": ("overdue",),
    "cham tien do": ("overdue",),
    "cham": ("overdue",),
    "dang thuc hien trong han": ("in_progress",),
    "dang trien khai trong han": ("in_progress",),
    "dang thuc hien": ("in_progress",),
    "dang trien khai": ("in_progress",),
    "trong han": ("in_progress",),
    "chua trien khai": ("not_started",),
    "chua thuc hien": ("not_started",),
    "chua bat dau": ("not_started",),
}
INDICATOR_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "co nguy co khong dat": ("at_risk", "not_achieved"),
    "nguy co khong dat": ("at_risk", "not_achieved"),
    "co the khong dat": ("at_risk", "not_achieved"),
    "kho dat": ("at_risk", "not_achieved"),
    "nguy co": ("at_risk", "not_achieved"),
    "cham": ("at_risk", "not_achieved"),
    "khong dat": ("not_achieved",),
    # "chưa đạt" is a milestone missed, or everything not achieved yet: asked back
    "chua dat": ("unclear",),
    "chua hoan thanh": ("unclear",),
    "dung lo trinh": ("on_track",),
    "dung tien do": ("on_track",),
    "chua co so lieu": ("no_data",),
    "chua nhap so lieu": ("no_data",),
    "khong co so lieu": ("no_data",),
    "chua bao cao so lieu": ("no_data",),
    "thieu so lieu": ("no_data",),
    "da dat": ("achieved",),
    "dat": ("achieved",),
    "hoan thanh": ("achieved",),
}


def status_label(status: str) -> str:
    """A task or indicator status's name inside a sentence: the domain's own label
    (:mod:`theodoi.domain.status`, :mod:`theodoi.domain.indicators`), lower-case first."""
    if status in TaskStatus.__members__.values():
        return lower_first(TaskStatus(status).label)
    if status in IndicatorStatus.__members__.values():
        return lower_first(IndicatorStatus(status).label)
    return "chưa đạt"  # the reading asked back ("unclear")
