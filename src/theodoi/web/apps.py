from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "theodoi.web"
    label = "web"
    verbose_name = "Giao diện web"
