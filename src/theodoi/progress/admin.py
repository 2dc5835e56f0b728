from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    Submission,
    TaskUpdate,
    ValidationRule,
)


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "start", "end", "basis"]
    list_filter = ["kind", "basis"]


@admin.register(DataElement)
class DataElementAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit"]
    search_fields = ["code", "name"]


@admin.register(DataValue)
class DataValueAdmin(SimpleHistoryAdmin):
    list_display = [
        "element",
        "org_unit",
        "period",
        "breakdown",
        "value",
        "is_illustrative",
        "source_document",
    ]
    list_filter = ["is_illustrative", "period", "org_unit"]
    search_fields = ["element__code", "element__name", "source_quote"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(SimpleHistoryAdmin):
    list_display = [
        "task",
        "period",
        "org_unit",
        "reported_state",
        "progress_percent",
        "completion_date",
        "state",
        "is_illustrative",
    ]
    list_filter = ["period", "state", "reported_state", "is_illustrative", "org_unit"]
    search_fields = ["task__code", "task__title", "results"]
    filter_horizontal = ["evidence_documents"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "left", "operator", "right", "importance", "is_active"]
    list_filter = ["importance", "is_active", "is_builtin"]
    search_fields = ["code", "name", "left", "right"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """Read-only here: submitting, accepting, approving and unlocking go through the web app,
    which checks the roles and records the reason."""

    list_display = ["org_unit", "period", "state", "submitted_at", "approved_at"]
    list_filter = ["state", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
