"""What an answer holds: one sentence, the rows behind it, how it was computed, the sources,
and the time it was computed; or a refusal with what was understood."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from theodoi.domain.question_words import EXAMPLES, Question, Unclear


@dataclass(frozen=True)
class Row:
    """One row behind an answer, with a link to it; ``key`` names it for checking (a task or
    indicator code, a unit code, a document symbol)."""

    cells: tuple[str, ...]
    url: str = ""
    key: str = ""


@dataclass(frozen=True)
class Source:
    """Where a figure was taken from: a document and the line quoted, or who entered it."""

    label: str
    url: str = ""
    quote: str = ""


@dataclass
class Answer:
    """The answer to one question."""

    sentence: str
    question: str = ""  # as asked, and what was understood: set by the dispatcher
    understood: str = ""
    value: Decimal | None = None  # the number answered, if the answer is one
    missing: bool = False  # the figure asked for has no value for the period
    compared: Decimal | None = None  # the value of the period compared with, if any
    columns: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    as_of: dt.datetime = field(default_factory=timezone.now)
    refused: bool = False
    suggestions: tuple[str, ...] = ()
    illustrative: bool = False
    parsed: Question | None = None

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.rows if r.key]


def refusal(text: str, unclear: Unclear) -> Answer:
    """An honest "không trả lời được": why, what was understood, what can be asked."""
    return Answer(
        question=text,
        understood=unclear.understood,
        sentence="Chưa trả lời được: " + unclear.reason,
        refused=True,
        suggestions=unclear.suggestions or EXAMPLES[:5],
    )


def value_source(value: Any) -> Source:
    """Where a stored figure comes from: the document and its quoted line, illustrative data
    (said so), or the unit and person who entered it."""
    name = value.element.name
    if value.is_illustrative:
        return Source(f"{name}: dữ liệu minh họa (không phải số liệu thật)")
    if value.source_document_id:
        line = f", dòng {value.source_line}" if value.source_line else ""
        return Source(
            f"{name}: {value.source_document}{line}",
            reverse("web:document_detail", args=[value.source_document_id]),
            value.source_quote,
        )
    person = value.entered_by
    who = (person.get_full_name() or person.username) if person else "không rõ người nhập"
    return Source(f"{name}: {value.org_unit.name} nhập ({who}), kỳ {value.period.label}")
