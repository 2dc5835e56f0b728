from django.contrib import admin

from theodoi.admin_history import ReasonedAdmin
from theodoi.orgs.models import Membership, OrgUnit, OrgUnitSuccession


@admin.register(OrgUnit)
class OrgUnitAdmin(ReasonedAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_key"]
    readonly_fields = ["path", "depth"]

    def save_model(self, request, obj, form, change):
        obj.refresh_derived()
        super().save_model(request, obj, form, change)


@admin.register(OrgUnitSuccession)
class OrgUnitSuccessionAdmin(ReasonedAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on"]


@admin.register(Membership)
class MembershipAdmin(ReasonedAdmin):
    list_display = ["user", "org_unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "org_unit__name"]
