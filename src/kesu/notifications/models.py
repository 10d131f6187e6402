"""Notices to people of the centre: the in-app notification (the bell) and its outside deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.core.messages import message_render


class Notification(models.Model):
    """One notice to one person. It is shown in the app at once; email and SMS follow as deliveries."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.SlugField(_("kind"), max_length=32)
    # the title and body as message ids with parameters, rendered in the reader's language when shown
    # (title_text / body_text); title and body keep the wording in the centre's language when written
    # (the admin's search, and rows written before message ids)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    title_message = models.JSONField(_("title (message id)"), default=dict, blank=True)
    body_message = models.JSONField(_("body (message ids)"), default=list, blank=True)
    # chosen by the caller, e.g. "sla:42:resolution:breached:2"; the same key to the same person is
    # not repeated within the decay period
    key = models.CharField(_("key"), max_length=200)
    urgent = models.BooleanField(_("urgent"), default=False)
    # a file in the data folder (relative path) sent with the e-mail, e.g. an analytics report's XLSX
    attachment = models.CharField(_("attachment"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
            models.Index(fields=["recipient", "key", "created_at"], name="notif_recipient_key"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"

    def shown(self, value):
        """``value`` as the recipient may see it: personal data masked unless they may work on the
        complaint (issue 15 §1, ``kesu.privacy.policy.notice_mask``)."""
        from kesu.privacy.policy import notice_mask

        return notice_mask(self, value)

    @property
    def title_text(self) -> str:
        """The title in the active language, as the recipient may see it."""
        if self.title_message:
            return self.shown(message_render(self.title_message["code"], self.title_message.get("params")))
        return self.shown(self.title)

    @property
    def body_text(self) -> str:
        """The body in the active language (one line per message), as the recipient may see it."""
        if self.body_message:
            lines = (message_render(m["code"], m.get("params")) for m in self.body_message)
            return self.shown("\n".join(lines))
        return self.shown(self.body)


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """Sending one notification through one outside channel, with its attempts."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=DeliveryChannel.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # when it may first be sent: the recipient's next working time, or at once when urgent
    not_before = models.DateTimeField(_("not before"))
    # when the next attempt is due; while an attempt runs it is pushed forward by a lease, so no other
    # consumer takes the same delivery
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outside delivery")
        verbose_name_plural = _("outside deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.notification_id} ({self.state})"


class ContactPoint(models.Model):
    """Where a person receives notices outside the app, and which channels they have turned off.

    The email address is the user's own; the mobile number lives here (the user model has none).
    A user with no row receives email when they have an address, and no SMS.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_point")
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email_enabled = models.BooleanField(_("receive email"), default=True)
    sms_enabled = models.BooleanField(_("receive SMS"), default=True)
    updated_at = models.DateTimeField(_("updated at"))

    def __str__(self) -> str:
        return f"{self.user}: {self.phone or '—'}"

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")


