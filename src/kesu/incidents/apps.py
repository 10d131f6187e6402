from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kesu.incidents"
    verbose_name = _("Incidents")
    label = "incidents"
    nav_template = "incidents/nav.html"

    def ready(self) -> None:
        from kesu.incidents.matching import scopes_reset
        from kesu.incidents.models import Incident

        post_save.connect(scopes_reset, sender=Incident, dispatch_uid="incidents-scopes-reset")
        post_delete.connect(scopes_reset, sender=Incident, dispatch_uid="incidents-scopes-reset-del")
