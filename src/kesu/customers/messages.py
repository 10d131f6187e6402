"""The wordings of the customers app's message ids."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "customer.unknown": _("There is no customer with id %(value)s."),
        "customer.handles_missing": _("Enter at least the customer's name, phone or e-mail."),
        "customer.bad_phone": _("“%(value)s” is not a phone number."),
        "customer.bad_email": _("“%(value)s” is not an e-mail address."),
    }
)
