from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "theodoi.progress"
    label = "progress"
    verbose_name = "Tiến độ, số liệu"
