from django.contrib import admin
from django.urls import include, path

from theodoi.api.api import api

admin.site.site_header = "theodoi — Theo dõi thực hiện Nghị quyết 57-NQ/TW"
admin.site.site_title = "theodoi"
admin.site.index_title = "Quản trị dữ liệu"
admin.site.site_url = "/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("theodoi.web.urls")),
]

handler400 = "theodoi.web.views.pages.bad_request"
handler404 = "theodoi.web.views.pages.not_found"
handler500 = "theodoi.web.views.pages.server_error"
