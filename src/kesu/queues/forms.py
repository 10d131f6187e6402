"""The forms of the queues: save the current list as a view, and the bulk bar."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.core.errors import FieldError
from kesu.queues.actions import BULK_ACTIONS
from kesu.queues.text import queue_message
from kesu.web.domain_text import ACTION_LABELS
from kesu.web.forms import DomainForm


class SavedViewForm(DomainForm):
    name = forms.CharField(
        label=_("View name"), required=False, widget=forms.TextInput(attrs={"placeholder": _("e.g. My P1 backlog")})
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput)

    def add_domain_error(self, error: FieldError) -> None:
        self.is_valid()
        for field, message in error.errors:
            # the query is hidden: its error is shown next to the name
            name = field if field in self.fields and field != "query" else "name"
            self.add_error(name, queue_message(message))
            self.fields[name].widget.attrs["aria-invalid"] = "true"


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
