"""Which renderer each block kind has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from theodoi.domain.patterns import PatternError
from theodoi.reports.blocks import counts, documents, figures, narrative, next_tasks, rollup, text
from theodoi.reports.blocks.base import BlockContext, RenderedBlock

RENDERERS: dict[str, Callable[[dict[str, Any], BlockContext], RenderedBlock]] = {
    "text": text.render,
    "figures": figures.render,
    "documents": documents.render,
    "counts": counts.render,
    "narrative": narrative.render,
    "next_tasks": next_tasks.render,
    "rollup": rollup.render,
}


def render_block(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    """The block as the report shows it; a pattern error shows in the draft, in brackets,
    with what is wrong (the outline editor refuses such a pattern in the first place)."""
    kind = block["kind"]
    if kind == "appendix":
        return RenderedBlock("appendix", block.get("heading", ""), [])
    try:
        rendered = RENDERERS[kind](block, ctx)
        rendered.omit_if_empty |= block.get("config", {}).get("if_empty") == "omit"
        return rendered
    except PatternError as error:
        return RenderedBlock(
            kind,
            block.get("heading", ""),
            [f"[lỗi mẫu câu: {error}]"],
            error=str(error),
        )
