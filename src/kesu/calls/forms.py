"""The call-logging form. It parses and renders; ``call_log`` decides what is valid."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.calls.actions import NEW, CallComplaint
from kesu.calls.models import Direction
from kesu.complaints.models import Priority, Severity
from kesu.web.forms import TRIAGE_DECIDES, DomainForm, category_choices

NONE = "none"  # log the call for the customer only
OTHER = "other"  # attach to a complaint typed by number


def _text(label, **attrs) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


class CallForm(DomainForm):
    number = _text(
        _("Phone number"), placeholder="138 0013 8000", autocomplete="off", inputmode="tel"
    )
    direction = forms.CharField(
        label=_("Direction"), required=False, initial=Direction.INBOUND,
        widget=forms.RadioSelect(choices=Direction.choices),
    )
    started_at = forms.CharField(
        label=_("Started at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_seconds = _text(_("Duration (mm:ss or seconds)"), placeholder="3:25", inputmode="numeric")
    customer_name = _text(_("Customer name (new customers)"))
    transcript = forms.CharField(
        label=_("Transcript"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    notes = forms.CharField(label=_("After-call notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recording = forms.FileField(
        label=_("Recording"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".mp3,.wav,.m4a,.aac,.amr,.ogg,audio/*"}),
    )
    # what the call is about: "new", "none", "other" (complaint_number) or an open complaint's number
    complaint = forms.CharField(required=False, initial=NEW, widget=forms.HiddenInput)
    complaint_number = _text(_("Complaint number"), placeholder="KS-2026-000001")
    subject = _text(_("Subject"))
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select())
    severity = forms.CharField(
        label=_("Severity"), required=False, widget=forms.Select(choices=[TRIAGE_DECIDES, *Severity.choices])
    )
    priority = forms.CharField(
        label=_("Priority"), required=False, widget=forms.Select(choices=[TRIAGE_DECIDES, *Priority.choices])
    )

    domain_fields = {
        "duration": "duration_seconds",
        "content": "transcript",
        "customer": "customer_name",
        "customer.name": "customer_name",
        "customer.phone": "number",
        "phone": "number",
        "complaint": "complaint_number",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [TRIAGE_DECIDES, *category_choices()]
        self.fields["number"].widget.attrs.update(
            {"data-shortcut": "n", "data-shortcut-label": _("Type the caller's number")}
        )
        self.fields["transcript"].widget.attrs.update(
            {"data-shortcut": "t", "data-shortcut-label": _("Write the transcript")}
        )

    def choice(self) -> str:
        self.is_valid()
        return (self.cleaned_data.get("complaint") or NEW).strip()

    def call_arguments(self) -> dict:
        """The keyword arguments of ``call_log`` (but ``by`` and ``now``)."""
        self.is_valid()
        data = self.cleaned_data
        choice = self.choice()
        if choice == NEW:
            target, new = NEW, CallComplaint(
                subject=data["subject"], category=data["category"], severity=data["severity"],
                priority=data["priority"],
            )
        elif choice == NONE:
            target, new = None, None
        elif choice == OTHER:
            target, new = data["complaint_number"].strip(), None  # empty: "is required"
        else:
            target, new = choice, None
        return {
            "direction": data["direction"],
            "number": data["number"],
            "started_at": data["started_at"],
            "duration_seconds": data["duration_seconds"],
            "transcript": data["transcript"],
            "notes": data["notes"],
            "recording": data.get("recording"),
            "customer_name": data["customer_name"],
            "complaint": target,
            "new_complaint": new,
        }
