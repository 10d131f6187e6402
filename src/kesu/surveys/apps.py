from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kesu.surveys"
    verbose_name = _("Surveys")
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"
