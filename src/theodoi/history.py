"""Change history: every write records who and when, and the before/after values.

django-simple-history keeps a historical row per save. Services call :func:`save_tracked`
so the acting user and a reason are stored with the row, whether the change comes from the
web, the command line or a data load.
"""

from __future__ import annotations

from typing import Any

from django.db import models

# The account that data loads and the local operator's commands are recorded under.
DATA_USER = "theodoi-dulieu"


def data_user() -> Any:
    """The (inactive) account changes made by data loads and the command line are recorded
    under when no person is named."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=DATA_USER, defaults={"first_name": "Nạp dữ liệu", "is_active": False}
    )
    return user


def save_tracked(obj: models.Model, *, user: Any | None, reason: str, **save_kwargs: Any) -> None:
    """Save ``obj`` with ``user`` and ``reason`` recorded in its history row."""
    obj._history_user = user  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(**save_kwargs)


def upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any],
    user: Any | None,
    reason: str,
) -> tuple[models.Model, bool]:
    """Create or update the row found by ``lookup`` so that it holds ``values``.

    The row is saved (and a history row written) only when something differs, so loading the
    same data twice leaves the database — history included — unchanged. Returns the object and
    whether it was written.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        save_tracked(obj, user=user, reason=reason)
        return obj, True
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    if changed:
        save_tracked(obj, user=user, reason=reason)
    return obj, changed


def history_of(obj: models.Model) -> list[dict[str, Any]]:
    """The history of ``obj``, newest first: when, who, what kind of change, and each changed
    field with its old and new value."""
    records = list(obj.history.all().select_related("history_user"))  # type: ignore[attr-defined]
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user.get_username() if record.history_user else None,
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return entries
