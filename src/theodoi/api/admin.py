from django.contrib import admin, messages

from theodoi.admin_history import ReasonedAdmin
from theodoi.api.models import ApiToken
from theodoi.api.services import api_token_create, api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReasonedAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (["user"] if obj else [])

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The secret is made by the service and shown here once; only its hash is kept.
        token, secret = api_token_create(user=obj.user, name=obj.name, by=request.user)
        obj.pk, obj.prefix, obj._state.adding = token.pk, token.prefix, False
        messages.warning(
            request,
            f"Mã truy cập của “{token.name}”: {secret} — hãy sao chép ngay, "
            "mã chỉ hiển thị một lần này.",
        )

    @admin.action(description="Thu hồi các mã truy cập đã chọn")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token, by=request.user)
        messages.success(request, f"Đã thu hồi {queryset.count()} mã truy cập.")
