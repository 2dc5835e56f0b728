"""``theodoi bench ask``: the question set (``data/questions.yaml``) asked of the database, each
answer checked against the answer the data and the rules give — computed here from the models
and the dashboard's rules with the filters the set writes down, never from the answer itself.

Each question is asked as written, in its other spellings (``also``) and without diacritics.
An answer is right when every checked part agrees; wrong when it states something the
expected answer does not (a number where a refusal was due counts as wrong); a refusal where
an answer was due is counted apart. Target: 0 wrong, ≥ 95 % right, each under 300 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from theodoi.ask.answers import answer, context_of
from theodoi.domain import periods as p
from theodoi.domain.formatting import round_half_up, share_percent
from theodoi.domain.text import fold

ACCURACY_TARGET = 0.95
SECONDS_TARGET = 0.300


@dataclass
class Case:
    """One question to ask: its text, the questions before it, and what it should answer."""

    text: str
    follows: list[str]
    expect: dict[str, Any]


@dataclass
class Outcome:
    case: Case
    verdict: str  # "right", "wrong", "refused"
    seconds: float
    detail: str = ""


@dataclass
class Result:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)

    @property
    def accuracy(self) -> float:
        return self.count("right") / len(self.outcomes) if self.outcomes else 0.0

    @property
    def unfolded(self) -> int:
        return sum(o.case.text == fold(o.case.text) for o in self.outcomes)


def load(path: Path) -> tuple[dt.date, list[Case]]:
    """The set's day and its cases: every question, its other spellings, and each without
    diacritics."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for item in raw["questions"]:
        texts = [item["q"], *(item.get("also") or [])]
        texts += [fold(t) for t in texts if fold(t) != t]
        for text in dict.fromkeys(texts):
            cases.append(Case(text, list(item.get("follows") or []), item["expect"]))
    return raw["today"], cases


# ---------------------------------------------------------------------------- the oracle
def _plans():
    from theodoi.plans.models import Plan

    return list(Plan.objects.select_related("document", "owner_unit"))


def _in_unit(task, code: str | None) -> bool:
    from theodoi.orgs.models import OrgUnit

    if not code:
        return True
    return task.reporting_unit.path.startswith(OrgUnit.objects.get(code=code).path)


def _tasks(spec: dict) -> dict:
    from theodoi.progress.selectors.tasks import task_rows

    keys = set()
    for plan in _plans():
        for row in task_rows(plan=plan, as_of=spec["at"], user=None):
            if spec.get("status") and row.status.value not in spec["status"]:
                continue
            if _in_unit(row.task, spec.get("unit")):
                keys.add(f"{plan.document.symbol}#{row.task.code}")
    return {"value": Decimal(len(keys)), "keys": keys}


def _due(spec: dict) -> dict:
    from theodoi.progress.selectors.tasks import task_rows

    keys = set()
    for plan in _plans():
        for row in task_rows(plan=plan, as_of=spec["to"], user=None):
            due = row.task.deadline.due
            if due and spec["from"] <= due <= spec["to"] and _in_unit(row.task, spec.get("unit")):
                keys.add(f"{plan.document.symbol}#{row.task.code}")
    return {"value": Decimal(len(keys)), "keys": keys}


def _late(spec: dict, today: dt.date) -> dict:
    from theodoi.orgs.models import Membership, Role
    from theodoi.progress.models import Submission, UpdateState

    period = p.parse_period(spec["period"])
    due = p.report_due(period.end, period.basis)
    reporting = set(
        Membership.objects.filter(role=Role.REPORTER).values_list("org_unit__code", flat=True)
    ) | set(Submission.objects.values_list("org_unit__code", flat=True))
    sent = set(
        Submission.objects.filter(
            period__code=period.code,
            state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED],
        ).values_list("org_unit__code", flat=True)
    )
    from theodoi.orgs.models import OrgUnit

    keys = {u.code for u in OrgUnit.objects.filter(code__in=reporting - sent) if u.is_valid_on(due)}
    return {"value": Decimal(len(keys)), "keys": keys}


def _indicators(spec: dict) -> dict:
    from theodoi.progress.selectors.tasks import indicator_rows

    keys = set()
    for plan in _plans():
        for row in indicator_rows(plan=plan, as_of=spec["at"], user=None):
            lead = row.indicator.lead_unit
            if spec.get("unit") and (lead is None or lead.code != spec["unit"]):
                continue
            if spec.get("year") and row.evaluation.milestone_year != spec["year"]:
                continue
            if spec.get("status") and row.evaluation.status.value not in spec["status"]:
                continue
            keys.add(f"{plan.document.symbol}#{row.indicator.code}")
    return {"value": Decimal(len(keys)), "keys": keys}


def _who_indicator(words: list[str]) -> dict:
    from theodoi.plans.models import Indicator

    keys = {
        i.lead_unit.code
        for i in Indicator.objects.select_related("lead_unit")
        if i.lead_unit and all(fold(w) in fold(i.name) for w in words)
    }
    return {"keys": keys, "refuse": not keys}


def _figure_value(element: str, spec: dict) -> Decimal | None:
    from theodoi.orgs.models import OrgUnit
    from theodoi.progress.models import DataValue
    from theodoi.progress.selectors.figures import figures_for
    from theodoi.progress.selectors.tasks import counted_values

    unit = OrgUnit.objects.get(code=spec["unit"])
    if spec.get("from"):
        found = figures_for(
            unit=unit, start=spec["from"], end=spec["to"], codes=[element], user=None
        )
        return found[element].value if element in found else None
    latest = (
        counted_values(
            DataValue.objects.filter(
                org_unit=unit, element__code=element, breakdown="", period__end__lte=spec["at"]
            )
        )
        .order_by("period__end", "period__start", "pk")
        .last()
    )
    return latest.value if latest else None


def _figure(spec: dict) -> dict:
    if spec.get("missing"):
        return {"missing": True}
    value = spec.get("value")
    if value is None:
        value = _figure_value(spec["element"], spec)
    return {"value": Decimal(str(value)) if value is not None else None, "missing": value is None}


def _ratio(spec: dict) -> dict:
    if spec.get("value") is not None:
        return {"value": Decimal(str(spec["value"]))}
    top = _figure_value(spec["numerator"], spec)
    bottom = _figure_value(spec["denominator"], spec)
    if top is None or bottom is None or not bottom:
        return {"missing": True}
    return {"value": share_percent(top, bottom)}


def _documents_of_tasks(code: str) -> dict:
    from theodoi.plans.models import Task

    keys = set()
    for task in Task.objects.filter(code=code).select_related("plan__document"):
        keys.add(task.plan.document.key)
        if task.upstream_document_id:
            keys.add(task.upstream_document.key)
    return {"keys": keys, "refuse": not keys}


def _plan_basis(symbol: str) -> dict:
    from theodoi.plans.models import Plan

    plan = Plan.objects.filter(document__symbol=symbol).first()
    return {"keys": {d.key for d in plan.implements.all()}} if plan else {"refuse": True}


def _number_source(number: Any) -> dict:
    from theodoi.documents.models import Document
    from theodoi.domain.formatting import format_number
    from theodoi.progress.models import DataValue

    value = Decimal(str(number))
    keys = set(
        DataValue.objects.filter(value=value, source_document__isnull=False).values_list(
            "source_document__key", flat=True
        )
    )
    written = format_number(value, 0 if value == value.to_integral_value() else 2)
    keys |= set(Document.objects.filter(full_text__contains=written).values_list("key", flat=True))
    return {"keys": keys, "value": None}


def expected(spec: dict, today: dt.date) -> dict:
    """What the answer must say, from the data and the rules."""
    if spec.get("refuse"):
        return {"refuse": True}
    if "tasks" in spec:
        return _tasks(spec["tasks"])
    if "due" in spec:
        return _due(spec["due"])
    if "late" in spec:
        return _late(spec["late"], today)
    if "indicators" in spec:
        return _indicators(spec["indicators"])
    if "who_task" in spec:
        return _documents_or_lead(spec["who_task"])
    if "who_indicator" in spec:
        return _who_indicator(spec["who_indicator"])
    if "task_source" in spec:
        return _documents_of_tasks(spec["task_source"])
    if "plan_basis" in spec:
        return _plan_basis(spec["plan_basis"])
    if "number_source" in spec:
        return _number_source(spec["number_source"])
    found = _figure(spec["figure"]) if "figure" in spec else _ratio(spec["ratio"])
    if "compare" in spec:
        base = spec.get("figure") or spec.get("ratio")
        other = {**base, **spec["compare"], "value": None, "missing": False}
        found["compared"] = (_figure(other) if "figure" in spec else _ratio(other)).get("value")
    return found


def _documents_or_lead(code: str) -> dict:
    from theodoi.plans.models import Task

    keys = {
        (t.lead_unit or t.plan.owner_unit).code
        for t in Task.objects.filter(code=code).select_related("lead_unit", "plan__owner_unit")
    }
    return {"keys": keys, "refuse": not keys}


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return round_half_up(a, 2) == round_half_up(b, 2)


def judge(result: Any, want: dict) -> tuple[str, str]:
    """("right" | "wrong" | "refused", why)."""
    if want.get("refuse"):
        return ("right", "") if result.refused else ("wrong", "trả lời câu phải từ chối")
    if result.refused:
        return "refused", result.sentence
    if want.get("missing"):
        if result.missing and result.value is None:
            return "right", ""
        return "wrong", f"phải nói chưa có số liệu, đã trả lời {result.value}"
    if result.missing:
        return "wrong", "nói chưa có số liệu nhưng dữ liệu có"
    if "value" in want and want["value"] is not None and not _same(result.value, want["value"]):
        return "wrong", f"giá trị {result.value}, đúng là {want['value']}"
    if "keys" in want and set(result.keys) != want["keys"]:
        extra = set(result.keys) - want["keys"]
        lacking = want["keys"] - set(result.keys)
        return "wrong", f"thừa {sorted(extra)[:5]}, thiếu {sorted(lacking)[:5]}"
    if "compared" in want and not _same(result.compared, want["compared"]):
        return "wrong", f"kỳ so sánh {result.compared}, đúng là {want['compared']}"
    return "right", ""


def run(path: Path, *, user: Any | None = None) -> Result:
    """Ask every case and judge it."""
    from django.urls import get_resolver

    today, cases = load(path)
    # as in a running server: the URL configuration (used to link every row) is loaded once
    # when the process starts, not by the first question
    get_resolver().url_patterns  # noqa: B018
    result = Result()
    wants: dict[str, dict] = {}
    for case in cases:
        key = repr(case.expect)
        if key not in wants:
            wants[key] = expected(case.expect, today)
        started = time.perf_counter()
        previous = context_of(case.follows, user=user, today=today) if case.follows else None
        got = answer(case.text, user=user, today=today, previous=previous)
        seconds = time.perf_counter() - started
        verdict, why = judge(got, wants[key])
        result.outcomes.append(Outcome(case, verdict, seconds, why))
    return result


def report(result: Result, *, verbose: bool = False) -> list[str]:
    """The figures beside their targets, and every answer that is not right."""
    times = sorted(o.seconds for o in result.outcomes) or [0.0]
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    lines = [
        f"Câu hỏi: {len(result.outcomes)} (không dấu: {result.unfolded})",
        f"Đúng: {result.count('right')} — {result.accuracy * 100:.1f}% (mục tiêu ≥ "
        f"{ACCURACY_TARGET:.0%})".replace(".", ","),
        f"Sai: {result.count('wrong')} (mục tiêu 0)",
        f"Từ chối (lẽ ra trả lời được): {result.count('refused')}",
        f"Thời gian mỗi câu: trung vị {statistics.median(times) * 1000:.0f} ms, p95 "
        f"{p95 * 1000:.0f} ms, lâu nhất {times[-1] * 1000:.0f} ms "
        f"(mục tiêu < {SECONDS_TARGET * 1000:.0f} ms)",
    ]
    for o in result.outcomes:
        if o.verdict != "right" or verbose:
            lines.append(f"  [{o.verdict}] {o.case.text} — {o.detail}")
    return lines
