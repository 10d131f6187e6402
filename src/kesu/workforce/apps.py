from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "kesu.workforce"
    verbose_name = _("Operations science")
    label = "workforce"
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "workforce/nav.html"
