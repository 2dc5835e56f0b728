"""Checking a document's own arithmetic: what the text lets one recompute.

- Shares stated beside their counts: "đã hoàn thành 29 nhiệm vụ (chiếm 56%)" of 52 assigned;
  "trực tuyến một phần: 78,4%" of the three modes' total.
- Parts against stated totals: the equalities among the built-in validation rules
  (``domain/rules.py``: dossiers by channel and by outcome, procedures by mode).
- "x/y (z%)" written together: "316/316 tài khoản … đạt tỷ lệ 100%".

A stated share is right when it is the exact share rounded to the places it is written with
(56% for 55,77%; 98,39% for 98,3896%); cutting digits off is not rounding (1,5% for 1,576% is
wrong). Each mismatch becomes a ``Finding`` with both numbers and the quoted text.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from theodoi.domain.extraction import ExtractedFigure, Finding
from theodoi.domain.formatting import format_number
from theodoi.domain.ocr import decimals_stated, parse_number
from theodoi.domain.reading import Reading
from theodoi.domain.rules import BUILTIN_RULES, Expression, Operator

# rate element → (numerator, denominator) as expressions over element codes
SHARES: dict[str, tuple[str, str]] = {
    "dossiers.online_rate": ("dossiers.online", "dossiers.received"),
    "executed.full_online_rate": (
        "executed.full_online",
        "executed.full_online + executed.partial_online + executed.direct",
    ),
    "executed.partial_online_rate": (
        "executed.partial_online",
        "executed.full_online + executed.partial_online + executed.direct",
    ),
    "executed.direct_rate": (
        "executed.direct",
        "executed.full_online + executed.partial_online + executed.direct",
    ),
    "tasks.completed_rate": ("tasks.completed", "tasks.assigned"),
    "tasks.in_progress_rate": ("tasks.in_progress", "tasks.assigned"),
    "vneid.orgs.registered_rate": ("vneid.orgs.registered", "vneid.orgs.total"),
}
NEARBY_LINES = 40  # how far from a share its counts may be stated


def places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounds_to(exact: Decimal, stated: Decimal, decimals: int) -> bool:
    """Whether ``stated`` is ``exact`` rounded to ``decimals`` places (half up)."""
    step = Decimal(1).scaleb(-decimals)
    return exact.quantize(step, rounding=ROUND_HALF_UP) == stated.quantize(step)


def _fmt(value: Decimal, decimals: int | None = None) -> str:
    return format_number(value, places(value) if decimals is None else decimals)


SectionOf = Callable[[int], int] | None  # line → the line of the heading it falls under


def _nearest(
    figures: list[ExtractedFigure], code: str, around: ExtractedFigure, section_of: SectionOf
) -> ExtractedFigure | None:
    """The figure for ``code`` with the same scope stated nearest to ``around``, under the
    same heading when the text has headings."""
    same = [
        f
        for f in figures
        if f.element == code
        and f.scope == around.scope
        and abs(f.line - around.line) <= NEARBY_LINES
        and (section_of is None or section_of(f.line) == section_of(around.line))
    ]
    return min(same, key=lambda f: abs(f.line - around.line), default=None)


def _evaluate(
    expression: Expression,
    figures: list[ExtractedFigure],
    around: ExtractedFigure,
    section_of: SectionOf,
) -> tuple[Decimal | None, list[ExtractedFigure]]:
    used = {code: _nearest(figures, code, around, section_of) for code in expression.codes}
    if any(f is None for f in used.values()):
        return None, []
    values = {code: f.value for code, f in used.items() if f is not None}
    return expression.evaluate(values), [f for f in used.values() if f is not None]


def check_shares(figures: list[ExtractedFigure], section_of: SectionOf = None) -> list[Finding]:
    findings = []
    for share in figures:
        if share.element not in SHARES:
            continue
        numerator_text, denominator_text = SHARES[share.element]
        numerator, used_n = _evaluate(Expression.parse(numerator_text), figures, share, section_of)
        denominator, used_d = _evaluate(
            Expression.parse(denominator_text), figures, share, section_of
        )
        if numerator is None or not denominator:
            continue
        exact = numerator / denominator * 100
        decimals = places(share.value)
        if rounds_to(exact, share.value, decimals):
            continue
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        findings.append(
            Finding(
                kind="share_mismatch",
                message=(
                    f"Tỷ lệ {_fmt(share.value)}% (dòng {share.line}) không khớp với số đếm: "
                    f"{_fmt(numerator)}/{_fmt(denominator)} = {_fmt(exact, decimals + 2)}%, "
                    f"làm tròn {decimals} chữ số thập phân là {_fmt(rounded, decimals)}%."
                ),
                line=share.line,
                quotes=_quotes([share, *used_n, *used_d]),
                stated=share.value,
                computed=exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
            )
        )
    return findings


def check_totals(figures: list[ExtractedFigure], section_of: SectionOf = None) -> list[Finding]:
    """Parts against their stated totals, with the equalities of the built-in rules."""
    findings = []
    seen: set[tuple] = set()
    for rule in BUILTIN_RULES:
        if rule.operator is not Operator.EQ:
            continue
        for total in figures:
            if total.element not in rule.right.codes:
                continue
            parts, used_parts = _evaluate(rule.left, figures, total, section_of)
            whole, used_whole = _evaluate(rule.right, figures, total, section_of)
            if parts is None or whole is None or parts == whole:
                continue
            key = (rule.code, tuple(sorted((f.element, f.line) for f in used_parts + used_whole)))
            if key in seen:
                continue
            seen.add(key)
            left = " + ".join(_fmt(f.value) for f in used_parts)
            findings.append(
                Finding(
                    kind="total_mismatch",
                    message=(
                        f"Các phần cộng lại không bằng tổng (dòng {total.line}): {left} = "
                        f"{_fmt(parts)}, văn bản ghi tổng {_fmt(whole)}."
                    ),
                    line=total.line,
                    quotes=_quotes(used_parts + used_whole),
                    stated=whole,
                    computed=parts,
                )
            )
    return findings


def check_ratios(reading: Reading) -> list[Finding]:
    """ "x/y" followed closely by a percentage: the percentage must be x/y rounded."""
    findings = []
    toks = reading.tokens
    for i in range(len(toks) - 2):
        a, slash, b = toks[i], toks[i + 1], toks[i + 2]
        if not (
            a.kind == "number"
            and slash.text == "/"
            and b.kind == "number"
            and a.end == slash.start
            and slash.end == b.start
        ):
            continue
        x, y = parse_number(a.text), parse_number(b.text)
        if x is None or not y or x > y * 10:
            continue
        for j in range(i + 3, min(i + 14, len(toks) - 1)):
            t = toks[j]
            if t.kind == "number" and toks[j + 1].text == "%":
                z = parse_number(t.text)
                if z is None:
                    break
                decimals = decimals_stated(t.text)
                exact = x / y * 100
                if not rounds_to(exact, z, decimals):
                    findings.append(
                        Finding(
                            kind="ratio_mismatch",
                            message=(
                                f"{a.text}/{b.text} = {_fmt(exact, decimals + 2)}%, văn bản ghi "
                                f"{t.text}% (dòng {reading.token_lines[j]})."
                            ),
                            line=reading.token_lines[i],
                            quotes=[reading.quote(i, j + 1)],
                            stated=z,
                            computed=exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
                        )
                    )
                break
            if t.kind == "number" or t.text in (";", "."):
                break
    return findings


def _quotes(figures: list[ExtractedFigure]) -> list[str]:
    out: list[str] = []
    for f in sorted(figures, key=lambda f: f.line):
        quote = f"dòng {f.line}: “{f.quote}”"
        if quote not in out:
            out.append(quote)
    return out


def check_document(reading: Reading, figures: list[ExtractedFigure]) -> list[Finding]:
    """Every arithmetic mismatch the text lets one find, in line order."""
    findings = (
        check_shares(figures, reading.section_of)
        + check_totals(figures, reading.section_of)
        + check_ratios(reading)
    )
    return sorted(findings, key=lambda f: (f.line or 0, f.kind))
