"""Records of login and sessions (issue 15): the security event log, failure counters, sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.core.appendonly import AppendOnlyModel


class EventKind(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("locked out")
    LOCKED_REFUSED = "locked_refused", _("refused while locked")
    LOGOUT = "logout", _("logged out")
    SESSION_EXPIRED = "session_expired", _("session expired")
    SESSIONS_ENDED = "sessions_ended", _("logged out other sessions")
    PASSWORD_CHANGED = "password_changed", _("changed password")
    REFUSED = "refused", _("permission refused (403)")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_BAD = "token_bad", _("unknown API token")
    TOKEN_EXPIRED = "token_expired", _("expired API token used")
    TOKEN_READ_ONLY = "token_read_only", _("read-only API token tried to write")


class SecurityEvent(AppendOnlyModel):
    """Append-only: what happened, to whom (the user, or the name typed), from where, on which path."""

    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip = models.CharField(_("from where"), max_length=64, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]


class Throttle(models.Model):
    """Failures counted for one key (``login:user:<name>``, ``login:ip:<address>``,
    ``token:ip:<address>``) within the lock period, and until when the key is locked. Deleting the
    row (admin) unlocks it."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return self.key


class UserSession(models.Model):
    """A signed-in browser session of a user, for "my sessions" and "log out my other sessions"."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("signed in"))
    last_seen_at = models.DateTimeField(_("last active"))
    ip = models.CharField(_("from where"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
