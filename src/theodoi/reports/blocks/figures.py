"""Figure sentences: each pattern one paragraph, stating the figures the unit has for the
period (see :mod:`theodoi.domain.patterns`). A sentence whose figures are all missing is left
out of the document and listed as left out; one with some missing says so in brackets."""

from __future__ import annotations

from typing import Any

from theodoi.domain.patterns import render_pattern
from theodoi.reports.blocks.base import BlockContext, RenderedBlock


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    config = block["config"]
    out = RenderedBlock("figures", block.get("heading", ""), [])
    omit_when_empty = config.get("omit_if_missing", True)
    for pattern in config.get("patterns") or []:
        result = render_pattern(pattern, facts=ctx.facts, style=ctx.style, context=ctx.context)
        if not result.text:  # a loop over breakdowns the element has none of: nothing to say
            continue
        if not result.used and result.missing and omit_when_empty:
            out.omitted.append(result.text)
            out.missing += [{"code": c, "name": n} for c, n in result.missing]
            continue
        out.paragraphs.append(result.text)
        out.figures += [
            {
                "code": f.code,
                "name": f.name,
                "value": str(f.value),
                "scope": f.scope,
                "unit": f.org_unit or ctx.unit.code,
                "source": f.source,
                "illustrative": f.illustrative,
            }
            for f in result.used
        ]
        out.missing += [{"code": c, "name": n} for c, n in result.missing]
        out.illustrative |= result.illustrative
    if out.illustrative:
        out.paragraphs.append(
            "(Số liệu trên có phần là dữ liệu minh họa, chưa phải số liệu thật của đơn vị.)"
        )
    return out
