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
    # "" (all complaints), "channel:<code>" or "category:<code>": whose arrivals are forecast
    scope = models.CharField(max_length=80, default="", blank=True, db_index=True)

    class Meta:
        ordering = ["-computed_at", "-id"]


class SimulationRun(models.Model):
    """One run of the simulation page's form, done by a job: its parameters, progress and result."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField()
    created_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, related_name="+")
    params = models.JSONField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)  # replications done (today's and the scenario's)
    total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)  # a message id and its parameters

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class ResolutionQuantiles(models.Model):
    """How long the resolved complaints of the last half-year took, as quantiles, per key: "" (all),
    "category:<id>" and "category:<id>|<channel>|<priority>". Refreshed by a job; the "likely resolved by"
    of an open complaint reads its (at most three) keys in one query instead of the history."""

    key = models.CharField(max_length=120, unique=True)
    n = models.PositiveIntegerField()
    quantiles = models.JSONField()  # seconds at p = 0, 1/(Q−1), …, 1 (Q = predictions.QUANTILES)
    computed_at = models.DateTimeField()


class ProcessPrediction(models.Model):
    """The process model's prediction for an open complaint (refreshed by a job, read by the desk): the next
    step and when the case likely ends, learned from the lifecycle events of the closed complaints."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE,
                                     related_name="process_prediction")
    last_activity = models.CharField(max_length=32)  # the complaint's last lifecycle event when predicted
    events = models.PositiveIntegerField()  # how many lifecycle events it had then
    next_activity = models.CharField(max_length=32)  # an EventKind value
    remaining_days = models.FloatField()
    expected_end = models.DateTimeField()
    computed_at = models.DateTimeField()
    # when the next step likely comes: the median wait of that transition among the closed complaints' that
    # had already waited as long (None with too few of them); the portal's "expected time of the next step"
    next_at = models.DateTimeField(null=True, blank=True)


class PredictionRecord(models.Model):
    """What was predicted for an open complaint at one point of its life (the first prediction after each of
    its lifecycle steps: one row per complaint and number of steps), beside the baselines, and what happened
    (filled in by the prediction job once the complaint took its next step / closed) — the estimates' score."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+")
    events = models.PositiveIntegerField()  # its lifecycle events when predicted
    made_at = models.DateTimeField(db_index=True)
    next_activity = models.CharField(max_length=32)
    baseline_next = models.CharField(max_length=32)  # the bigram: the most frequent follower of the last step
    expected_end = models.DateTimeField()
    baseline_end = models.DateTimeField()  # the median remaining time of prefixes like it
    likely_resolved_by = models.DateTimeField(null=True, blank=True)  # the conditional median ("likely resolved by")
    baseline_resolved_by = models.DateTimeField(null=True, blank=True)  # the plain median (time spent not counted)
    actual_next = models.CharField(max_length=32, blank=True, default="")
    actual_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "events"],
                                               name="workforce_predictionrecord_one_per_step")]


class StoredStaffing(models.Model):
    """The staffing page's costly part for one Beijing day, channel ("" = all) and interval: the positions
    needed per day and slot of the next week, the forecast model and the handling time (JSON)."""

    day = models.DateField()
    channel = models.CharField(max_length=16, blank=True, default="")
    interval_minutes = models.PositiveSmallIntegerField()
    payload = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "channel", "interval_minutes"],
                                               name="workforce_storedstaffing_one_per_day")]
