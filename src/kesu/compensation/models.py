"""The compensation matrix, the approval limits per role, proposals and their append-only audit."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Category, Complaint, Severity
from kesu.core.appendonly import AppendOnlyModel

SENIOR = "senior"  # the approval-limit key for a handler whose profile is_senior


_AMOUNT_RANGE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1_000_000))]


class CompensationRule(models.Model):
    """One row of the matrix: category × severity → suggested remedies and amount range.
    An empty category or severity matches any."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, blank=True)
    remedies = models.JSONField(_("suggested remedies"), default=list, blank=True)
    min_amount = models.DecimalField(
        _("minimum amount"), max_digits=12, decimal_places=2, default=0, validators=_AMOUNT_RANGE
    )
    max_amount = models.DecimalField(
        _("maximum amount"), max_digits=12, decimal_places=2, default=0, validators=_AMOUNT_RANGE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("compensation rule")
        verbose_name_plural = _("compensation rules")
        ordering = ["position", "id"]

    def clean(self) -> None:
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            raise ValidationError({"max_amount": _("must not be below the minimum amount")})

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.severity or '*'}: {self.min_amount}–{self.max_amount}"


class ApprovalLimit(models.Model):
    """The largest amount a role (or ``senior`` handlers) may grant alone; empty = unlimited."""

    role = models.CharField(_("role"), max_length=16, unique=True)
    max_amount = models.DecimalField(
        _("maximum amount"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=_AMOUNT_RANGE, help_text="empty: no limit",
    )

    class Meta:
        verbose_name = _("approval limit")
        verbose_name_plural = _("approval limits")
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.role}: {self.max_amount if self.max_amount is not None else '∞'}"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="compensation_proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    remedy = models.CharField(_("remedy"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices)
    needs_approval_by = models.CharField(
        _("to be approved by"), max_length=16, blank=True, help_text="role key (senior / manager …); empty when auto-approved"
    )
    prereview = models.BooleanField(_("flagged for compensation pre-review"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("compensation proposal")
        verbose_name_plural = _("compensation proposals")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "needs_approval_by"], name="proposal_queue")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.amount} {self.status}"


class CompensationEventKind(models.TextChoices):
    PROPOSED = "proposed", _("Compensation proposed")
    AUTO_APPROVED = "auto_approved", _("Compensation approved within authority")
    APPROVED = "approved", _("Compensation approved")
    REJECTED = "rejected", _("Compensation rejected")
    WITHDRAWN = "withdrawn", _("Compensation withdrawn")


class CompensationEvent(AppendOnlyModel):
    """One line of the compensation audit trail. Append-only."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=CompensationEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)


    class Meta:
        verbose_name = _("compensation event")
        verbose_name_plural = _("compensation events")
        ordering = ["at", "id"]


    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
