from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _routing_changed(sender, update_fields=None, **_kwargs) -> None:
    """Routing rules and group routing are cached per process (ADR 0015): raise their version —
    except when intake only moves a group's round-robin cursor."""
    if update_fields is not None and set(update_fields) <= {"last_assigned"}:
        return
    from kesu.core.configcache import config_changed

    config_changed("routing")


class RoutingConfig(AppConfig):
    name = "kesu.routing"
    verbose_name = _("Routing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kesu.core.models import Group
        from kesu.routing.models import GroupRouting, RoutingRule

        for model in (RoutingRule, GroupRouting, Group):
            post_save.connect(_routing_changed, sender=model, dispatch_uid=f"routing-version-{model.__name__}")
            post_delete.connect(_routing_changed, sender=model, dispatch_uid=f"routing-version-del-{model.__name__}")
