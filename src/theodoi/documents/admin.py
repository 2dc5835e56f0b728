from django.contrib import admin

from theodoi.admin_history import ReasonedAdmin
from theodoi.documents.models import Document, DocumentReference


class OutgoingInline(admin.TabularInline):
    model = DocumentReference
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(Document)
class DocumentAdmin(ReasonedAdmin):
    list_display = ["symbol", "doc_type", "issued_on", "issuer", "is_stub"]
    list_filter = ["doc_type", "is_stub"]
    search_fields = ["symbol", "subject", "issuer"]
    inlines = [OutgoingInline]
