"""The web forms. They parse and render; the actions decide what is valid.

Fields are plain text or selects with ``required=False``: a bad value reaches the action, whose
``FieldError`` is then shown next to the field it names (``DomainForm.add_domain_error``). That
keeps one set of rules for the API, the UI and every other intake.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kesu.complaints.attachments import ALLOWED_TYPES
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import Category, Channel, Priority, RootCause, Severity, Status
from kesu.complaints.selectors import ComplaintFilters
from kesu.core.actions import HANDLING_ROLES
from kesu.core.forms import DomainForm, time_in_range  # noqa: F401  (used by the forms below and other apps)
from kesu.core.models import Group, User
from kesu.core.storable import INTEGER_HIGH
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Tier
from kesu.queues.definitions import QUEUES, SORT_LABELS

ANY = ("", _("All"))
TRIAGE_DECIDES = ("", _("(triage decides)"))  # empty: the intake leaves it to triage
UNCHANGED = ("", _("(unchanged)"))


def category_choices() -> list[tuple[str, str]]:
    """Active categories, children labelled with their parent ("Logistics / Logistics delay")."""
    categories = Category.objects.filter(is_active=True).select_related("parent")
    parents = [c for c in categories if c.parent_id is None]
    children: dict[int, list[Category]] = {}
    for category in categories:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    choices = []
    for parent in parents:
        choices.append((parent.code, parent.name))
        choices += [(child.code, f"{parent.name} / {child.name}") for child in children.get(parent.pk, [])]
    return choices


def category_tree_choices(categories: list[Category]) -> list[tuple[str, str]]:
    """Active categories in tree order, children indented under their parent (from rows in hand)."""
    active = [c for c in categories if c.is_active]
    children: dict[int, list[Category]] = {}
    for category in active:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    choices = []
    for parent in (c for c in active if c.parent_id is None):
        choices.append((parent.code, parent.name))
        choices += [(child.code, f"\u00a0\u00a0\u00a0\u00a0{child.name}") for child in children.get(parent.pk, [])]
    return choices


CONTACT_CHANNEL_LABELS = {
    "phone": _("Phone"), "email": _("E-mail"), "sms": _("SMS"), "chat": _("Online chat"),
    "visit": _("Visit"), "other": _("Other"),
}
FOLLOW_UP_LABELS = {
    "satisfied": _("Satisfied"), "unsatisfied": _("Not satisfied"), "unreachable": _("Could not reach the customer"),
}


def group_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in Group.objects.order_by("code").values_list("code", "name")]


def handler_choices() -> list[tuple[str, str]]:
    """Active users who handle complaints, for the assign select."""
    users = User.objects.filter(is_active=True, role__in=list(HANDLING_ROLES)).order_by("username")
    return [(user.username, f"{user} ({user.username})") for user in users]


def _text(label, *, max_length: int | None = None, placeholder=None, **kwargs) -> forms.CharField:
    attrs = {"placeholder": placeholder} if placeholder else {}
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.TextInput(attrs=attrs), **kwargs
    )


def _area(label, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _select(label, choices=()) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class ComplaintFilterForm(DomainForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, text, customer, phone, order number")}
        ),
    )
    status = _select(_("Status"), [ANY, *Status.choices])
    channel = _select(_("Channel"), [ANY, *Channel.choices])
    category = _select(_("Category"))
    group = _select(_("Group"))
    assignee = _text(_("Assignee"), placeholder=_("username, or “none”"))
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        validators=[time_in_range],
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        validators=[time_in_range],
    )
    customer_id = forms.IntegerField(required=False, min_value=1, max_value=INTEGER_HIGH, widget=forms.HiddenInput)
    # from the analytics pages' click-through (issue 12)
    region = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    product = forms.CharField(required=False, max_length=128, widget=forms.HiddenInput)
    root_cause = forms.CharField(required=False, max_length=24, widget=forms.HiddenInput)
    # the queue (queues/definitions.py) the filters narrow; chosen in the sidebar
    queue = forms.ChoiceField(required=False, choices=[("", ""), *QUEUES.items()], widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[("", SORT_LABELS["newest"]), *list(SORT_LABELS.items())[1:]]
    )

    def __init__(self, *args, with_choices: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_choices:  # the htmx partial renders no form, so it skips these two queries
            self.fields["category"].widget.choices = [ANY, *category_choices()]
            self.fields["group"].widget.choices = [ANY, *group_choices()]

    def filters(self) -> ComplaintFilters:
        """The selector's filters; a date that does not parse is left out (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        created_from: date | None = data.get("created_from")
        created_to: date | None = data.get("created_to")
        return ComplaintFilters(
            status=data.get("status", ""),
            channel=data.get("channel", ""),
            category=data.get("category", ""),
            group=data.get("group", ""),
            assignee=data.get("assignee", "").strip(),
            customer_id=data.get("customer_id"),
            created_from=_day_start(created_from) if created_from else None,
            # "to" is inclusive: up to the start of the next day
            created_to=_day_start(created_to + timedelta(days=1)) if created_to else None,
            q=data.get("q", ""),
            sort=data.get("sort", ""),
            region=data.get("region", ""),
            product=data.get("product", ""),
            root_cause=data.get("root_cause", ""),
        )

    def queue_name(self) -> str:
        """The queue chosen, or "" (all complaints; an unknown name is ignored, like a stale link)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("queue", "")


class ComplaintNewForm(DomainForm):
    channel = _select(_("Channel"), Channel.choices)
    customer_name = _text(_("Customer name"))
    phone = _text(_("Phone"))
    email = _text(_("E-mail"))
    tier = _select(_("Customer tier"), [("", _("(unchanged / regular)")), *Tier.choices])
    subject = _text(_("Subject"))
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 7}))
    category = _select(_("Category"))
    severity = _select(_("Severity"), [TRIAGE_DECIDES, *Severity.choices])
    priority = _select(_("Priority"), [TRIAGE_DECIDES, *Priority.choices])
    region = _text(_("Region"))
    product = _text(_("Product"))
    batch = _text(_("Batch"))
    order_number = _text(_("Order number"))
    amount_claimed = _text(_("Amount claimed (yuan)"), placeholder="0.00")
    group = _select(_("Group"))

    domain_fields = {
        "customer": "customer_name",
        "customer.name": "customer_name",
        "customer.phone": "phone",
        "customer.email": "email",
        "customer.tier": "tier",
        "customer_id": "customer_name",
        "external_id": "customer_name",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [TRIAGE_DECIDES, *category_choices()]
        self.fields["group"].widget.choices = [("", _("(routing decides)")), *group_choices()]

    def draft(self) -> ComplaintDraft:
        self.is_valid()
        data = self.cleaned_data
        return ComplaintDraft(
            channel=data["channel"],
            content=data["content"],
            customer=CustomerHandles(
                name=data["customer_name"], phone=data["phone"], email=data["email"], tier=data["tier"]
            ),
            subject=data["subject"],
            category=data["category"],
            severity=data["severity"],
            priority=data["priority"],
            region=data["region"],
            product=data["product"],
            batch=data["batch"],
            order_number=data["order_number"],
            amount_claimed=data["amount_claimed"] or None,
            group=data["group"],
        )


class AssignForm(DomainForm):
    assignee = _select(_("Handler"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].widget.choices = [("", _("(choose)")), *handler_choices()]


class StartForm(DomainForm):
    pass


class PendForm(DomainForm):
    reason = _area(_("What are we waiting for?"), rows=2)


class ResumeForm(DomainForm):
    note = _area(_("Note"), rows=2)


class ResolveForm(DomainForm):
    """Resolve with a resolution summary and the root cause (tagged for analysis and prevention)."""

    resolution = _area(_("Resolution summary"), rows=4)
    root_cause = _select(_("Root cause"), [("", _("(choose)")), *RootCause.choices])


class CloseForm(DomainForm):
    note = _area(_("Note"), rows=2)


class ReopenForm(DomainForm):
    reason = _area(_("Reason for reopening"), rows=2)


class TransferForm(DomainForm):
    """The standard transfer form (转单模板): why, what was done, what is needed, who coordinates."""

    group = _select(_("To group"))
    reason = _area(_("Reason"), rows=2)
    done = _area(_("What was done"), rows=2)
    needed = _area(_("What is needed"), rows=2)
    coordinator = _select(_("Coordinator in copy"))
    accept_minutes = _text(
        _("Time to accept (working minutes)"), help_text=_("Empty: the time limit of the SLA policy.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].widget.choices = [("", _("(choose)")), *group_choices()]
        self.fields["coordinator"].widget.choices = [("", _("(none)")), *handler_choices()]


class ContactForm(DomainForm):
    channel = _select(_("How"), [(c, label) for c, label in CONTACT_CHANNEL_LABELS.items()])
    text = _area(_("What was said"), rows=2)


class FollowUpForm(DomainForm):
    outcome = _select(_("Outcome"), [(c, label) for c, label in FOLLOW_UP_LABELS.items()])
    text = _area(_("Note"), rows=2)


class MergeForm(DomainForm):
    primary = _text(_("Primary complaint number"), placeholder="KS-2026-000001")
    reason = _area(_("Reason"), rows=2)


class NoteForm(DomainForm):
    text = _area(_("Internal note"), rows=3)


TRANSITION_FORMS: dict[str, type[DomainForm]] = {
    "assign": AssignForm,
    "start": StartForm,
    "pend": PendForm,
    "resume": ResumeForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "transfer": TransferForm,
    "merge": MergeForm,
    "note": NoteForm,
    "contact": ContactForm,
    "follow_up": FollowUpForm,
}


class CorrectionForm(DomainForm):
    """A handler corrects (or confirms) triage's category and/or severity."""

    category = _select(_("Category"))
    severity = _select(_("Severity"), [UNCHANGED, *Severity.choices])
    reason = _area(_("Reason"), rows=2)

    def categories_offer(self, categories: list[Category]) -> None:
        """Fill the category select from rows the page already holds (no query of its own)."""
        self.fields["category"].widget.choices = [UNCHANGED, *category_tree_choices(categories)]


class AttachmentForm(DomainForm):
    """One upload. The accepted types are named beside the field; a dangerous file (a program, a type
    not on the list, a file whose content does not match its name) is refused with the reason."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("Images, PDF, office documents, text and audio; programs are refused."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_TYPES))}),
    )
