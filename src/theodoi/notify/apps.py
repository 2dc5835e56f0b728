from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "theodoi.notify"
    verbose_name = "Thông báo"
    default_auto_field = "django.db.models.BigAutoField"
