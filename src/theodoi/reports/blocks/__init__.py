"""The blocks a report outline is made of, each turned into paragraphs from the data.

Every block kind has one module and one ``render(block, ctx)`` that returns a
:class:`RenderedBlock`: its heading, its paragraphs, and what a reader of the draft needs
beside them (the figures stated with their sources, those missing, sentences left out).
Nothing here writes; counts come from the selectors the dashboard uses.
"""

from __future__ import annotations

from theodoi.reports.blocks.base import BlockContext, RenderedBlock
from theodoi.reports.blocks.registry import render_block

__all__ = ["BlockContext", "RenderedBlock", "render_block"]
