"""Mass incidents (ADR 0011): one declared outage, quality batch or policy change; the complaints it
explains are linked to it, answered with its announcement and closed together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint


class Kind(models.TextChoices):
    OUTAGE = "outage", _("Outage")
    QUALITY = "quality", _("Product or batch quality")
    POLICY = "policy", _("Policy or price change")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    ACTIVE = "active", _("Active")
    MONITORING = "monitoring", _("Monitoring")
    RESOLVED = "resolved", _("Resolved")


class Incident(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("internal description"), blank=True)
    announcement_zh = models.TextField(_("announcement (Chinese)"))
    announcement_en = models.TextField(_("announcement (English)"))
    # {"regions": [...], "products": [...], "categories": [...], "tags": [...], "keywords": [...]}
    scope = models.JSONField(_("scope"), default=dict)
    starts_at = models.DateTimeField(_("starts at"))
    expected_recovery_at = models.DateTimeField(_("expected recovery"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    version = models.PositiveIntegerField(default=1, help_text="the number of the current public update")
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    suggestion = models.ForeignKey("BurstSuggestion", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    # resolution
    closing_zh = models.TextField(_("closing message (Chinese)"), blank=True)
    closing_en = models.TextField(_("closing message (English)"), blank=True)
    root_cause = models.CharField(_("root cause"), max_length=24, blank=True)
    monitoring_at = models.DateTimeField(_("monitoring since"), null=True, blank=True)
    resolve_requested_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolve_total = models.PositiveIntegerField(default=0)
    resolve_done = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["state", "-declared_at"], name="incident_state_newest")]

    def __str__(self) -> str:
        return self.title


class IncidentUpdate(models.Model):
    """One public update (the declaration is number 1): new text and / or a new expected time."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    version = models.PositiveIntegerField()
    announcement_zh = models.TextField()
    announcement_en = models.TextField()
    expected_recovery_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")

    class Meta:
        ordering = ["incident", "version"]
        constraints = [models.UniqueConstraint(fields=["incident", "version"], name="incident_update_once")]


class IncidentEvent(models.Model):
    """A step of the incident's own life that is not a public update: moved to monitoring (recovery
    reported), with who, when and the note."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", _("Moved to monitoring")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["incident", "at", "id"]


class How(models.TextChoices):
    INTAKE = "intake", _("Matched at intake")
    DECLARE = "declare", _("Linked when declared")
    MANUAL = "manual", _("Linked by a person")


class IncidentLink(models.Model):
    """A complaint explained by an incident (one incident per complaint). ``waits``: the complaint waits
    on the incident instead of a handler; otherwise ``exception`` says why a handler has it."""

    # PROTECT: an incident is deleted only by ``pipeline.incidents.incident_withdraw``, which first sends
    # its waiting complaints to normal handling (a cascade would leave them paused, in no group)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="links")
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="incident_link")
    how = models.CharField(max_length=16, choices=How.choices)
    score = models.FloatField(default=1.0)
    reasons = models.JSONField(default=list, blank=True)
    waits = models.BooleanField(default=True)
    exception = models.CharField(max_length=32, blank=True)
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    answered_version = models.PositiveIntegerField(default=0, help_text="the last public update sent")
    closed_by_incident_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["incident", "closed_by_incident_at"], name="incident_link_open")]


class Source(models.TextChoices):
    IVR = "ivr", _("Phone (IVR) or chat bot")
    PORTAL = "portal", _("Portal")


class Deflection(models.Model):
    """An announcement given before a complaint was written (the caller or visitor may not file)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deflections")
    source = models.CharField(max_length=16, choices=Source.choices)
    query = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()


class SuggestionState(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    DECLARED = "declared", _("Declared")


class BurstSuggestion(models.Model):
    """A burst found by the detection job: more complaints in a window than the same weekday and hour
    explain. ``key`` (dimension, value, region, window) is unique: a dismissed one never returns."""

    key = models.CharField(max_length=255, unique=True)
    dimension = models.CharField(max_length=32)  # category_region | tag_region | product
    value = models.CharField(max_length=128)
    region = models.CharField(max_length=64, blank=True)
    window = models.CharField(max_length=8)  # hour | day
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    complaint_ids = models.JSONField(default=list)
    words = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=SuggestionState.choices, default=SuggestionState.OPEN)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
