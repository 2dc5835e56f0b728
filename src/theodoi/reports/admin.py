from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theodoi.reports.models import Report, ReportProfile, ReportTemplate
from theodoi.reports.render import ReportTemplateError, check_template


@admin.register(ReportProfile)
class ReportProfileAdmin(SimpleHistoryAdmin):
    list_display = ["org_unit", "place", "symbol_suffix", "signer_name"]


class ReportTemplateForm(forms.ModelForm):
    """Upload a DOCX edited in Word; it is checked by filling it with sample content."""

    upload = forms.FileField(
        label="Tệp mẫu DOCX",
        help_text="Xuất mẫu mặc định bằng lệnh “theodoi report-template”, "
        "sửa bằng Word rồi tải lên.",
    )

    class Meta:
        model = ReportTemplate
        fields = ["org_unit", "name", "is_active"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        content = upload.read()
        try:
            check_template(content, upload.name)
        except ReportTemplateError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.cleaned_data["content"] = content
        return upload

    def save(self, commit=True):
        self.instance.content = self.cleaned_data["content"]
        return super().save(commit=commit)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(SimpleHistoryAdmin):
    form = ReportTemplateForm
    list_display = ["name", "org_unit", "is_active", "uploaded_at"]


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
