from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "theodoi.plans"
    label = "plans"
    verbose_name = "Kế hoạch, nhiệm vụ, chỉ tiêu"
