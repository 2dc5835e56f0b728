"""Reads of documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from theodoi.documents.models import Document


def documents_visible_to(*, user: Any | None) -> QuerySet[Document]:
    """Documents are public acts: every signed-in user reads them all."""
    if user is not None and not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    return Document.objects.all()


def implemented_documents(document: Document, *, extra: list[Document] | None = None) -> list:
    """The documents ``document`` implements, each with the ones it implements in turn: the
    cascade from a local plan up to the resolution. ``extra`` adds direct parents recorded
    elsewhere (a plan's ``implements``). Returns nested ``(document, [children…])`` pairs."""
    from theodoi.documents.models import DocumentReference, ReferenceKind

    def parents(doc: Document) -> list[Document]:
        refs = DocumentReference.objects.filter(source=doc, kind=ReferenceKind.IMPLEMENTS)
        return [r.target for r in refs.select_related("target")]

    def walk(doc: Document, seen: frozenset[int], depth: int) -> list:
        if depth > 8:
            return []
        return [
            (parent, walk(parent, seen | {parent.id}, depth + 1))
            for parent in parents(doc)
            if parent.id not in seen
        ]

    direct = {d.id: d for d in [*parents(document), *(extra or [])]}
    seen = frozenset({document.id, *direct})
    return [
        (doc, walk(doc, seen, 1))
        for doc in sorted(direct.values(), key=lambda d: d.issued_on or dt.date.min)
    ]
