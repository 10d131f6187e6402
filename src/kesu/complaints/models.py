"""The complaint record, its append-only timeline, attachments and the category tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kesu.core.appendonly import AppendOnlyModel
from kesu.core.models import Group
from kesu.customers.models import Customer


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Online chat")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    SOCIAL = "social", _("Social media")
    SMS = "sms", _("SMS")
    API = "api", _("API")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    URGENT = "urgent", _("Urgent")
    MAJOR = "major", _("Major")


class Priority(models.TextChoices):
    P1 = "P1", "P1"
    P2 = "P2", "P2"
    P3 = "P3", "P3"
    P4 = "P4", "P4"


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class ServiceType(models.TextChoices):
    """The type axis of the response templates (docs/architecture.md, "Handling tools": pre-sale / after-sale / technical)."""

    PRE_SALE = "pre_sale", _("Pre-sale")
    AFTER_SALE = "after_sale", _("After-sale")
    TECHNICAL = "technical", _("Technical")


class RootCause(models.TextChoices):
    """Why it happened, tagged when resolving (for analysis and prevention)."""

    PRODUCT_DEFECT = "product_defect", _("Product defect")
    SERVICE_ATTITUDE = "service_attitude", _("Service attitude")
    PROCESS = "process", _("Process or policy")
    LOGISTICS = "logistics", _("Logistics")
    BILLING_ERROR = "billing_error", _("Billing error")
    SYSTEM_FAULT = "system_fault", _("System fault")
    THIRD_PARTY = "third_party", _("Third party")
    MISUNDERSTANDING = "misunderstanding", _("Customer misunderstanding")
    OTHER = "other", _("Other")


class Category(models.Model):
    """A node of the editable category tree (seeded from the default category tree)."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    sort = models.PositiveSmallIntegerField(default=0)
    service_type = models.CharField(
        _("service type"), max_length=16, choices=ServiceType.choices, blank=True,
        help_text="chooses the response templates; empty: the parent's, else after-sale",
    )
    is_active = models.BooleanField(default=True)
    required_fields = models.JSONField(
        _("required fields"), default=list, blank=True,
        help_text="fields a complaint of this category must carry (工单生成标准 / 校标), e.g. order_number",
    )

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["sort", "code"]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def __str__(self) -> str:
        return self.name


class ComplaintSequence(models.Model):
    """The last complaint number issued per year (``KS-2026-000123``)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("complaint number sequence")
        verbose_name_plural = _("complaint number sequences")


class Complaint(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="complaints")
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.GENERAL
    )
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices, default=Priority.P3)
    region = models.CharField(_("region"), max_length=64, blank=True)
    product = models.CharField(_("product"), max_length=128, blank=True)
    batch = models.CharField(_("batch"), max_length=64, blank=True)
    order_number = models.CharField(_("order number"), max_length=64, blank=True)
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    last_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="who resolved it; a reopened complaint returns to them",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    root_cause = models.CharField(_("root cause"), max_length=24, choices=RootCause.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)
    # what triage found (the full result with reasons is the latest `triaged` event; these are for
    # lists, filters and routing)
    category_confirmed = models.BooleanField(
        _("category confirmed"), default=False, help_text="set by a person (intake or correction): training data"
    )
    emotion = models.PositiveSmallIntegerField(_("emotion temperature"), null=True, blank=True)
    needs_senior = models.BooleanField(_("for a senior handler"), default=False)
    red_channel = models.BooleanField(_("red channel"), default=False)
    repeat_count = models.PositiveSmallIntegerField(_("earlier complaints on the same issue"), default=0)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    quality_missing = models.JSONField(_("missing fields"), default=list, blank=True)
    # SLA (sla/clocks.py): the clocks as last computed, the next instant something falls due (the
    # sweep selects on it) and the escalation level reached
    sla = models.JSONField(_("time limits"), default=dict, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # for the queues (sla/clocks.py snapshot_marks): the next deadline of a running clock not yet
    # breached, and whether a running clock is breached
    sla_deadline_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    assigned_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="complaint_newest"),
            # the desk's "similar resolved complaints" read the newest resolved first
            models.Index(fields=["-resolved_at", "-id"], name="complaint_resolved_newest"),
            # ... and the newest resolved of the complaint's own category (desk.selectors.similar_resolved)
            models.Index(fields=["category", "-resolved_at", "-id"], name="complaint_category_resolved"),
            models.Index(fields=["status", "-created_at"], name="complaint_status_newest"),
            models.Index(fields=["group", "status"], name="complaint_group_status"),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_status"),
            models.Index(fields=["channel", "-created_at"], name="complaint_channel_newest"),
            models.Index(fields=["category", "-created_at"], name="complaint_category_newest"),
            models.Index(fields=["customer", "-created_at"], name="complaint_customer_newest"),
            # the list's "priority" and "due first" sorts over every complaint (queues/definitions.py
            # SORT_LABELS)
            models.Index(fields=["priority", "-created_at", "-id"], name="complaint_priority_newest"),
            models.Index(fields=["sla_deadline_at", "id"], name="complaint_deadline"),
            # the queues (queues/definitions.py) read open complaints only: small indexes of just those
            # rows keep a queue page's cost with the open complaints, not with the whole history. The
            # condition is the queues' own, written the same way (equalities joined by OR, in this
            # order: SQLite matches a partial index's condition to a query's bound values only so,
            # not through IN), so both planners use them.
            models.Index(
                fields=["-created_at", "-id"], name="complaint_open_newest",
                condition=models.Q(status="new") | models.Q(status="assigned") | models.Q(status="in_progress")
                | models.Q(status="pending_customer"),
            ),
            models.Index(
                fields=["assignee", "-created_at"], name="complaint_open_assignee",
                condition=models.Q(status="new") | models.Q(status="assigned") | models.Q(status="in_progress")
                | models.Q(status="pending_customer"),
            ),
            models.Index(
                fields=["group", "-created_at"], name="complaint_open_group",
                condition=models.Q(status="new") | models.Q(status="assigned") | models.Q(status="in_progress")
                | models.Q(status="pending_customer"),
            ),
            models.Index(
                fields=["sla_deadline_at", "id"], name="complaint_open_deadline",
                condition=models.Q(status="new") | models.Q(status="assigned") | models.Q(status="in_progress")
                | models.Q(status="pending_customer"),
            ),
            models.Index(
                fields=["priority", "-created_at", "-id"], name="complaint_open_priority",
                condition=models.Q(status="new") | models.Q(status="assigned") | models.Q(status="in_progress")
                | models.Q(status="pending_customer"),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    PENDED = "pended", _("Waiting for the customer")
    RESUMED = "resumed", _("Resumed")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    TRANSFERRED = "transferred", _("Transferred")
    MERGED = "merged", _("Merged into another complaint")
    MERGE_RECEIVED = "merge_received", _("Duplicate merged in")
    NOTE = "note", _("Internal note")
    TRIAGED = "triaged", _("Triaged")
    CORRECTED = "corrected", _("Triage corrected")
    ATTACHMENT = "attachment", _("Attachment added")
    ROUTED = "routed", _("Routed")
    CONTACTED = "contacted", _("Customer contacted")
    FOLLOWED_UP = "followed_up", _("Follow-up visit")
    SLA_APPLIED = "sla_applied", _("Time limits applied")
    SLA_PAUSED = "sla_paused", _("Time limits paused")
    SLA_RESUMED = "sla_resumed", _("Time limits resumed")
    SLA_WARNED = "sla_warned", _("Time limit warning")
    SLA_BREACHED = "sla_breached", _("Time limit breached")
    SLA_MET = "sla_met", _("Time limit met")
    ESCALATED = "escalated", _("Escalated")
    REMINDED = "reminded", _("Progress reminder")
    CUSTOMER_MESSAGE = "customer_message", _("Message from the customer")
    REPLY_SENT = "reply_sent", _("Reply sent to the customer")
    CALL = "call", _("Phone call")
    COMPENSATION = "compensation", _("Compensation")
    INCIDENT_LINKED = "incident_linked", _("Linked to an incident")
    INCIDENT_UNLINKED = "incident_unlinked", _("Unlinked from an incident")
    INCIDENT_UPDATED = "incident_updated", _("Incident's expected recovery moved")
    CUSTOMER_VERDICT = "customer_verdict", _("Customer's verdict on the resolution")


class ComplaintEvent(AppendOnlyModel):
    """One line of a complaint's timeline. Append-only: never updated, never deleted."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    data = models.JSONField(default=dict, blank=True)


    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="event_complaint_at")]


    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.complaint.number}/{instance.stored_name}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IdempotencyKey(models.Model):
    """``Idempotency-Key`` of a create request: the same key and body give the same complaint."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key")]


class ImportedRow(models.Model):
    """A row of an import file that became a complaint, by the digest of its cells: importing the same
    row again (the same file twice, or a corrected file after a break) never creates it twice."""

    fingerprint = models.CharField(max_length=64, unique=True)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
