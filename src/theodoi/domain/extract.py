"""Reading one document's text: its header, its catalogue figures and its arithmetic."""

from __future__ import annotations

from collections.abc import Iterable

from theodoi.domain.arithmetic import check_document
from theodoi.domain.extraction import Extraction
from theodoi.domain.figures import FigureReader
from theodoi.domain.header import read_header
from theodoi.domain.reading import Reading


def extract(text: str, *, lexicon: Iterable[str] = ()) -> Extraction:
    """Everything ``text`` states that the system reads: its header (diacritics restored from
    ``lexicon`` when OCR lost them), its catalogue figures and its arithmetic mismatches."""
    reading = Reading(text)
    figures = FigureReader(reading).figures()
    return Extraction(
        document=read_header(text, lexicon=lexicon),
        figures=figures,
        findings=check_document(reading, figures),
    )
