from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "kesu.sla"
    verbose_name = _("Time limits (SLA)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kesu.sla.context import sla_context_reset
        from kesu.sla.models import SlaPolicy

        post_save.connect(sla_context_reset, sender=SlaPolicy, dispatch_uid="sla-policy-reset")
        post_delete.connect(sla_context_reset, sender=SlaPolicy, dispatch_uid="sla-policy-reset-del")
