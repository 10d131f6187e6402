from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _version_raise(**_kwargs) -> None:
    """Every process caches this configuration (ADR 0015): raise its version."""
    from kesu.core.configcache import config_changed

    config_changed("sla")


class SlaConfig(AppConfig):
    name = "kesu.sla"
    verbose_name = _("Time limits (SLA)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kesu.sla.context import sla_context_reset
        from kesu.sla.models import SlaPolicy

        post_save.connect(sla_context_reset, sender=SlaPolicy, dispatch_uid="sla-policy-reset")
        post_delete.connect(sla_context_reset, sender=SlaPolicy, dispatch_uid="sla-policy-reset-del")
        post_save.connect(_version_raise, sender=SlaPolicy, dispatch_uid="sla-policy-version")
        post_delete.connect(_version_raise, sender=SlaPolicy, dispatch_uid="sla-policy-version-del")
