"""Reading the figures a report states, clean or OCR'd.

Every number in the text is a candidate. A figure is kept only when the words around it say
what it counts: the *family* (dossiers, procedures, certificates, tasks …) from the unit after
the number or the clause it sits in (or the item that introduced that clause), and the
*qualifier* (received, online, completed …) from the words between the previous number and
this one — the label a report writes before a figure ("Số hồ sơ đã giải quyết: 4.998") — or
the verb it follows ("đã hoàn thành 29 nhiệm vụ"). A number with no family or no qualifier is
left out: a missed figure costs a reviewer a minute, a wrong one costs trust.

All matching is on OCR-tolerant keys (``domain/ocr.py``), so the phrases (:mod:`.vocabulary`)
are written in plain Vietnamese and also find "ho so truc tuyén" or "Chtng thu s".
"""

from __future__ import annotations

from theodoi.domain.extraction import ExtractedFigure
from theodoi.domain.figures.prose import FigureReader
from theodoi.domain.figures.vocabulary import CATALOGUE, SCOPE_LABELS, STOCKS
from theodoi.domain.reading import Reading

__all__ = ["CATALOGUE", "SCOPE_LABELS", "STOCKS", "FigureReader", "read_figures"]


def read_figures(text: str) -> list[ExtractedFigure]:
    """Every catalogue figure ``text`` states, in order."""
    return FigureReader(Reading(text)).figures()
