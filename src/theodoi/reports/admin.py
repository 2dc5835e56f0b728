from django import forms
from django.contrib import admin

from theodoi.admin_history import ReadOnlyAdmin, ReasonedAdmin, refuse_redirect
from theodoi.reports.models import Report, ReportProfile, ReportTemplate
from theodoi.reports.render import ReportTemplateError, check_template


@admin.register(ReportProfile)
class ReportProfileAdmin(ReasonedAdmin):
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
class ReportTemplateAdmin(ReasonedAdmin):
    form = ReportTemplateForm
    list_display = ["name", "org_unit", "is_active", "uploaded_at"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """The register: read-only here; reports are produced and issued by the service, and an
    issued report can be neither changed nor deleted (the database refuses it too)."""

    where = "trang Lập báo cáo (ban hành báo cáo thay thế nếu cần sửa)"
    list_display = ["__str__", "org_unit", "period", "state", "issued_on", "signer_name"]
    list_filter = ["state", "org_unit"]
    exclude = ["docx", "xlsx", "pdf", "snapshot"]

    def delete_view(self, request, object_id, extra_context=None):
        report = self.get_object(request, object_id)
        if report is None:
            return super().delete_view(request, object_id, extra_context)
        return refuse_redirect(
            request,
            report,
            f"{report} đã vào sổ đăng ký: không xóa, không sửa được. Nếu cần sửa, hãy ban hành "
            "báo cáo thay thế ở trang Lập báo cáo.",
        )
