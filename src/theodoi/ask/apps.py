from django.apps import AppConfig


class AskConfig(AppConfig):
    name = "theodoi.ask"
    label = "ask"
    verbose_name = "Hỏi đáp số liệu"
