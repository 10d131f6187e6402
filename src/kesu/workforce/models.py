"""The workforce app's own tables: the risk model's versions and the risk score of each open complaint."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskModelVersion(models.Model):
    """A trained escalation-risk model (coefficients as JSON) and its time-split metrics."""

    trained_at = models.DateTimeField()
    params = models.JSONField()
    metrics = models.JSONField(default=dict)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-trained_at", "-id"]


class RiskScore(models.Model):
    """The probability that an open complaint escalates, with its reasons (largest contributions)."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="risk")
    score = models.FloatField(_("escalation risk"), db_index=True)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField()
    model_version = models.ForeignKey(RiskModelVersion, on_delete=models.SET_NULL, null=True, related_name="+")


class StoredForecast(models.Model):
    """The arrivals forecast the forecast page shows (refreshed daily by a job): daily totals for the next
    14 days and 30-minute slots for tomorrow, with 80 / 95 % intervals, the chosen model and its accuracy."""

    computed_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        ordering = ["-computed_at", "-id"]
