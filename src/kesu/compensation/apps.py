from django.apps import AppConfig


class CompensationConfig(AppConfig):
    name = "kesu.compensation"
    label = "compensation"
    default_auto_field = "django.db.models.BigAutoField"
