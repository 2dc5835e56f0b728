from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "theodoi.ingest"
    label = "ingest"
    verbose_name = "Nạp dữ liệu, số liệu trích từ văn bản"
