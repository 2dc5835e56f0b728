"""Writing the search index: one :class:`~theodoi.search.models.SearchEntry` per document,
task and indicator, holding its texts as written, folded and as OCR-tolerant keys
(:mod:`theodoi.domain.search`). Whoever writes a document, a task or an indicator refreshes
its entry; ``theodoi search --rebuild`` rebuilds them all. The reads are in
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
    return f"{obj.code} {obj.name}".strip(), ""


def entry_fields(title: str, body: str) -> dict[str, str]:
    """The stored columns of an entry with this title and body."""
    both = f"{title}\n{body}"
    return {"title": title, "body": body, "folded": fold(both), "keys": index_keys(both)}


_MODELS: dict[str, type[Model]] = {
    SearchKind.DOCUMENT: Document,
    SearchKind.TASK: Task,
    SearchKind.INDICATOR: Indicator,
}


@transaction.atomic
def search_index_refresh(
    *,
    documents: Iterable[Document] | None = None,
    tasks: Iterable[Task] | None = None,
    indicators: Iterable[Indicator] | None = None,
) -> int:
    """Bring the entries of the given objects up to date; returns how many were written.

    With no argument at all, every document, task and indicator; otherwise only the kinds
    given (``search_index_refresh(documents=[doc])`` touches no task). An unchanged entry is
    not rewritten."""
    everything = documents is None and tasks is None and indicators is None
    written = 0
    for kind, objects in (
        (SearchKind.DOCUMENT, documents),
        (SearchKind.TASK, tasks),
        (SearchKind.INDICATOR, indicators),
    ):
        if objects is None and not everything:
            continue
        if objects is None:
            objects = _MODELS[kind]._default_manager.order_by("pk").iterator(chunk_size=BATCH)
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
    """Index every document, task and indicator again and drop the entries of objects that
    are gone; returns how many entries were written or removed."""
    written = search_index_refresh()
    for kind, model in _MODELS.items():
        stale = SearchEntry.objects.filter(kind=kind).exclude(
            object_id__in=model._default_manager.values("pk")
        )
        written += stale.delete()[0]
    return written
