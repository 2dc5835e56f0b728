"""What every block renderer receives and returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from theodoi.domain.patterns import HouseStyle, PatternError, render_pattern
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.reports.facts import ReportFacts

# How a block says, in the draft and the document, that something a person must write or
# enter is not there yet: in brackets, like a missing figure, so nobody takes it for a fact.
MISSING_TEXT = "[chưa có nội dung: {what}]"


@dataclass
class BlockContext:
    """The report being assembled: whose, for which period and plans, as of when, in which
    house style, with the figures its patterns may ask for."""

    unit: OrgUnit
    period: DomainPeriod
    plans: list[Plan]
    as_of: dt.date
    user: Any | None
    profile: dict[str, Any]
    style: HouseStyle
    facts: ReportFacts
    next_period: DomainPeriod | None
    next_label: str
    context: dict[str, str] = field(default_factory=dict)

    def plans_named(self, symbols: list[str] | None) -> list[Plan]:
        """The report's plans, or those of ``symbols`` among them (in the order given)."""
        if not symbols:
            return list(self.plans)
        by_symbol = {p.document.symbol: p for p in self.plans}
        extra = Plan.objects.filter(document__symbol__in=symbols).select_related("document")
        by_symbol.update(
            {p.document.symbol: p for p in extra if p.document.symbol not in by_symbol}
        )
        return [by_symbol[s] for s in symbols if s in by_symbol]

    def pattern(self, text: str) -> str:
        """A text block's pattern, which may name the period and unit but no figure."""
        return render_pattern(text, facts=self.facts, style=self.style, context=self.context).text


@dataclass
class RenderedBlock:
    """A block as the report shows it."""

    kind: str
    heading: str
    paragraphs: list[str]
    figures: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    illustrative: bool = False
    error: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # Nothing to say means nothing to print, heading included (a roll-up of units below for
    # a unit with none; a block the outline marks ``if_empty: omit``).
    omit_if_empty: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "heading": self.heading,
            "paragraphs": self.paragraphs,
            "figures": self.figures,
            "missing": self.missing,
            "omitted": self.omitted,
            "illustrative": self.illustrative,
            "error": self.error,
            "data": self.data,
            "omit_if_empty": self.omit_if_empty,
        }


__all__ = ["MISSING_TEXT", "BlockContext", "PatternError", "RenderedBlock"]
