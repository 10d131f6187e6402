"""The declaration, update and resolution forms of the incident pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import RootCause
from kesu.core.forms import DomainForm, time_in_range
from kesu.core.storable import INTEGER_HIGH
from kesu.incidents.models import Kind

LIST_HELP = _("One per line, or separated by commas.")


def split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace("，", ",").replace("\n", ",").split(",") if part.strip()]


class DeclareForm(DomainForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    announcement_zh = forms.CharField(label=_("Announcement (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)
    announcement_en = forms.CharField(label=_("Announcement (English)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)
    regions = forms.CharField(label=_("Regions"), required=False, help_text=LIST_HELP,
                              widget=forms.Textarea(attrs={"rows": 2, "placeholder": "广东省深圳市南山区"}))
    products = forms.CharField(label=_("Products or services"), required=False, help_text=LIST_HELP)
    categories = forms.CharField(label=_("Categories"), required=False, help_text=LIST_HELP)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=LIST_HELP)
    keywords = forms.CharField(label=_("Keywords"), required=False, help_text=LIST_HELP)
    starts_at = forms.DateTimeField(validators=[time_in_range], label=_("Start"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    expected_recovery_at = forms.DateTimeField(validators=[time_in_range], label=_("Expected recovery"), required=False,
                                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    description = forms.CharField(label=_("Internal description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    link_matching = forms.BooleanField(label=_("Link the matching open complaints now and answer them"),
                                       required=False, initial=True)
    suggestion_id = forms.IntegerField(required=False, min_value=1, max_value=INTEGER_HIGH, widget=forms.HiddenInput)

    domain_fields = {"announcement.zh-hans": "announcement_zh", "announcement.en": "announcement_en",
                     "announcement": "announcement_zh", "scope": "regions"}

    def domain_field(self, field: str) -> str | None:
        if field.startswith("scope."):
            name = field.split(".", 1)[1].split("[", 1)[0]
            return name if name in self.fields else "regions"
        return super().domain_field(field)

    def scope(self) -> dict:
        data = self.cleaned_data
        return {name: split(data.get(name, "")) for name in ("regions", "products", "categories", "tags", "keywords")}

    def declaration(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data.get("title", ""), "kind": data.get("kind", ""),
            "announcement": {"zh-hans": data.get("announcement_zh", ""), "en": data.get("announcement_en", "")},
            "scope": self.scope(), "starts_at": data.get("starts_at"),
            "expected_recovery_at": data.get("expected_recovery_at"), "description": data.get("description", ""),
            "link_matching": bool(data.get("link_matching")), "suggestion_id": data.get("suggestion_id"),
        }


class UpdateForm(DomainForm):
    announcement_zh = forms.CharField(label=_("Announcement (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)
    announcement_en = forms.CharField(label=_("Announcement (English)"), widget=forms.Textarea(attrs={"rows": 3}),
                                      required=False)
    expected_recovery_at = forms.DateTimeField(validators=[time_in_range], label=_("Expected recovery"), required=False,
                                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    domain_fields = {"announcement.zh-hans": "announcement_zh", "announcement.en": "announcement_en"}


class ResolveForm(DomainForm):
    message_zh = forms.CharField(label=_("Closing message (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    message_en = forms.CharField(label=_("Closing message (English)"), widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False)
    root_cause = forms.ChoiceField(label=_("Root cause"), choices=[("", "—"), *RootCause.choices], required=False)
    domain_fields = {"message.zh-hans": "message_zh", "message.en": "message_en"}
