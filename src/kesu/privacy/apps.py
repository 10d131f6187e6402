from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kesu.privacy"
    verbose_name = _("Data protection")
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from kesu.privacy.ticks import periodic_once_per_tick

        periodic_once_per_tick(HUEY)
