from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Login and sessions (issue 15, OWASP ASVS level 2): throttling and lockout of logins and API
    tokens, session timeouts, security headers, the security event log."""

    name = "kesu.security"
    label = "security"
    verbose_name = _("Login and sessions")
    default_auto_field = "django.db.models.BigAutoField"
    nav_template = "security/nav.html"

    def ready(self) -> None:
        from django.contrib import admin

        from kesu.security import signals  # noqa: F401  (connects the receivers)
        from kesu.security.forms import ThrottledAdminAuthenticationForm

        admin.site.login_form = ThrottledAdminAuthenticationForm
