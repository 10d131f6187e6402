"""The wordings of the security app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "security.account_locked": _(
            "Too many failed logins for the account %(username)s: it is locked until %(until)s "
            "(%(minutes)s minutes). Try again then, or ask an administrator to unlock it."
        ),
        "security.address_locked": _(
            "Too many failed attempts from the address %(address)s: it is blocked until %(until)s "
            "(%(minutes)s minutes)."
        ),
        "security.session_idle": _(
            "You were logged out after %(minutes)s minutes without activity; log in again."
        ),
        "security.session_too_long": _(
            "You were logged out: a session lasts at most %(hours)s hours; log in again."
        ),
        "security.sessions_ended": _("%(count)s other session(s) were logged out."),
        "security.password_changed": _("Your password was changed; your other sessions were logged out."),
        "token.missing": _("Send an API token: Authorization: Bearer <token>."),
        "token.unknown": _("The API token is not valid (unknown or revoked)."),
        "token.expired": _(
            "The API token %(prefix)s… expired on %(expired)s; create a new one with kesu token create."
        ),
        "token.read_only": _("The API token %(prefix)s… is read-only; %(method)s requests are refused."),
        "security.password_weak": _("The password is not accepted: %(reasons)s"),
    }
)
