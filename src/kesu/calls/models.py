"""Phone calls: who called whom, when, for how long, what was said, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.customers.models import Customer


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


def recording_path(instance: Call, filename: str) -> str:
    return f"recordings/{instance.started_at:%Y/%m}/{filename}"


class Call(models.Model):
    """One phone call. ``number`` is the other party's number, stored normalised (identities.py)."""

    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    number = models.CharField(_("phone number"), max_length=32)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    started_at = models.DateTimeField(_("started at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    transcript = models.TextField(_("transcript"), blank=True)
    notes = models.TextField(_("after-call notes"), blank=True)
    recording = models.FileField(_("recording"), upload_to=recording_path, max_length=255, blank=True)
    recording_name = models.CharField(max_length=255, blank=True)
    recording_type = models.CharField(max_length=100, blank=True)
    recording_size = models.PositiveBigIntegerField(default=0)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="call_newest"),
            models.Index(fields=["number", "-started_at"], name="call_number_newest"),
            models.Index(fields=["handled_by", "-started_at"], name="call_handler_newest"),
            models.Index(fields=["customer", "-started_at"], name="call_customer_newest"),
            models.Index(fields=["complaint", "started_at"], name="call_complaint_oldest"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.number} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_display(self) -> str:
        return duration_format(self.duration_seconds)


def duration_format(seconds: int) -> str:
    """``205`` → ``3:25``; an hour or more ``1:02:05``."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
