"""The question set (data/questions.yaml) asked of the Cát Hải dataset: every answer checked
against what the data and the rules give (``theodoi.bench.ask``), none wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from theodoi.ask.results import Answer, Row
from theodoi.bench.ask import judge, load, run

QUESTIONS = Path(__file__).resolve().parents[2] / "data" / "questions.yaml"
REVIEW = QUESTIONS.with_name("questions-review.yaml")


def test_question_set_is_large_and_half_without_diacritics():
    _, cases = load(QUESTIONS)
    assert len(cases) >= 150
    plain = [c for c in cases if c.text.isascii()]
    assert len(plain) * 2 >= len(cases)
    assert sum(bool(c.expect.get("refuse")) for c in cases) >= 10


@pytest.mark.django_db
@pytest.mark.parametrize("questions", [QUESTIONS, REVIEW], ids=["questions", "review"])
def test_every_question_answered_right_and_none_wrong(dataset, questions):
    result = run(questions)
    wrong = [f"{o.case.text}: {o.detail}" for o in result.outcomes if o.verdict == "wrong"]
    assert wrong == []
    assert result.accuracy >= 0.95, [o.case.text for o in result.outcomes if o.verdict != "right"]


def _answer(**kwargs) -> Answer:
    return Answer(question="q", understood="", sentence="s", **kwargs)


def test_judge_counts_a_number_where_a_refusal_was_due_as_wrong():
    assert judge(_answer(value=Decimal(3)), {"refuse": True})[0] == "wrong"
    assert judge(_answer(refused=True), {"refuse": True})[0] == "right"


def test_judge_counts_a_refusal_apart_from_a_wrong_answer():
    assert judge(_answer(refused=True), {"value": Decimal(3)})[0] == "refused"


def test_judge_checks_value_rows_missing_and_compared():
    assert judge(_answer(value=Decimal(4)), {"value": Decimal(3)})[0] == "wrong"
    assert judge(_answer(value=Decimal("98.385")), {"value": Decimal("98.39")})[0] == "right"
    rows = [Row(("a",), key="X"), Row(("b",), key="Y")]
    assert judge(_answer(rows=rows), {"keys": {"X"}})[0] == "wrong"
    assert judge(_answer(rows=rows), {"keys": {"X", "Y"}})[0] == "right"
    assert judge(_answer(value=Decimal(0)), {"missing": True})[0] == "wrong"
    assert judge(_answer(missing=True), {"missing": True})[0] == "right"
    assert judge(_answer(missing=True), {"value": Decimal(0)})[0] == "wrong"
    assert (
        judge(
            _answer(value=Decimal(1), compared=Decimal(2)),
            {"value": Decimal(1), "compared": Decimal(3)},
        )[0]
        == "wrong"
    )
