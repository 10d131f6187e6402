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

    HIGH, MEDIUM = 0.7, 0.4  # the badge's colours (the model is trained class-balanced: 0.5 is even odds)

    @property
    def percent(self) -> int:
        return round(100 * self.score)

    @property
    def level(self) -> str:
        return "high" if self.score >= self.HIGH else "medium" if self.score >= self.MEDIUM else "low"

    @property
    def reason_texts(self) -> list[str]:
        """The reasons (largest contributions first) worded in the reader's language."""
        from kesu.workforce.risk_reasons import reason_text

        return [reason_text(reason) for reason in self.reasons or []]


class StoredForecast(models.Model):
    """The arrivals forecast the forecast page shows (refreshed daily by a job): daily totals for the next
    14 days and 30-minute slots for tomorrow, with 80 / 95 % intervals, the chosen model and its accuracy."""

    computed_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        ordering = ["-computed_at", "-id"]
