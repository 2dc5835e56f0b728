from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.reports.models import Report, ReportProfile, ReportTemplate


@admin.register(ReportProfile)
class ReportProfileAdmin(SimpleHistoryAdmin):
    list_display = ["org_unit", "place", "symbol_suffix", "signer_name"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "org_unit", "is_active", "uploaded_at"]
    exclude = ["content"]


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """The register: read-only here; reports are produced and issued by the service."""

    list_display = ["__str__", "org_unit", "period", "state", "issued_on", "signer_name"]
    list_filter = ["state", "org_unit"]
    exclude = ["docx", "xlsx", "pdf", "snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
