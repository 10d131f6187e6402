from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kesu.core"
    label = "core"
    verbose_name = "kesu core"

    def ready(self) -> None:
        # every app's message ids and wordings (kesu.core.messages)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("messages")
