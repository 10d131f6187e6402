from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "kesu.desk"
    verbose_name = _("Desk")
    label = "desk"
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "desk/nav.html"  # the customer list
