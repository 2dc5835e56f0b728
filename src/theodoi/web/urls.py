from django.contrib.auth import views as auth_views
from django.urls import path

from theodoi.web.views import (
    adjustments,
    browse,
    dashboard,
    drafts,
    excel,
    extracted,
    outlines,
    pages,
    progress,
    reports,
)

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dang-nhap/", pages.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("huong-dan/", pages.guide, name="guide"),
    path("tim-kiem/", browse.search, name="search"),
    path("ke-hoach/", browse.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", browse.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/dieu-chinh/", adjustments.plan_adjustments, name="plan_adjustments"),
    path("nhiem-vu/<int:pk>/", browse.task_detail, name="task_detail"),
    path("chi-tieu/<int:pk>/", browse.indicator_detail, name="indicator_detail"),
    path("van-ban/", browse.document_list, name="document_list"),
    path("van-ban/<int:pk>/", browse.document_detail, name="document_detail"),
    path("don-vi/", browse.unit_list, name="unit_list"),
    path("don-vi/<str:code>/", browse.unit_detail, name="unit_detail"),
    path("tien-do/", progress.progress_home, name="progress_home"),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/",
        progress.progress_unit,
        name="progress_unit",
    ),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/nhiem-vu/<int:task_id>/",
        progress.progress_task,
        name="progress_task",
    ),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/so-lieu/",
        progress.progress_figures,
        name="progress_figures",
    ),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/noi-dung/<str:field>/",
        progress.progress_contribution,
        name="progress_contribution",
    ),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/gui/",
        progress.progress_submit,
        name="progress_submit",
    ),
    path("minh-chung/<int:pk>/", progress.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", progress.evidence_delete, name="evidence_delete"),
    path("duyet/", progress.review_list, name="review_list"),
    path("duyet/<int:pk>/", progress.submission_detail, name="submission_detail"),
    path("duyet/<int:pk>/<str:action>/", progress.submission_action, name="submission_action"),
    path("so-lieu-trich/", extracted.extracted_list, name="extracted_list"),
    path(
        "so-lieu-trich/<int:pk>/<str:action>/",
        extracted.extracted_action,
        name="extracted_action",
    ),
    path("nhap-excel/", excel.import_page, name="import"),
    path("nhap-excel/xac-nhan/", excel.import_confirm, name="import_confirm"),
    path("ke-hoach/<int:pk>/excel/", excel.plan_workbook, name="plan_workbook"),
    path(
        "tien-do/<str:unit_code>/<str:period_code>/mau-<str:kind>.xlsx",
        excel.entry_workbook,
        name="entry_workbook",
    ),
    path("bao-cao/", reports.report_page, name="reports"),
    path("bao-cao/du-thao.<str:fmt>", reports.report_download, name="report_download"),
    path("bao-cao/ban-hanh/", reports.report_issue_view, name="report_issue"),
    path("bao-cao/du-thao/", drafts.draft_page, name="report_draft"),
    path("bao-cao/du-thao/luu/", drafts.draft_save, name="report_draft_save"),
    path("bao-cao/du-thao/bo-sua/", drafts.draft_reset, name="report_draft_reset"),
    path("bao-cao/dan-y/", outlines.outline_list, name="outlines"),
    path("bao-cao/dan-y/<int:pk>/", outlines.outline_edit, name="outline_edit"),
    path("bao-cao/dan-y/<int:pk>/sao-chep/", outlines.outline_copy_view, name="outline_copy"),
    path("bao-cao/<int:pk>/tep.<str:fmt>", reports.report_file, name="report_file"),
]
