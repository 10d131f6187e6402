from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "kesu.knowledge"
    verbose_name = _("Solution library")
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
