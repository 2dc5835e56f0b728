from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.orgs.models import Membership, OrgUnit, OrgUnitSuccession


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_key"]
    readonly_fields = ["path", "depth"]

    def save_model(self, request, obj, form, change):
        obj.refresh_derived()
        super().save_model(request, obj, form, change)


@admin.register(OrgUnitSuccession)
class OrgUnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "org_unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "org_unit__name"]
