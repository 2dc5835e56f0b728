from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "theodoi.orgs"
    label = "orgs"
    verbose_name = "Đơn vị"
