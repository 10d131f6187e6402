"""The compensation forms. They parse and render; the actions decide what is valid (amounts stay
text until ``parse_amount`` makes them a Decimal)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.compensation.models import CompensationRule
from kesu.complaints.models import Category, Severity
from kesu.core.forms import DomainForm


class CompensationForm(DomainForm):
    """A form that shows an action's ``FieldError`` next to the field it names, in the user's language."""


class ProposalForm(CompensationForm):
    amount = forms.CharField(
        label=_("Amount (yuan)"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "120.00", "autocomplete": "off"}),
    )
    remedy = forms.CharField(label=_("Remedy"), required=False, max_length=400,
                             widget=forms.TextInput(attrs={"list": "compensation-remedies"}))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(CompensationForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.TextInput(attrs={"placeholder": _("required to reject")}))


class WithdrawForm(CompensationForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class RuleForm(forms.ModelForm):
    """One row of the compensation matrix; remedies one per line. The model's validators and
    ``clean`` (minimum ≤ maximum, 0 … 1,000,000, two decimals) are the rules."""

    remedies_text = forms.CharField(
        label=_("Suggested remedies"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("one per line"),
    )
    min_amount = forms.DecimalField(label=_("Minimum amount (yuan)"), max_digits=12, decimal_places=2,
                                    min_value=Decimal(0), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    max_amount = forms.DecimalField(label=_("Maximum amount (yuan)"), max_digits=12, decimal_places=2,
                                    min_value=Decimal(0), widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    class Meta:
        model = CompensationRule
        fields = ["category", "severity", "min_amount", "max_amount", "position"]
        labels = {"category": _("Category"), "severity": _("Severity"), "position": _("Order")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).select_related("parent")
        self.fields["category"].empty_label = _("(any category)")
        self.fields["category"].required = False
        self.fields["severity"].choices = [("", _("(any severity)")), *Severity.choices]
        self.fields["severity"].required = False
        self.fields["position"].required = False
        if self.instance.pk:
            self.fields["remedies_text"].initial = "\n".join(self.instance.remedies or [])

    def clean_position(self):
        return self.cleaned_data.get("position") or 0

    def clean(self):
        cleaned = super().clean()
        lines = (cleaned.get("remedies_text") or "").splitlines()
        self.instance.remedies = [line.strip() for line in lines if line.strip()]
        return cleaned
