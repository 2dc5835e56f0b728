from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "theodoi.reports"
    label = "reports"
    verbose_name = "Báo cáo"
