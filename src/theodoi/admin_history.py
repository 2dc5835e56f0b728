"""The administrator's changes in the admin go into the history like everyone else's: who,
when, and a reason typed on the form.

:class:`ReasonedAdmin` adds a required "Lý do thay đổi" to every change form and a
confirmation page with a reason to every deletion (the bulk "delete selected" action, which
cannot ask for one, is removed). :class:`ReadOnlyAdmin` is for what only the app's services
may change — progress, figures, periods, the register — because they hold the permission,
lock and value rules: there the admin reads and points to the page that writes.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

REASON_FIELD = "ly_do_thay_doi"


class ReasonedAdmin(SimpleHistoryAdmin):
    """An admin whose every save and deletion records the administrator's reason."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if kwargs.get("fields"):  # the admin lists the form's own fields back: not a model's
            kwargs["fields"] = [f for f in kwargs["fields"] if f != REASON_FIELD]
        base = super().get_form(request, obj, change=change, **kwargs)
        return type(
            base.__name__,
            (base,),
            {
                REASON_FIELD: forms.CharField(
                    label="Lý do thay đổi",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text="Ghi vào lịch sử thay đổi cùng người sửa và thời điểm.",
                    error_messages={"required": "Hãy ghi lý do thay đổi (lưu vào lịch sử)."},
                )
            },
        )

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data[REASON_FIELD].strip()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data[REASON_FIELD].strip()
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        for obj in formset.deleted_objects:
            obj._change_reason = reason
        super().save_formset(request, form, formset, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk deletion cannot ask for a reason
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied("Bạn không có quyền xóa mục này.")
        if request.method == "POST" and request.POST.get("post"):
            reason = request.POST.get("ly_do", "").strip()
            if reason:
                request._theodoi_delete_reason = reason
                return super().delete_view(request, object_id, extra_context)
            messages.error(request, "Hãy ghi lý do xóa (lưu vào lịch sử) rồi xác nhận lại.")
        deleted, counts, perms_needed, protected = self.get_deleted_objects([obj], request)
        context = {
            **self.admin_site.each_context(request),
            "title": "Xác nhận xóa",
            "object": obj,
            "opts": self.model._meta,
            "deleted_objects": deleted,
            "model_count": dict(counts).items(),
            "perms_lacking": perms_needed,
            "protected": protected,
        }
        return TemplateResponse(request, "admin/theodoi/delete_with_reason.html", context)

    def delete_model(self, request, obj):
        obj._change_reason = getattr(request, "_theodoi_delete_reason", "")
        super().delete_model(request, obj)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Read only: the data is changed through the app (``where``), whose services check the
    permission, the lock of an approved period and the value rules, and record the reason."""

    where = "trang Nhập tiến độ của ứng dụng"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            messages.info(
                request,
                f"Chỉ xem ở trang Quản trị. Thay đổi qua {self.where}: ở đó kiểm tra quyền, "
                "khóa kỳ (kỳ đã phê duyệt cần lãnh đạo mở khóa, ghi lý do) và quy tắc số liệu.",
            )
        return super().changeform_view(request, object_id, form_url, extra_context)


def refuse_redirect(request, obj, message: str):
    """Say why in Vietnamese on the object's page instead of an error page."""
    messages.error(request, message)
    opts = obj._meta
    return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
