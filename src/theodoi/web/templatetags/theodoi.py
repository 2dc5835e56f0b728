"""Template filters for Vietnamese numbers and the status colours used on every page."""

from __future__ import annotations

from decimal import Decimal

from django import template

from theodoi.domain.formatting import format_number
from theodoi.domain.formatting import lower_first as _lower_first

register = template.Library()

TASK_STATUS_STYLE = {
    "completed_on_time": "success",
    "completed_late": "info",
    "in_progress": "primary",
    "overdue": "danger",
    "not_started": "secondary",
}
INDICATOR_STATUS_STYLE = {
    "achieved": "success",
    "on_track": "success",
    "at_risk": "warning",
    "not_achieved": "danger",
    "no_data": "secondary",
}
STATE_STYLE = {
    "draft": "secondary",
    "submitted": "primary",
    "returned": "warning",
    "accepted": "info",
    "approved": "success",
}


@register.filter
def so(value, places: int = 0) -> str:
    """A number the Vietnamese way: 1.234,5 (trailing zeros dropped)."""
    if value is None or value == "":
        return "—"
    return format_number(Decimal(str(value)), int(places) if places else 2, strip_zeros=True)


@register.filter
def task_style(status) -> str:
    return TASK_STATUS_STYLE.get(str(getattr(status, "value", status)), "secondary")


@register.filter
def indicator_style(status) -> str:
    return INDICATOR_STATUS_STYLE.get(str(getattr(status, "value", status)), "secondary")


@register.filter
def state_style(state) -> str:
    return STATE_STYLE.get(str(state), "secondary")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def scope_label(scope: str | None) -> str:
    """A breakdown the figure reader gives ("city") named in Vietnamese."""
    from theodoi.domain.figures import SCOPE_LABELS

    return SCOPE_LABELS.get(scope or "", scope or "")


@register.filter
def lower_first(text) -> str:
    """A label inside a sentence: "Quý I năm 2026" → "quý I năm 2026"."""
    return _lower_first(str(text))
