from django.contrib import admin

from theodoi.admin_history import ReasonedAdmin
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, PlanAdjustment, Task, TaskGroup


@admin.register(Plan)
class PlanAdmin(ReasonedAdmin):
    list_display = ["__str__", "owner_unit", "title"]
    filter_horizontal = ["implements", "parent_plans"]


@admin.register(PlanAdjustment)
class PlanAdjustmentAdmin(ReasonedAdmin):
    list_display = ["plan", "document", "effective_from"]


@admin.register(TaskGroup)
class TaskGroupAdmin(ReasonedAdmin):
    list_display = ["code", "title", "plan"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(ReasonedAdmin):
    list_display = ["code", "title", "lead_unit", "deadline_text", "deadline_kind"]
    list_filter = ["plan", "deadline_kind", "lead_unit", "group"]
    search_fields = ["code", "title", "output"]
    filter_horizontal = ["coordinating_units"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ReasonedAdmin):
    list_display = ["code", "name", "unit", "lead_unit"]
    list_filter = ["plan", "lead_unit", "group"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]
