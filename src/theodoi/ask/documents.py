"""Answers about documents: which document assigns a task, what a plan implements, which
documents state a number — each with the line quoted from the document's text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse

from theodoi.ask.results import Answer, Row, Source, value_source
from theodoi.documents.models import Document
from theodoi.documents.selectors import documents_visible_to
from theodoi.domain.formatting import format_date, format_number
from theodoi.domain.question_words import Question, Unclear
from theodoi.plans.models import Task
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.models import DataValue
from theodoi.progress.selectors.tasks import counted_values


def _document_row(document: Document, key: str | None = None) -> Row:
    return Row(
        (
            str(document),
            document.issuer,
            format_date(document.issued_on) if document.issued_on else "",
            document.subject,
        ),
        reverse("web:document_detail", args=[document.pk]),
        key or document.key,
    )


DOCUMENT_COLUMNS = ("Văn bản", "Cơ quan ban hành", "Ngày", "Trích yếu")


def _line(text: str, number: int | None) -> str:
    if not number or not text:
        return ""
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def task_source_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """The plan (document) that assigns the task, and the upstream document it carries out."""
    tasks = list(
        Task.objects.filter(
            plan__in=plans_visible_to(user=user), code__iexact=question.task_code
        ).select_related("plan__document", "upstream_document")
    )
    rows, sources = [], []
    for task in tasks:
        document = task.plan.document
        rows.append(_document_row(document))
        quote = _line(document.full_text, task.source_line)
        sources.append(
            Source(
                f"{document}, nhiệm vụ {task.code}"
                + (f", dòng {task.source_line}" if task.source_line else ""),
                reverse("web:task_detail", args=[task.pk]),
                quote,
            )
        )
        if task.upstream_document is not None:
            rows.append(_document_row(task.upstream_document))
    names = "; ".join(str(t.plan.document) for t in tasks)
    sentence = f"Nhiệm vụ {question.task_code} được giao tại {names}."
    upstream = [t for t in tasks if t.upstream_document is not None]
    if upstream:
        sentence += (
            " Nhiệm vụ này thực hiện "
            + "; ".join(
                f"nhiệm vụ {t.upstream_code or ''} của {t.upstream_document}".replace("  ", " ")
                for t in upstream
            )
            + "."
        )
    return Answer(
        sentence=sentence,
        columns=DOCUMENT_COLUMNS,
        rows=rows,
        method=[
            "Văn bản của kế hoạch chứa nhiệm vụ có mã đã hỏi, và văn bản cấp trên nhiệm vụ "
            "đó thực hiện (nếu kế hoạch ghi)."
        ],
        sources=sources,
    )


def plan_basis_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """The documents a plan implements (its "căn cứ")."""
    plans = [
        plan for plan in plans_visible_to(user=user) if plan.document.symbol == question.plan.key
    ]
    if not plans:
        return Unclear(f"Không có kế hoạch {question.plan.label} trong phạm vi bạn được xem.")
    plan = plans[0]
    implemented = list(plan.implements.order_by("issued_on", "symbol"))
    rows = [_document_row(d) for d in implemented]
    sentence = (
        f"{plan.document} căn cứ vào {len(rows)} văn bản: "
        + "; ".join(str(d) for d in implemented)
        + "."
        if rows
        else f"{plan.document} chưa ghi văn bản căn cứ nào."
    )
    return Answer(
        sentence=sentence,
        columns=DOCUMENT_COLUMNS,
        rows=rows,
        method=["Các văn bản kế hoạch ghi là căn cứ (thực hiện), như đã nhập từ văn bản gốc."],
        sources=[
            Source(str(plan.document), reverse("web:document_detail", args=[plan.document.pk]))
        ],
    )


def number_source_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """The documents that state the number: figures taken from them with their quoted line,
    and lines of their text where the number is written as Vietnamese writes it."""
    number = question.number
    visible = documents_visible_to(user=user)
    rows: dict[int, Row] = {}
    sources: list[Source] = []
    values = counted_values(
        DataValue.objects.filter(value=number, source_document__in=visible)
    ).select_related("source_document", "element", "org_unit", "period", "entered_by")
    for value in values:
        document = value.source_document
        rows.setdefault(document.pk, _document_row(document))
        sources.append(value_source(value))
    written = {question.number_text, format_number(number, _places(number))}
    pattern = re.compile(
        r"(?<![\d.,])(" + "|".join(re.escape(w) for w in written if w) + r")(?![\d]|[.,]\d)"
    )
    for document in visible.exclude(full_text="").only(
        "id", "symbol", "doc_type", "issuer", "issued_on", "subject", "full_text", "key"
    ):
        for number_line, text in enumerate(document.full_text.splitlines(), start=1):
            if pattern.search(text):
                rows.setdefault(document.pk, _document_row(document))
                quote = text.strip()
                if not any(s.quote == quote for s in sources):
                    sources.append(
                        Source(
                            f"{document}, dòng {number_line}",
                            reverse("web:document_detail", args=[document.pk]),
                            quote[:300],
                        )
                    )
    shown = format_number(number, _places(number))
    if not rows:
        sentence = f"Không có văn bản nào (trong phạm vi bạn được xem) nêu con số {shown}."
    else:
        sentence = (
            f"Có {len(rows)} văn bản nêu con số {shown}: "
            + "; ".join(r.cells[0] for r in rows.values())
            + "."
        )
    return Answer(
        sentence=sentence,
        columns=DOCUMENT_COLUMNS,
        rows=list(rows.values()),
        method=[
            f"Số liệu đã trích từ văn bản có giá trị {shown}, và các dòng toàn văn viết con số "
            f"“{shown}” (không tính khi nó là một phần của số khác)."
        ],
        sources=sources,
    )


def _places(number) -> int:
    """Decimal places of ``number`` as written (0 for a whole number)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
