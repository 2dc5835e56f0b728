"""Reads of documents."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from theodoi.documents.models import Document


def documents_visible_to(*, user: Any | None) -> QuerySet[Document]:
    """Documents are public acts: every signed-in user reads them all."""
    if user is not None and not getattr(user, "is_authenticated", False):
        return Document.objects.none()
    return Document.objects.all()
