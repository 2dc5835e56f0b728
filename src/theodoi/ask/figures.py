"""Answers about figures and shares: the value the report would state for a unit and period
(``figures_for``, the report's own selector), or the latest one; shares computed from their two
figures, never typed; a comparison with the period before or the same period a year before.
A figure missing for the period is said to be missing, never 0 or an older value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from theodoi.ask.results import Answer, Row, Source, value_source
from theodoi.ask.tasks import unit_of
from theodoi.ask.vocabulary import Ratio, ratio
from theodoi.domain import periods as p
from theodoi.domain.formatting import format_date, format_number, share_percent
from theodoi.domain.question_periods import Compare, compared_period, period_phrase
from theodoi.domain.question_words import Question, Unclear
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.models import DataElement, DataValue
from theodoi.progress.selectors.figures import figures_for
from theodoi.progress.selectors.tasks import VALUE_ORDER, counted_values


@dataclass(frozen=True)
class _Reading:
    """One figure (or share) read for a unit: its value, the span the stored values cover, and
    those values (for their sources)."""

    value: Decimal
    start: dt.date
    end: dt.date
    values: tuple[DataValue, ...]


def default_unit(user: Any) -> OrgUnit | None:
    """The unit a figure is asked for when the question names none: the one unit that owns
    the plans the user sees, else the user's own top unit."""
    owners = {plan.owner_unit_id: plan.owner_unit for plan in plans_visible_to(user=user)}
    visible = units_visible_to(user=user)
    candidates = [u for u in owners.values() if visible.filter(pk=u.pk).exists()]
    if len(candidates) == 1:
        return candidates[0]
    tops = list(visible.order_by("depth", "path")[:2])
    if len(tops) == 1 or (tops and tops[0].depth < tops[1].depth):
        return tops[0]
    return None


def _read(
    codes: list[str], unit: OrgUnit, period: p.Period | None, user: Any, today: dt.date
) -> dict[str, _Reading]:
    if period is not None:
        found = figures_for(unit=unit, start=period.start, end=period.end, codes=codes, user=user)
        return {c: _Reading(f.value, f.start, f.end, f.values) for c, f in found.items()}
    values = (
        counted_values(
            DataValue.objects.filter(
                org_unit=unit, element__code__in=codes, breakdown="", period__end__lte=today
            )
        )
        .select_related("element", "period", "source_document", "entered_by")
        .order_by(*VALUE_ORDER)
    )
    latest: dict[str, DataValue] = {}
    for value in values:
        latest[value.element.code] = value
    return {c: _Reading(v.value, v.period.start, v.period.end, (v,)) for c, v in latest.items()}


def _share(
    share: Ratio, unit: OrgUnit, period: p.Period | None, user: Any, today: dt.date
) -> _Reading | None:
    """numerator / denominator × 100 over the same span; with no period, the latest span where
    both are known."""
    codes = [share.numerator, share.denominator]
    if period is None:
        values = counted_values(
            DataValue.objects.filter(
                org_unit=unit, element__code__in=codes, breakdown="", period__end__lte=today
            )
        ).select_related("element", "period", "source_document", "entered_by")
        spans: dict[tuple, dict[str, DataValue]] = {}
        for value in values:
            spans.setdefault((value.period.start, value.period.end), {})[value.element.code] = value
        complete = sorted((k for k, v in spans.items() if len(v) == 2), key=lambda k: (k[1], k[0]))
        if not complete:
            return None
        start, end = complete[-1]
        pair = spans[(start, end)]
        top, bottom = pair[share.numerator], pair[share.denominator]
        return _ratio_reading(top.value, bottom.value, start, end, (top, bottom))
    found = _read(codes, unit, period, user, today)
    if share.numerator not in found or share.denominator not in found:
        return None
    top, bottom = found[share.numerator], found[share.denominator]
    if (top.start, top.end) != (bottom.start, bottom.end):
        # a numerator and a denominator of different spans make no share
        return None
    return _ratio_reading(top.value, bottom.value, top.start, top.end, top.values + bottom.values)


def _ratio_reading(top, bottom, start, end, values) -> _Reading | None:
    value = share_percent(top, bottom)
    if value is None:
        return None
    return _Reading(value, start, end, tuple(values))


def _format(value: Decimal, unit: str) -> str:
    if unit == "%":
        return format_number(value, 2, strip_zeros=True) + "%"
    places = 0 if value == value.to_integral_value() else 2
    return f"{format_number(value, places, strip_zeros=True)} {unit}".strip()


def _span(reading: _Reading, period: p.Period | None) -> str:
    """The period as asked, and the span the stored values really cover when it is shorter."""
    covered = f"từ {format_date(reading.start)} đến {format_date(reading.end)}"
    if period is None:
        return f"kỳ {covered}"
    if (reading.start, reading.end) != (period.start, period.end):
        return f"{period_phrase(period)} (số liệu có {covered})"
    return period_phrase(period)


def _reporting_period(start: dt.date, end: dt.date) -> p.Period | None:
    """The month, quarter, half-year or year that is exactly [start, end], if one is."""
    for period in (
        p.month_period(end.year, end.month),
        p.quarter_containing(end),
        p.half(end.year, 1 if end.month <= 6 else 2),
        p.year_period(end.year),
    ):
        if (period.start, period.end) == (start, end):
            return period
    return None


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources(values: tuple[DataValue, ...]) -> list[Source]:
    return [value_source(value) for value in values]


def figure_answer(question: Question, *, user: Any, today: dt.date) -> Answer | Unclear:
    """The figure (or share) asked for, for the named unit or the default one."""
    unit = unit_of(question) or default_unit(user)
    if unit is None:
        return Unclear("Chưa rõ số liệu của đơn vị nào: hãy nêu tên đơn vị trong câu hỏi.")
    term = question.element
    share = ratio(term.key)
    if share is None:
        element = DataElement.objects.get(code=term.key)
        measure, label = element.unit, element.name
    else:
        measure, label = "%", share.label

    def read(period: p.Period | None) -> _Reading | None:
        if share is not None:
            return _share(share, unit, period, user, today)
        return _read([term.key], unit, period, user, today).get(term.key)

    reading = read(question.period)
    question_period = question.period
    if question.compare is not None and question.period is None and reading is not None:
        # with no period asked, the latest value's own period — if it is a reporting period
        question_period = _reporting_period(reading.start, reading.end)
        if question_period is None and question.compare is not Compare.PERIOD:
            return Unclear(
                "Số liệu mới nhất không thuộc một kỳ báo cáo (tháng, quý, năm): hãy nêu kỳ "
                "cần so sánh, ví dụ “quý I năm 2026 so với quý trước”."
            )
    method = [
        f"Đơn vị: {unit.name}; kỳ: "
        + (period_phrase(question.period) if question.period else "số liệu mới nhất đã có")
        + ".",
        "Chỉ tính số liệu lấy từ văn bản hoặc đã được phê duyệt; số phát sinh (hồ sơ …) cộng "
        "các kỳ con nằm trong kỳ, số tồn lấy số mới nhất trong kỳ — như báo cáo tính.",
    ]
    if share is not None:
        method.append(
            f"Tỷ lệ tính = {_element_name(share.numerator)} / {_element_name(share.denominator)}"
            " × 100, làm tròn 2 chữ số; không dùng tỷ lệ gõ sẵn."
        )
    rows: list[Row] = []
    if reading is None:
        where = period_phrase(question.period) if question.period else "kỳ nào"
        sentence = f"Chưa có số liệu “{label}” của {unit.name} cho {where}."
        if share is not None and question.period is not None:
            parts = _read([share.numerator, share.denominator], unit, question.period, user, today)
            if len(parts) == 2:
                # both figures are there, over different spans: no share can be made of them
                spans = "; ".join(
                    f"{_element_name(code)} từ {format_date(r.start)} đến {format_date(r.end)}"
                    for code, r in parts.items()
                )
                sentence = (
                    f"Chưa tính được “{label}” của {unit.name} cho {where}: hai số liệu không "
                    f"cùng khoảng thời gian ({spans})."
                )
        return Answer(sentence=sentence, missing=True, method=method)
    value_text = _format(reading.value, measure)
    rows.append(Row((_upper_first(_span(reading, question.period)), value_text), "", "current"))
    sentence = f"{label} của {unit.name} {_span(reading, question.period)}: {value_text}."
    sources = _sources(reading.values)
    compared = None
    if question.compare is not None:
        if question.compare is Compare.PERIOD:
            other_period = question.compare_with
        else:
            other_period = compared_period(question_period, question.compare)
        other = read(other_period)
        word = {
            Compare.PREVIOUS: "kỳ trước",
            Compare.LAST_YEAR: "cùng kỳ năm trước",
            Compare.PERIOD: "kỳ đã nêu",
        }[question.compare]
        method.append(f"So sánh với {word}: {period_phrase(other_period)}.")
        if other is None:
            sentence += f" Chưa có số liệu của {period_phrase(other_period)} để so sánh."
            rows.append(
                Row((_upper_first(period_phrase(other_period)), "chưa có số liệu"), "", "other")
            )
        else:
            rows.append(
                Row(
                    (_upper_first(_span(other, other_period)), _format(other.value, measure)),
                    "",
                    "other",
                )
            )
            sources += _sources(other.values)
            compared = other.value
            sentence += " " + _difference(reading.value, other.value, measure, other_period)
    return Answer(
        sentence=sentence,
        value=reading.value,
        columns=("Kỳ", label),
        rows=rows,
        method=method,
        sources=list(dict.fromkeys(sources)),
        illustrative=any(v.is_illustrative for v in reading.values),
        compared=compared,
    )


def _element_name(code: str) -> str:
    element = DataElement.objects.filter(code=code).first()
    return f"“{element.name}”" if element else code


def _difference(now: Decimal, before: Decimal, measure: str, period: p.Period) -> str:
    change = now - before
    if change == 0:
        return f"Không đổi so với {period_phrase(period)} ({_format(before, measure)})."
    word = "tăng" if change > 0 else "giảm"
    if measure == "%":
        amount = format_number(abs(change), 2, strip_zeros=True) + " điểm phần trăm"
    else:
        amount = _format(abs(change), measure)
        if before:
            amount += f" ({format_number(abs(change) * 100 / before, 1, strip_zeros=True)}%)"
    return f"So với {period_phrase(period)} ({_format(before, measure)}): {word} {amount}."
