from django.contrib import admin

from theodoi.admin_history import ReadOnlyAdmin, ReasonedAdmin
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    ReminderSetting,
    Submission,
    TaskUpdate,
    ValidationRule,
)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    """Periods are made from their codes; changing a period's dates would change what every
    lock and count covers."""

    where = "các trang nhập và tổng hợp (kỳ được tạo theo mã kỳ)"
    list_display = ["code", "label", "start", "end", "basis"]
    list_filter = ["kind", "basis"]


@admin.register(DataElement)
class DataElementAdmin(ReasonedAdmin):
    list_display = ["code", "name", "unit", "value_type"]
    list_filter = ["value_type"]
    search_fields = ["code", "name"]


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    where = "trang Nhập tiến độ, Nhập Excel, Duyệt số liệu hoặc lệnh theodoi exchange import"

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
class TaskUpdateAdmin(ReadOnlyAdmin):
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
class ValidationRuleAdmin(ReasonedAdmin):
    list_display = ["code", "name", "left", "operator", "right", "importance", "is_active"]
    list_filter = ["importance", "is_active", "is_builtin"]
    search_fields = ["code", "name", "left", "right"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only here: submitting, accepting, approving and unlocking go through the web app,
    which checks the roles and records the reason."""

    where = "trang Duyệt báo cáo (phê duyệt, mở khóa kèm lý do)"
    list_display = ["org_unit", "period", "state", "submitted_at", "approved_at"]
    list_filter = ["state", "period"]


@admin.register(ReminderSetting)
class ReminderSettingAdmin(ReasonedAdmin):
    """How many days before the due day (the 14th) units are reminded, per unit and kind of
    period (the nearest unit's setting wins; THEODOI_REMIND_DAYS without any)."""

    list_display = ["period_kind", "org_unit", "days_before"]
    list_filter = ["period_kind"]
