from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


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
