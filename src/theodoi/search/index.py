"""Writing the search index: one :class:`~theodoi.search.models.SearchEntry` per document,
task, indicator and issued report, holding its texts as written, folded and as OCR-tolerant keys
(:mod:`theodoi.domain.search`). Whoever writes a document, a task or an indicator refreshes
its entry (issuing a report: :func:`search_index_refresh` with ``reports``);
``theodoi search --rebuild`` rebuilds them all. The reads are in
:mod:`theodoi.search.selectors`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from theodoi.documents.models import Document
from theodoi.domain.search import index_keys
from theodoi.domain.text import fold
from theodoi.plans.models import Indicator, Task
from theodoi.reports.models import Report, ReportState
from theodoi.search.models import SearchEntry, SearchKind

BATCH = 500


def entry_texts(kind: str, obj: Any) -> tuple[str, str]:
    """The title and body an object is searched by: a document's symbol, subject and issuer,
    and its full text; a task's code and title, and its expected output; an indicator's code
    and name."""
    if kind == SearchKind.DOCUMENT:
        title = " — ".join(p for p in (obj.symbol, obj.subject, obj.issuer) if p)
        return title or obj.key, obj.full_text or ""
    if kind == SearchKind.TASK:
        return f"{obj.code} {obj.title}".strip(), obj.output or ""
    if kind == SearchKind.REPORT:
        snapshot = obj.snapshot or {}
        lines = []
        for section in snapshot.get("sections", []):
            lines.append(section.get("title", ""))
            for block in section.get("blocks", []):
                lines += [block.get("heading", ""), *block.get("paragraphs", [])]
        return f"{obj} — {snapshot.get('subject', '')}".strip(" —"), "\n".join(filter(None, lines))
    return f"{obj.code} {obj.name}".strip(), ""


def entry_fields(title: str, body: str) -> dict[str, str]:
    """The stored columns of an entry with this title and body."""
    both = f"{title}\n{body}"
    return {"title": title, "body": body, "folded": fold(both), "keys": index_keys(both)}


_MODELS: dict[str, type[Model]] = {
    SearchKind.DOCUMENT: Document,
    SearchKind.TASK: Task,
    SearchKind.INDICATOR: Indicator,
    SearchKind.REPORT: Report,
}


def _indexed(kind: str):
    """What of a kind is searched: every document, task and indicator; issued reports only
    (a draft is not a report of the office yet)."""
    objects = _MODELS[kind]._default_manager
    if kind == SearchKind.REPORT:
        return objects.filter(state=ReportState.ISSUED)
    return objects.all()


@transaction.atomic
def search_index_refresh(
    *,
    documents: Iterable[Document] | None = None,
    tasks: Iterable[Task] | None = None,
    indicators: Iterable[Indicator] | None = None,
    reports: Iterable[Report] | None = None,
) -> int:
    """Bring the entries of the given objects up to date; returns how many were written.

    With no argument at all, every document, task, indicator and issued report; otherwise only
    the kinds given (``search_index_refresh(documents=[doc])`` touches no task). An unchanged
    entry is not rewritten; a report not issued is not indexed."""
    everything = all(x is None for x in (documents, tasks, indicators, reports))
    written = 0
    for kind, objects in (
        (SearchKind.DOCUMENT, documents),
        (SearchKind.TASK, tasks),
        (SearchKind.INDICATOR, indicators),
        (SearchKind.REPORT, reports),
    ):
        if objects is None and not everything:
            continue
        if objects is None:
            objects = _indexed(kind).order_by("pk").iterator(chunk_size=BATCH)
        elif kind == SearchKind.REPORT:
            objects = [r for r in objects if r.state == ReportState.ISSUED]
        iterator = iter(objects)
        while batch := tuple(itertools.islice(iterator, BATCH)):
            written += _write_entries(kind, batch)
    return written


def _write_entries(kind: str, objects: tuple[Any, ...]) -> int:
    wanted = {obj.pk: entry_fields(*entry_texts(kind, obj)) for obj in objects}
    existing = {e.object_id: e for e in SearchEntry.objects.filter(kind=kind, object_id__in=wanted)}
    now = timezone.now()
    created: list[SearchEntry] = []
    changed: list[SearchEntry] = []
    for object_id, fields in wanted.items():
        entry = existing.get(object_id)
        if entry is None:
            created.append(SearchEntry(kind=kind, object_id=object_id, **fields))
        elif any(getattr(entry, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(entry, name, value)
            entry.updated_at = now
            changed.append(entry)
    SearchEntry.objects.bulk_create(created)
    SearchEntry.objects.bulk_update(changed, ["title", "body", "folded", "keys", "updated_at"])
    return len(created) + len(changed)


@transaction.atomic
def search_index_rebuild() -> int:
    """Index every document, task, indicator and issued report again and drop the entries of
    objects that are gone; returns how many entries were written or removed."""
    written = search_index_refresh()
    for kind in _MODELS:
        stale = SearchEntry.objects.filter(kind=kind).exclude(
            object_id__in=_indexed(kind).values("pk")
        )
        written += stale.delete()[0]
    return written
