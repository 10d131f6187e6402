from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueuesConfig(AppConfig):
    name = "kesu.queues"
    verbose_name = _("Queues")
    label = "queues"
    default_auto_field = "django.db.models.BigAutoField"
