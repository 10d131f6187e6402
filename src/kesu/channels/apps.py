from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "kesu.channels"
    verbose_name = _("Channels")
    label = "channels"
    default_auto_field = "django.db.models.BigAutoField"
