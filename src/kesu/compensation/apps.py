from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompensationConfig(AppConfig):
    name = "kesu.compensation"
    verbose_name = _("Compensation")
    label = "compensation"
    default_auto_field = "django.db.models.BigAutoField"
