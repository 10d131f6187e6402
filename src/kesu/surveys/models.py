"""Satisfaction surveys sent when a complaint is closed, their settings, and follow-up visit tasks (回访)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint


class SurveySettings(models.Model):
    """The tunable numbers of surveys and follow-ups; one row (id 1), edited by managers in the admin."""

    reopen_at_or_below = models.PositiveSmallIntegerField(
        _("reopen at or below satisfaction"), default=2, validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text="a satisfaction score at or below this (1–5) reopens the complaint; 0 turns it off "
        "(an answer of 'not solved' always reopens)",
    )
    reminder_after_hours = models.PositiveSmallIntegerField(
        _("reminder after (hours)"), default=48, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text="one reminder is sent for a survey still unanswered this long after it was sent",
    )
    follow_up_sample_percent = models.PositiveSmallIntegerField(
        _("follow-up visits for (percent of closed complaints)"), default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="which complaints get a follow-up task is decided by their number, so the sample is repeatable; "
        "the time allowed is the SLA policy's follow-up target",
    )
    public_url = models.URLField(
        _("public address of kesu"), default="http://localhost:8000",
        help_text="the start of the survey links sent to customers, e.g. https://kesu.example.com",
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return "survey settings"


class Survey(models.Model):
    """The survey of one closing of a complaint (``cycle`` = how often it had been reopened before).

    The link's token is not stored: it is an HMAC of ``salt`` with the server's secret key (so the
    tracking page can show the link again), and only its SHA-256 ``digest`` is looked up.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="surveys")
    cycle = models.PositiveSmallIntegerField(default=0)
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("sent through"), max_length=16, help_text="email, or link (tracking page only)")
    sent_to = models.CharField(max_length=254, blank=True)
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True, help_text="a later closing sent a new survey")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("likelihood to recommend"), null=True, blank=True)
    solved = models.BooleanField(_("problem solved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reopened = models.BooleanField(_("reopened the complaint"), default=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [models.UniqueConstraint(fields=["complaint", "cycle"], name="survey_one_per_closing")]
        indexes = [models.Index(fields=["answered_at", "reminded_at", "sent_at"], name="survey_remind_due")]

    def __str__(self) -> str:
        return f"survey of {self.complaint_id} #{self.cycle}"


class FollowUpOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


class FollowUpTask(models.Model):
    """A follow-up visit to make after a closing; due when the SLA's follow-up clock says."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="follow_up_tasks")
    cycle = models.PositiveSmallIntegerField(default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_up_tasks"
    )
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=FollowUpOutcome.choices, blank=True)
    text = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        constraints = [models.UniqueConstraint(fields=["complaint", "cycle"], name="follow_up_one_per_closing")]
        indexes = [models.Index(fields=["assignee", "done_at"], name="follow_up_open")]

    def __str__(self) -> str:
        return f"follow-up of {self.complaint_id} #{self.cycle}"
