from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "theodoi.search"
    label = "search"
    verbose_name = "Tìm kiếm"
