from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "kesu.analytics"
    verbose_name = _("Analytics")
    label = "analytics"
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "analytics/nav.html"
