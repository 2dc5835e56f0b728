"""Reads of the review queue of extracted figures, scoped to what the user may review."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.documents.models import Document
from theodoi.documents.selectors import documents_visible_to
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.permissions import ACTIONS
from theodoi.orgs.selectors import units_visible_to


def _reviews_all(user: Any | None) -> bool:
    return user is None or getattr(user, "is_superuser", False)


def units_reviewed_by(*, user: Any | None) -> QuerySet[OrgUnit]:
    """Units whose figures the user may accept or reject: the subtrees of the units where they
    coordinate (or administer) reporting."""
    units = units_visible_to(user=user)
    if _reviews_all(user):
        return units
    paths = Membership.objects.filter(user=user, role__in=ACTIONS["progress.review"]).values_list(
        "org_unit__path", flat=True
    )
    condition = Q(pk__in=[])
    for path in set(paths):
        condition |= Q(path__startswith=path)
    return units.filter(condition)


def review_queue(
    *,
    user: Any | None,
    document: Document | None = None,
    status: str = FigureStatus.PENDING,
) -> QuerySet[ExtractedFigure]:
    """Extracted figures of documents the user may read, about units the user may review
    (figures not yet tied to a unit: system administrators only), with ``status`` ("" for any),
    by document and line."""
    figures = ExtractedFigure.objects.filter(document__in=documents_visible_to(user=user))
    if not _reviews_all(user):
        figures = figures.filter(org_unit__in=units_reviewed_by(user=user))
    if document is not None:
        figures = figures.filter(document=document)
    if status:
        figures = figures.filter(status=status)
    return figures.select_related(
        "document", "element", "org_unit", "reviewed_by", "data_value__period"
    ).order_by("-document__issued_on", "document_id", "line", "id")
