from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "theodoi — Theo dõi thực hiện Nghị quyết 57-NQ/TW"
admin.site.site_title = "theodoi"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
