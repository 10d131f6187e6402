from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kesu.core"
    label = "core"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        # every app's message ids and wordings (kesu.core.messages)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("messages")
        import kesu.api.messages  # noqa: F401  (the API is not an app of its own)
