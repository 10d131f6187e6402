from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _subscribers_changed(**_kwargs) -> None:
    """Webhook subscribers are cached per process (ADR 0015): raise their version."""
    from kesu.core.configcache import config_changed

    config_changed("webhooks")


class ChannelsConfig(AppConfig):
    name = "kesu.channels"
    verbose_name = _("Channels")
    label = "channels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kesu.channels.models import WebhookSubscriber

        post_save.connect(_subscribers_changed, sender=WebhookSubscriber, dispatch_uid="webhooks-version")
        post_delete.connect(_subscribers_changed, sender=WebhookSubscriber, dispatch_uid="webhooks-version-del")
