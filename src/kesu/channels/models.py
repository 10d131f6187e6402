"""The e-mail channel: mailboxes polled by IMAP, every message taken in, every reply sent by SMTP."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.core.models import Group

DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class Security(models.TextChoices):
    SSL = "ssl", _("TLS from the start (IMAPS, port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (loopback only)")


class Mailbox(models.Model):
    """An IMAP mailbox whose new messages become complaints or replies.

    The password is not stored: ``password_env`` names the environment variable that holds it
    (``KESU_MAILBOX_…``). ``uid_validity`` / ``last_uid`` remember how far the folder was read, so
    each message is fetched once.
    """

    name = models.SlugField(_("name"), max_length=48, unique=True)
    address = models.EmailField(
        _("mailbox address"), blank=True,
        help_text=_("the address customers write to; replies to its complaints are sent from it "
                    "(empty: the default sender, KESU_EMAIL_FROM)"),
    )
    host = models.CharField(_("IMAP host"), max_length=255)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    security = models.CharField(_("security"), max_length=8, choices=Security.choices, default=Security.SSL)
    ca_file = models.CharField(
        _("CA certificate file"), max_length=500, blank=True,
        help_text=_("PEM file of the certificate authority to trust (a private CA); empty: the system's"),
    )
    username = models.CharField(_("user name"), max_length=255)
    password_env = models.CharField(
        _("password variable"), max_length=64,
        help_text=_("name of the environment variable holding the password, e.g. KESU_MAILBOX_SUPPORT_PASSWORD"),
    )
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("group"),
        help_text=_("new complaints from this mailbox go to this group (empty: the routing rules decide)"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    max_message_bytes = models.PositiveIntegerField(
        _("largest message (bytes)"), default=DEFAULT_MAX_MESSAGE_BYTES,
        help_text=_("a larger message is not fetched; it is listed as a failed intake"),
    )
    uid_validity = models.PositiveBigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    last_uid = models.PositiveBigIntegerField(_("last UID taken in"), default=0)
    last_polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    # while a poll runs, no other poll of the same mailbox starts (a lease: a dead poller's runs out)
    polling_until = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    CREATED = "created", _("New complaint")
    REPLIED = "replied", _("Added to a complaint")
    IGNORED_AUTO = "ignored_auto", _("Ignored: automatic reply or bounce")
    IGNORED_DUPLICATE = "ignored_duplicate", _("Ignored: already taken in")
    FAILED = "failed", _("Failed intake")


# a Message-ID taken in with one of these outcomes is never taken in again
TAKEN_IN = (Outcome.CREATED, Outcome.REPLIED, Outcome.IGNORED_AUTO)


def raw_path(instance: InboundMessage, filename: str) -> str:
    return f"mail/failed/{instance.mailbox_id}/{filename}"


class InboundMessage(models.Model):
    """Every message fetched from a mailbox, once, with what became of it.

    A message that could not be taken in (``failed``) keeps its raw bytes in the data folder and the
    reason, and is listed by ``kesu channels failed`` and in the admin: never lost, never dropped.
    """

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    uid_validity = models.PositiveBigIntegerField()
    uid = models.PositiveBigIntegerField()
    message_id = models.CharField(_("Message-ID"), max_length=255)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    from_address = models.CharField(_("sender"), max_length=254, blank=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, help_text=_("the Date header"))
    received_at = models.DateTimeField(_("received at"), help_text=_("when kesu fetched it"))
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="inbound_messages"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    raw = models.FileField(_("raw message"), upload_to=raw_path, max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uid_validity", "uid"], name="inbound_once_per_uid"),
            # the same message re-sent, or delivered to two of our mailboxes, is taken in once
            models.UniqueConstraint(
                fields=["message_id"], condition=Q(outcome__in=TAKEN_IN), name="inbound_once_per_message_id"
            ),
        ]
        indexes = [
            models.Index(fields=["message_id"], name="inbound_message_id"),
            models.Index(fields=["complaint", "-received_at"], name="inbound_complaint_newest"),
            models.Index(fields=["outcome", "-received_at"], name="inbound_outcome_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.mailbox_id}:{self.uid} {self.from_address} ({self.outcome})"


class FailedIntake(InboundMessage):
    """The failed intakes alone (a proxy: the admin lists them with their reasons)."""

    class Meta:
        proxy = True
        verbose_name = _("failed intake")
        verbose_name_plural = _("failed intakes")


class OutboundState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")


class OutboundChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OutboundMessage(models.Model):
    """A reply to the customer, sent after the commit and retried with back-off: by SMTP (``email``:
    threaded, ``to`` is an address) or through the SMS gateway (``sms``: ``to`` is the customer's
    phone number; no sender, subject or threading — ``message_id`` only keeps rows unique)."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="outbound_messages"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=OutboundChannel.choices,
                               default=OutboundChannel.EMAIL)
    mailbox = models.ForeignKey(Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_address = models.CharField(_("sender"), max_length=254)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("reply text"))
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=OutboundState.choices, default=OutboundState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # a survey invitation or reminder: ``body`` holds a placeholder where the survey's link goes; the
    # link (a secret of the customer) is put in only when the e-mail is built, never stored
    survey = models.ForeignKey("surveys.Survey", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["complaint", "-created_at"], name="outbound_complaint_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.to} ({self.state})"


# webhooks


class WebhookChannel(models.TextChoices):
    CHAT = "chat", _("Online chat")
    SOCIAL = "social", _("Social media")
    SMS = "sms", _("SMS")


class WebhookSource(models.Model):
    """A chat, social-media or SMS gateway that posts customers' messages to
    ``/api/v1/channels/webhooks/{name}``, signed with HMAC-SHA256.

    The secret is not stored: ``secret_env`` names the environment variable that holds it
    (``KESU_WEBHOOK_…``).
    """

    name = models.SlugField(_("name"), max_length=48, unique=True,
                            help_text=_("the last part of the address the gateway posts to"))
    channel = models.CharField(_("channel"), max_length=8, choices=WebhookChannel.choices)
    secret_env = models.CharField(
        _("secret variable"), max_length=64,
        help_text=_("name of the environment variable holding the signing secret, e.g. KESU_WEBHOOK_WECHAT_SECRET"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("group"),
        help_text=_("new complaints from this source go to this group (empty: the routing rules decide)"),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook source")
        verbose_name_plural = _("webhook sources")

    def __str__(self) -> str:
        return self.name


class WebhookOutcome(models.TextChoices):
    CREATED = "created", _("New complaint")
    REPLIED = "replied", _("Added to a complaint")


class WebhookMessage(models.Model):
    """A message taken in from a webhook source, once per (source, id): a replayed id is refused."""

    source = models.ForeignKey(WebhookSource, on_delete=models.PROTECT, related_name="messages")
    message_id = models.CharField(_("message id"), max_length=200)
    thread_id = models.CharField(_("thread id"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="webhook_messages"
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=WebhookOutcome.choices)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        constraints = [
            models.UniqueConstraint(fields=["source", "message_id"], name="webhook_message_once"),
        ]
        indexes = [models.Index(fields=["source", "thread_id"], name="webhook_message_thread")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.message_id} ({self.outcome})"


class WebhookEvent(models.TextChoices):
    COMPLAINT_CREATED = "complaint.created", _("Complaint created")
    COMPLAINT_STATUS_CHANGED = "complaint.status_changed", _("Complaint status changed")
    SLA_WARNED = "sla.warned", _("Time limit warning")
    SLA_BREACHED = "sla.breached", _("Time limit breached")
    SURVEY_ANSWERED = "survey.answered", _("Survey answered")
    INCIDENT_MESSAGE = "incident.message", _("Incident message to a customer")


class WebhookSubscriber(models.Model):
    """A system that receives kesu's events, POSTed as signed JSON, retried with back-off.

    The signing secret is the environment variable named by ``secret_env``, else a secret kesu
    generated when the subscriber was created (shown once to the one who created it).
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    url = models.URLField(_("address"), max_length=500)
    secret_env = models.CharField(
        _("secret variable"), max_length=64, blank=True,
        help_text=_("name of the environment variable holding the signing secret, e.g. KESU_WEBHOOK_CRM_SECRET "
                    "(empty: kesu generates a secret, shown once)"),
    )
    secret = models.CharField(max_length=128, blank=True, editable=False)
    events = models.JSONField(_("events"), default=list, help_text=_("the events sent to this subscriber"))
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")


class WebhookDelivery(models.Model):
    """One event for one subscriber, and how sending it went: the subscriber's delivery log."""

    subscriber = models.ForeignKey(WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(_("delivery id"), unique=True, help_text=_("sent as X-Kesu-Delivery"))
    event_type = models.CharField(_("event"), max_length=32, choices=WebhookEvent.choices)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscriber", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscriber_id} ({self.state})"
