"""The portal's forms. They parse and render; the actions decide what is valid (as in ``web/forms.py``)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.models import Category
from kesu.core.errors import FieldError
from kesu.portal.actions import PortalComplaint
from kesu.web.domain_text import domain_message
from kesu.web.forms import DomainForm

_PORTAL_RULES = [
    (
        re.compile(r"give a phone number or an e-mail address, so that we can reach you"),
        lambda g: _("Enter a phone number or an e-mail address, so that we can reach you."),
    ),
]


def portal_message(message: str) -> str:
    """The customer's-language wording of a domain message (the portal's own, then the staff UI's)."""
    for pattern, say in _PORTAL_RULES:
        if pattern.fullmatch(message):
            return say({})
    return domain_message(message)


class PortalForm(DomainForm):
    def add_domain_error(self, error: FieldError) -> None:
        self.is_valid()
        for field, message in error.errors:
            name = self.domain_fields.get(field, field)
            name = name if name in self.fields else None
            self.add_error(name, portal_message(message))
            if name:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


def _text(label, *, input_type: str = "text", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.TextInput(attrs={"type": input_type, **attrs})
    )


class ComplaintForm(PortalForm):
    name = _text(gettext_lazy("Your name"), autocomplete="name")
    phone = _text(gettext_lazy("Phone"), input_type="tel", autocomplete="tel")
    email = _text(gettext_lazy("E-mail"), input_type="email", autocomplete="email")
    content = forms.CharField(
        label=gettext_lazy("What happened?"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = forms.CharField(label=gettext_lazy("Category (optional)"), required=False, widget=forms.Select())
    order_number = _text(gettext_lazy("Order number (optional)"))
    file = forms.FileField(label=gettext_lazy("Attachment (optional)"), required=False)

    domain_fields = {
        "customer.name": "name",
        "customer.phone": "phone",
        "customer.email": "email",
        "customer": "phone",
    }

    def __init__(self, *args, categories: list[Category] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = [("", _("(not sure)"))] + [(c.code, c.name) for c in categories]

    def submission(self) -> PortalComplaint:
        self.is_valid()
        data = self.cleaned_data
        return PortalComplaint(
            content=data.get("content", ""), name=data.get("name", ""), phone=data.get("phone", ""),
            email=data.get("email", ""), category=data.get("category", ""),
            order_number=data.get("order_number", ""),
        )

    def upload(self):
        self.is_valid()
        return self.cleaned_data.get("file")


class MessageForm(PortalForm):
    text = forms.CharField(
        label=gettext_lazy("Add information"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label=gettext_lazy("Attachment (optional)"), required=False)

    def upload(self):
        self.is_valid()
        return self.cleaned_data.get("file")
