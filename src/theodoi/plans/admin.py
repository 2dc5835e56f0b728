from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.plans.models import Indicator, IndicatorTarget, Plan, PlanAdjustment, Task, TaskGroup


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "owner_unit", "title"]
    filter_horizontal = ["implements", "parent_plans"]


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "document", "effective_from"]


@admin.register(TaskGroup)
class TaskGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "lead_unit", "deadline_text", "deadline_kind"]
    list_filter = ["plan", "deadline_kind", "lead_unit", "group"]
    search_fields = ["code", "title", "output"]
    filter_horizontal = ["coordinating_units"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "lead_unit"]
    list_filter = ["plan", "lead_unit", "group"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]
