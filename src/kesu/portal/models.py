"""The customer portal's records: private tracking links and the per-address submission log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint


class TrackingLink(models.Model):
    """A customer's private link to one complaint (``/portal/t/<token>/``).

    Only the SHA-256 digest of the token is stored (like ``core.ApiToken``): the raw token is shown
    once, to the customer, and a leaked database does not open anyone's complaint.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="tracking_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.digest[:8]}…"


class PortalSender(models.Model):
    """One network address that sent complaints recently (a keyed digest, never the address).

    Its row is what concurrent submissions from the same address lock, so that they count each
    other even when the address has no submission in the window yet (PostgreSQL; SQLite writers
    queue anyway).
    """

    address_digest = models.CharField(max_length=64, unique=True)
    last_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.address_digest[:8]}…"

    class Meta:
        verbose_name = _("portal sender")
        verbose_name_plural = _("portal senders")


class PortalSubmission(models.Model):
    """One complaint sent through the portal form, for the per-address rate limit.

    The address is kept as a keyed digest, not in clear (personal data, docs/architecture.md, "The customer side"); rows
    older than the limit's window are deleted as new ones come in.
    """

    address_digest = models.CharField(max_length=64)
    at = models.DateTimeField()
    complaint = models.ForeignKey(Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("portal submission")
        verbose_name_plural = _("portal submissions")
        indexes = [
            models.Index(fields=["address_digest", "at"], name="portal_submission_address_at"),
            models.Index(fields=["at"], name="portal_submission_at"),
        ]

    def __str__(self) -> str:
        return f"{self.address_digest[:8]}… {self.at:%Y-%m-%d %H:%M}"


class LookupCode(models.Model):
    """A one-time code sent to a customer who lost their tracking link and asked for a new one with
    the complaint's number and their phone or e-mail.

    A request that matches nothing gets a row too (``complaint`` empty, nothing sent), so the answer
    never tells a stranger whether a number and a contact belong together. Only a keyed digest of
    the code is stored; it expires, and a few wrong tries use it up.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    address_digest = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    sent_to = models.CharField(max_length=254, blank=True)  # masked, as the page shows it
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tracking-link code")
        verbose_name_plural = _("tracking-link codes")
        indexes = [models.Index(fields=["address_digest", "created_at"], name="portal_lookup_address_at")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.created_at:%Y-%m-%d %H:%M}"
