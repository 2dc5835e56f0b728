from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.archive.models import ExtractedFigure


@admin.register(ExtractedFigure)
class ExtractedFigureAdmin(SimpleHistoryAdmin):
    """Read-only here: figures are accepted or rejected on the review page (or the command
    line), which creates the data value and checks the reviewer's rights."""

    list_display = ["element_code", "value", "unit", "document", "line", "org_unit", "status"]
    list_filter = ["status"]
    search_fields = ["element_code", "quote", "document__symbol"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
