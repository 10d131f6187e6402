"""The one place a page's form shows an action's ``FieldError``: next to the field it names, in the
reader's language (the error carries a message id; it is rendered here, when shown)."""

from __future__ import annotations

from django import forms

from kesu.core.errors import FieldError


class DomainForm(forms.Form):
    """A form that shows an action's ``FieldError`` next to the field it names."""

    # the action's field names that this form shows under another name
    domain_fields: dict[str, str] = {}

    def domain_field(self, field: str) -> str | None:
        """The form field that shows an error of the action's ``field`` (``None``: the whole form)."""
        name = self.domain_fields.get(field, field)
        return name if name in self.fields else None

    def add_domain_error(self, error: FieldError) -> None:
        self.is_valid()  # add_error needs cleaned_data
        for field_error in error.field_errors:
            name = self.domain_field(field_error.field)
            self.add_error(name, field_error.message)
            if name:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_refusal(self, message: object) -> None:
        """A refusal that names no field (not permitted, a conflict), above the form."""
        self.is_valid()
        self.add_error(None, str(message))
