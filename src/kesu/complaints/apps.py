from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kesu.complaints"
    verbose_name = _("Complaints")
    label = "complaints"

    def ready(self) -> None:
        from kesu.complaints.models import Category
        from kesu.complaints.taxonomy import category_parents_reset

        post_save.connect(category_parents_reset, sender=Category, dispatch_uid="complaints-parents-reset")
        post_delete.connect(category_parents_reset, sender=Category, dispatch_uid="complaints-parents-reset-del")
