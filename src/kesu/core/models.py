"""Users, the organisation (departments, groups, handler profiles) and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.core.roles import Role, role_allows


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.HANDLER)
    display_name = models.CharField(_("display name"), max_length=64, blank=True)

    def can(self, permission: str) -> bool:
        return self.is_active and role_allows(self.role, permission)

    def __str__(self) -> str:
        return self.display_name or self.username


class Layer(models.TextChoices):
    FIRST_LINE = "first_line", _("First line")
    SECOND_LINE = "second_line", _("Second line")


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    manager = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("manager"), help_text="third level of the escalation ladder",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="groups")
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    layer = models.CharField(_("layer"), max_length=16, choices=Layer.choices, default=Layer.FIRST_LINE)
    lead = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team lead"), help_text="second level of the escalation ladder",
    )

    class Meta:
        verbose_name = _("handling group")
        verbose_name_plural = _("handling groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Availability(models.TextChoices):
    ONLINE = "online", _("Online")
    AWAY = "away", _("Away")
    OFF_SHIFT = "off_shift", _("Off shift")


class HandlerProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="handler_profile")
    groups = models.ManyToManyField(Group, related_name="handlers", blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    seniority = models.PositiveSmallIntegerField(_("seniority (years)"), default=0)
    is_senior = models.BooleanField(_("senior handler"), default=False)
    availability = models.CharField(
        _("availability"), max_length=16, choices=Availability.choices, default=Availability.OFF_SHIFT
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=30)

    def __str__(self) -> str:
        return f"{self.user} ({self.get_availability_display()})"

    class Meta:
        verbose_name = _("handler profile")
        verbose_name_plural = _("handler profiles")


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the raw token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # issue 15: a token made before expiry existed has none (legacy, kept working; listed on the
    # security page); new ones expire after KESU_TOKEN_DAYS. A read-only token may only GET.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class JobHeartbeat(models.Model):
    """Written by a periodic job, so /healthz can tell whether the job consumer is running."""

    name = models.CharField(max_length=32, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("job heartbeat")
        verbose_name_plural = _("job heartbeats")




class ConfigVersion(models.Model):
    """The version of one kind of configuration (routing rules, webhook subscribers, triage, SLA):
    raised by whoever changes it, compared by every process's cache (``kesu.core.configcache``)."""

    name = models.CharField(max_length=32, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("configuration version")
        verbose_name_plural = _("configuration versions")
