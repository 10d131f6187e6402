"""The forms of the queues: save the current list as a view, and the bulk bar."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.messages import ACTION_LABELS
from kesu.core.forms import DomainForm
from kesu.queues.actions import BULK_ACTIONS


class SavedViewForm(DomainForm):
    name = forms.CharField(
        label=_("View name"), required=False, widget=forms.TextInput(attrs={"placeholder": _("e.g. My P1 backlog")})
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def domain_field(self, field: str) -> str:
        # the query is hidden: its error is shown next to the name
        return field if field in self.fields and field != "query" else "name"


class BulkForm(forms.Form):
    """The bulk bar: what to do to the ticked complaints (``ids``, read by :meth:`ids_given`), and the fields the action needs."""

    action = forms.ChoiceField(
        label=_("Bulk action"), required=False,
        choices=[("", _("Choose an action")), *[(a, ACTION_LABELS[a]) for a in BULK_ACTIONS]],
    )
    assignee = forms.CharField(
        label=_("Assignee"), required=False, widget=forms.TextInput(attrs={"placeholder": _("username")})
    )
    group = forms.CharField(label=_("Group"), required=False, widget=forms.Select())
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Why transfer")})
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, group_options: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if group_options is not None:
            self.fields["group"].widget.choices = [("", _("(transfer to group)")), *group_options]

    def ids_given(self) -> list[int]:
        """The ids as posted (whole numbers only); the action says which name no complaint."""
        ids = []
        for value in self.data.getlist("ids") if hasattr(self.data, "getlist") else []:
            value = str(value).strip()
            if value.isdigit():
                ids.append(int(value))
        return ids
