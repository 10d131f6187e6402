"""The public survey form and the follow-up record form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.surveys.actions import MAX_COMMENT
from kesu.surveys.models import FollowUpOutcome


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with how your complaint was handled?"),
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect,
        help_text=_("1 = very dissatisfied, 5 = very satisfied"),
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend?"),
        choices=[(n, str(n)) for n in range(0, 11)], coerce=int, empty_value=None, required=False,
        widget=forms.RadioSelect, help_text=_("0 = not at all likely, 10 = extremely likely"),
    )
    solved = forms.TypedChoiceField(
        label=_("Was your problem solved?"), choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"), required=False, max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices)
    text = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
