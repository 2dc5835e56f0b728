from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "theodoi.archive"
    label = "archive"
    verbose_name = "Văn bản cũ, số liệu trích từ văn bản"
