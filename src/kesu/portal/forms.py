"""The portal's forms. They parse and render; the actions decide what is valid (as in ``web/forms.py``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.models import Category
from kesu.core.forms import DomainForm
from kesu.portal.actions import PortalComplaint


class PortalForm(DomainForm):
    """The portal's forms show the actions' errors as the staff pages do."""


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
    # where it happened: matched against the known incidents' regions (a datalist offers theirs)
    province = _text(gettext_lazy("Province (optional)"), list="region-provinces", autocomplete="address-level1")
    city = _text(gettext_lazy("City (optional)"), list="region-cities", autocomplete="address-level2")
    district = _text(gettext_lazy("District (optional)"), list="region-districts", autocomplete="address-level3")

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
            order_number=data.get("order_number", ""), province=data.get("province", ""),
            city=data.get("city", ""), district=data.get("district", ""),
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


class LookupForm(PortalForm):
    number = _text(gettext_lazy("Complaint number"), placeholder="KS-2026-000123", autocomplete="off")
    contact = _text(gettext_lazy("The phone number or e-mail you gave us"), autocomplete="tel")


class CodeForm(PortalForm):
    code = _text(gettext_lazy("Code"), inputmode="numeric", autocomplete="one-time-code", maxlength="6")
