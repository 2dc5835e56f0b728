"""Answers to questions in Vietnamese. Every number comes from the same selectors as the
dashboard and the report; a question that cannot be grounded is refused, with what was
understood and questions that can be answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from theodoi.ask import documents, figures, tasks
from theodoi.ask.results import Answer, refusal
from theodoi.ask.vocabulary import vocabulary_for
from theodoi.domain.question import parse
from theodoi.domain.question_terms import Vocabulary
from theodoi.domain.question_words import Kind, Question, Unclear
from theodoi.orgs.selectors import units_visible_to

HANDLERS = {
    Kind.TASKS: tasks.tasks_answer,
    Kind.TASKS_DUE: tasks.tasks_due_answer,
    Kind.LATE_UNITS: tasks.late_units_answer,
    Kind.INDICATORS: tasks.indicators_answer,
    Kind.WHO: tasks.who_answer,
    Kind.FIGURE: figures.figure_answer,
    Kind.TASK_SOURCE: documents.task_source_answer,
    Kind.PLAN_BASIS: documents.plan_basis_answer,
    Kind.NUMBER_SOURCE: documents.number_source_answer,
}


def answer(
    text: str,
    *,
    user: Any | None,
    today: dt.date | None = None,
    previous: Question | None = None,
    vocabulary: Vocabulary | None = None,
) -> Answer:
    """Answer ``text`` for ``user`` (None: the command line, which sees everything) as of
    ``today``; ``previous`` is the question answered just before, for a follow-up."""
    today = today or timezone.localdate()
    text = (text or "").strip()[:500]
    parsed = parse(text, vocabulary or vocabulary_for(user=user), today, previous)
    if isinstance(parsed, Unclear):
        return refusal(text, parsed)
    if parsed.unit is not None and not (
        units_visible_to(user=user).filter(code=parsed.unit.key).exists()
    ):
        return refusal(
            text,
            Unclear(
                f"Bạn không được xem số liệu, nhiệm vụ của {parsed.unit.label}.",
                parsed.understood(),
            ),
        )
    result = HANDLERS[parsed.kind](parsed, user=user, today=today)
    if isinstance(result, Unclear):
        return refusal(text, Unclear(result.reason, parsed.understood(), result.suggestions))
    result.question = text
    result.understood = parsed.understood()
    result.parsed = parsed
    return result


def context_of(
    asked: list[str], *, user: Any | None, today: dt.date, vocabulary: Vocabulary | None = None
) -> Question | None:
    """The question a conversation stands at after ``asked`` (earliest first): each one read
    as a follow-up of those before."""
    vocabulary = vocabulary or vocabulary_for(user=user)
    previous = None
    for text in asked:
        parsed = parse(text, vocabulary, today, previous)
        if isinstance(parsed, Question):
            previous = parsed
    return previous
