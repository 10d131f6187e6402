"""Data protection records (issue 15): who saw what, erasure requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.core.appendonly import AppendOnlyModel


class AccessAction(models.TextChoices):
    COMPLAINT_VIEW = "complaint_view", _("viewed a complaint")
    CUSTOMER_VIEW = "customer_view", _("viewed a customer")
    CUSTOMER_SEARCH = "customer_search", _("searched customers")
    RECORDING = "recording", _("played a call recording")
    ATTACHMENT = "attachment", _("opened an attachment")
    EXPORT = "export", _("exported data")
    REVEAL = "reveal", _("revealed a masked value")
    PERSON_EXPORT = "person_export", _("exported a person's data")
    ERASURE = "erasure", _("erased a person's data")


class AccessLog(AppendOnlyModel):
    """Append-only: who, when, what, from where, why. Kept at least 3 years (no job deletes it)."""

    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("who"))
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=AccessAction.choices)
    object_type = models.CharField(_("object type"), max_length=24, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    field = models.CharField(_("field"), max_length=32, blank=True)
    ip = models.CharField(_("from where"), max_length=64, blank=True)
    channel = models.CharField(_("via"), max_length=8, blank=True)  # web, api, cli
    reason = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="access_object")]


class RetentionPolicy(models.Model):
    """"Anonymise complaints closed more than ``months`` months ago" for a category and/or channel
    (empty = any). Off by default: a centre switches a policy on once it has decided the period."""

    category = models.ForeignKey("complaints.Category", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("category"))
    channel = models.CharField(_("channel"), max_length=16, blank=True)
    months = models.PositiveSmallIntegerField(_("months after closing"))
    enabled = models.BooleanField(_("enabled"), default=False)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.channel or '*'}: {self.months}"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved: erased")
    REJECTED = "rejected", _("rejected")


class ErasureRequest(models.Model):
    """A request to erase one customer (PIPL Art. 47), filed by an administrator or the data-protection
    officer and approved — the erasure then runs — or rejected by a second administrator. It names the
    customer by id only: the phone or e-mail typed when filing is not stored."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    reason = models.CharField(_("reason"), max_length=500)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=10, choices=ErasureStatus.choices,
                              default=ErasureStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} customer {self.customer_id}: {self.status}"
