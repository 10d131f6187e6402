from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "kesu.privacy"
    verbose_name = _("Data protection")
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "privacy/nav.html"  # the access log

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from kesu.privacy.ticks import periodic_once_per_tick

        periodic_once_per_tick(HUEY)

        from django.db.backends.signals import connection_created

        connection_created.connect(_database_files_private, dispatch_uid="kesu-privacy-file-modes")


def _database_files_private(sender, connection, **kwargs) -> None:
    """The SQLite database and the job store: the owner's alone (0600), from the first connection."""
    import os

    from django.conf import settings

    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    for path in (name, f"{name}-wal", f"{name}-shm", str(settings.HUEY.get("filename") or "")):
        try:
            if path and os.path.isfile(path):
                os.chmod(path, 0o600)
        except OSError:
            pass
