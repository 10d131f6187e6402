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


def time_in_range(value) -> None:  # type: ignore[no-untyped-def]
    """A form's day or time outside the years 1900–2999 is refused next to its field
    (``field.datetime_range``): near year 1 or 9999 "the next day" or the conversion to UTC overflows (a
    filter ``created_to=9999-12-31`` was an OverflowError, a 500)."""
    from kesu.core.messages import Message
    from kesu.core.storable import datetime_problem

    problem = datetime_problem(value)
    if problem:
        code, params = problem
        raise forms.ValidationError(str(Message(code, **params)), code=code)
