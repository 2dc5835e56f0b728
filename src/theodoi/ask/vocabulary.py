"""The vocabulary questions are read with, built from the data the user may see: unit names and
aliases, figure names (and the synonyms of ``words.yaml``), the shares computed from two
figures, plan symbols and task codes. A new unit or figure is askable as soon as it is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from theodoi.domain.question_terms import Term, Vocabulary
from theodoi.domain.text import fold

WORDS_FILE = Path(__file__).with_name("words.yaml")

# words a unit's name starts with that a question may leave out ("phòng", "đặc khu")
_UNIT_GENERIC = re.compile(r"\b(dac khu|cat hai)\b|^\s*(phong|trung tam|van phong)\b")


@dataclass(frozen=True)
class Ratio:
    """A share computed from two figures: numerator / denominator × 100."""

    code: str
    label: str
    numerator: str
    denominator: str


def _phrase(text: str, abbreviations: dict[str, str] | None = None) -> tuple[str, ...]:
    words = re.sub(r"[^\w\s.]", " ", fold(text).replace("-", " ")).split()
    if abbreviations:
        words = " ".join(abbreviations.get(w, w) for w in words).split()
    return tuple(w.strip(".") for w in words if w.strip("."))


@cache
def words() -> dict[str, Any]:
    """``words.yaml``, read once: abbreviations (folded), element synonyms, ratios."""
    raw = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    abbreviations = {
        fold(k): " ".join(_phrase(v)) for k, v in (raw.get("abbreviations") or {}).items()
    }
    ratios = {
        r["code"]: (Ratio(r["code"], r["label"], r["numerator"], r["denominator"]), r["phrases"])
        for r in raw.get("ratios") or []
    }
    return {"abbreviations": abbreviations, "elements": raw.get("elements") or {}, "ratios": ratios}


def ratio(code: str) -> Ratio | None:
    """The share of that code, if it is one."""
    found = words()["ratios"].get(code)
    return found[0] if found else None


def vocabulary_for(*, user: Any | None) -> Vocabulary:
    """Everything the user may ask about, as :class:`theodoi.domain.question.Term` s."""
    from theodoi.orgs.selectors import units_visible_to
    from theodoi.plans.models import Task
    from theodoi.plans.selectors import plans_visible_to
    from theodoi.progress.models import DataElement

    known = words()
    abbreviations = known["abbreviations"]
    terms: list[Term] = []
    # every unit is named (a name is no secret), so that a question about a unit the user may
    # not see is refused as such rather than read as a question about no unit
    for unit in units_visible_to(user=None).only("code", "name", "aliases", "kind"):
        names = [unit.name, *(unit.aliases or [])]
        phrases = {_phrase(n, abbreviations) for n in names}
        # "Phòng Văn hóa - Xã hội" is also "văn hóa xã hội"; "Công an đặc khu" also "công an"
        # without the words every unit shares, only when what is left still names it alone:
        # "văn hóa xã hội" names one office, "kinh tế" or "văn hóa" do not
        phrases |= {
            ph
            for ph in (_phrase(_UNIT_GENERIC.sub("", fold(n)), abbreviations) for n in names)
            if len(ph) >= 3
        }
        if unit.kind == "special_zone":
            phrases.add(("dac", "khu"))  # "của đặc khu": the zone, as its offices say it
        phrases = {ph for ph in phrases if ph}
        terms.append(Term("unit", unit.code, unit.name, tuple(sorted(phrases))))
    synonyms = known["elements"]
    for element in DataElement.objects.only("code", "name", "unit"):
        phrases = {_phrase(element.name, abbreviations)}
        phrases |= {_phrase(s, abbreviations) for s in synonyms.get(element.code, [])}
        terms.append(
            Term(
                "element",
                element.code,
                element.name,
                tuple(sorted(phrases)),
                " ".join(_phrase(element.unit)) if element.unit != "%" else "%",
            )
        )
    for code, (share, phrases) in known["ratios"].items():
        terms.append(
            Term(
                "ratio",
                code,
                share.label,
                tuple(sorted({_phrase(x, abbreviations) for x in [share.label, *phrases]})),
                "%",
            )
        )
    plans = list(plans_visible_to(user=user))
    for plan in plans:
        symbol = plan.document.symbol
        terms.append(Term("plan", symbol, symbol, (_phrase(symbol),)))
    codes = frozenset(
        fold(code)
        for code in Task.objects.filter(plan__in=plans).values_list("code", flat=True).distinct()
    )
    return Vocabulary(tuple(terms), abbreviations, codes)
