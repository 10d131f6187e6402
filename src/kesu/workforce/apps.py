from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "kesu.workforce"
    verbose_name = _("Operations science")
    label = "workforce"
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "workforce/nav.html"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kesu.complaints.models import ComplaintEvent
        from kesu.workforce.signals import risk_on_event

        post_save.connect(risk_on_event, sender=ComplaintEvent, dispatch_uid="workforce-risk-on-event")
