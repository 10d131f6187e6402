from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _version_raise(**_kwargs) -> None:
    """Every process caches this configuration (ADR 0015): raise its version."""
    from kesu.core.configcache import config_changed

    config_changed("triage")


class TriageConfig(AppConfig):
    name = "kesu.triage"
    verbose_name = _("Triage")
    label = "triage"

    def ready(self) -> None:
        from kesu.complaints.models import Category
        from kesu.triage.context import triage_context_reset
        from kesu.triage.models import Keyword, ModelVersion, PriorityRule, TriageSettings

        for model in (Category, Keyword, ModelVersion, PriorityRule, TriageSettings):
            post_save.connect(triage_context_reset, sender=model, dispatch_uid=f"triage-reset-{model.__name__}")
            post_delete.connect(triage_context_reset, sender=model, dispatch_uid=f"triage-reset-del-{model.__name__}")
            post_save.connect(_version_raise, sender=model, dispatch_uid=f"triage-version-{model.__name__}")
            post_delete.connect(_version_raise, sender=model, dispatch_uid=f"triage-version-del-{model.__name__}")
