"""A block of paragraphs written once (standing sentences, an opening), which may name the
period and the unit ({{ ky }}, {{ don_vi }}) but states no figure."""

from __future__ import annotations

from typing import Any

from theodoi.reports.blocks.base import MISSING_TEXT, BlockContext, RenderedBlock


def render(block: dict[str, Any], ctx: BlockContext) -> RenderedBlock:
    config = block["config"]
    paragraphs = [ctx.pattern(text) for text in config.get("paragraphs") or []]
    out = RenderedBlock("text", block.get("heading", ""), [p for p in paragraphs if p])
    if not out.paragraphs and config.get("placeholder"):
        # Something a person writes (the next issue gives it its editor): said as missing.
        out.paragraphs.append(MISSING_TEXT.format(what=config["placeholder"]))
        out.missing.append({"code": "text", "name": config["placeholder"]})
    return out
