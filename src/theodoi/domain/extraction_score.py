"""Recall and precision of figure extraction against a hand-written answer key."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from theodoi.domain.extraction import ExtractedFigure


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    period_agrees: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[ExtractedFigure] = field(default_factory=list)  # known element, wrong value
    extra: list[ExtractedFigure] = field(default_factory=list)  # element not in the key

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        correct = self.found - len(self.wrong) - len(self.extra)
        return correct / self.found if self.found else 1.0


def _period(value: Any) -> tuple[str | None, str | None] | None:
    if not value:
        return None
    return tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in value)  # type: ignore[return-value]


def score(key: list[dict[str, Any]], found: list[ExtractedFigure]) -> Score:
    """A key figure is found when a figure has its element and value; a repeated statement
    counts once on both sides. A found figure whose element the key has, with a value the key
    does not give that element, is *wrong*; one whose element the key lacks is *extra*."""
    expected = {(k["element"], Decimal(str(k["value"]))): k for k in key}
    result = Score(expected=len(expected))
    seen: set[tuple[str, Decimal]] = set()
    elements = {e for e, _ in expected}
    for figure in found:
        pair = (figure.element, Decimal(figure.value))
        if pair in seen:
            continue
        seen.add(pair)
        result.found += 1
        if pair in expected:
            result.matched += 1
            if _period(expected[pair].get("period")) == _period(figure.period):
                result.period_agrees += 1
        elif figure.element in elements:
            result.wrong.append(figure)
        else:
            result.extra.append(figure)
    result.missed = [k for pair, k in expected.items() if pair not in seen]
    return result
