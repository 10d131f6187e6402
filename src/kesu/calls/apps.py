from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "kesu.calls"
    verbose_name = _("Calls")
    label = "calls"
    default_auto_field = "django.db.models.BigAutoField"
