from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettingsUiConfig(AppConfig):
    """The settings area at /settings/: the management layer edits the centre's configuration in the
    product (the Django admin stays for administrators)."""

    name = "kesu.settings_ui"
    label = "settings_ui"
    verbose_name = _("Settings")
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "settings_ui/nav.html"
