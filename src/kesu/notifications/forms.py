"""The form of a person's delivery settings (mobile number, email and SMS on or off)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ContactSettingsForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone (for SMS)"), required=False, max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email_enabled = forms.BooleanField(label=_("Send me notifications by email"), required=False)
    sms_enabled = forms.BooleanField(label=_("Send me notifications by SMS"), required=False)
