"""Triage configuration (rows the management layer edits) and the versions of the category model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Category, Complaint, Priority, Severity
from kesu.customers.models import Tier


class TriageSettings(models.Model):
    """The tunable numbers of triage; one row (id 1)."""

    emotion_threshold = models.PositiveSmallIntegerField(
        _("emotion threshold"), default=70, help_text="temperature at and above which a senior handler takes it"
    )
    repeat_window_days = models.PositiveSmallIntegerField(_("repeat window (days)"), default=30)
    repeat_similarity = models.FloatField(
        _("repeat similarity"), default=0.3, help_text="0–1; how alike two texts must be to count as the same issue"
    )
    category_min_confidence = models.FloatField(
        _("minimum confidence to set a category"), default=0.5,
        help_text="below this the model's category is only suggested, not set",
    )

    class Meta:
        verbose_name = _("triage settings")
        verbose_name_plural = _("triage settings")

    def __str__(self) -> str:
        return "triage settings"


class Keyword(models.Model):
    """A tag (破损, 未收货 …) and the words that raise it; optionally evidence for a category."""

    tag = models.CharField(_("tag"), max_length=32, unique=True)
    words = models.JSONField(_("words"), default=list, help_text="any of these in the text raises the tag")
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="the category this tag points to when no model is trained yet",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")
        ordering = ["tag"]

    def __str__(self) -> str:
        return self.tag


class PriorityRule(models.Model):
    """One cell of the priority matrix: category × customer tier × severity → priority.

    Blank means "any"; the most specific matching row wins (category, then tier, then severity).
    """

    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)

    class Meta:
        verbose_name = _("priority matrix rule")
        verbose_name_plural = _("priority matrix rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "tier", "severity"], name="priority_rule_unique_cell")
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} × {self.tier or '*'} × {self.severity or '*'} → {self.priority}"


class ModelKind(models.TextChoices):
    CATEGORY = "category", _("category model")
    ANGER = "anger", _("anger model")


class ModelVersion(models.Model):
    """A trained model: files under ``KESU_DATA_DIR/models/<kind>/v<N>/``; one active per kind."""

    kind = models.CharField(max_length=16, choices=ModelKind.choices, default=ModelKind.CATEGORY)
    version = models.PositiveIntegerField()
    directory = models.CharField(max_length=255)
    metrics = models.JSONField(default=dict)
    n_train = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField()
    is_active = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="model_version_unique_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}{' (active)' if self.is_active else ''}"


class RepeatLink(models.Model):
    """``complaint`` repeats ``earlier`` (same customer, same issue, within the window)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="repeat_links")
    earlier = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="repeated_by_links")
    similarity = models.FloatField()

    class Meta:
        verbose_name = _("repeat complaint link")
        verbose_name_plural = _("repeat complaint links")
        constraints = [models.UniqueConstraint(fields=["complaint", "earlier"], name="repeat_link_unique")]

    def __str__(self) -> str:
        return f"{self.complaint_id} repeats {self.earlier_id}"
