"""The wordings of the privacy app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "privacy.not_your_complaint": _("Complaint %(number)s is handled by someone else's group; you may not act on it."),
        "import.nul": _("%(name)s contains NUL bytes and is not UTF-16 text; save it as UTF-8 CSV."),
        "import.shift_jis": _("%(name)s looks like Japanese Shift-JIS text, which kesu does not import; save it as UTF-8 CSV."),
        "api.no_endpoint": _("There is no API endpoint at %(path)s."),
        "api.too_large": _("The request body has %(got)s bytes; at most %(limit)s are accepted."),
        "api.http_error": _("The request was refused (HTTP %(status)s)."),
        "webhook.private_address": _(
            "%(host)s resolves to %(address)s, which is not a public address; an administrator may allow the host "
            "in KESU_WEBHOOK_ALLOWED_HOSTS."
        ),
        "webhook.unresolvable": _("The host %(host)s cannot be resolved."),
        "privacy.reason_required": _("Give the reason why you need the full value; it is logged."),
        "privacy.not_found": _("There is nothing with id %(id)s to reveal."),
        "privacy.no_customer": _("There is no such customer."),
        "privacy.erasure_reason_required": _("Give a reason of at least two characters."),
        "privacy.erasure_who_required": _("Name the customer by id, phone number or e-mail address."),
        "privacy.erasure_pending": _("Customer #%(customer)s already has an erasure request waiting for approval."),
        "privacy.erasure_decide": _("approve or reject erasure requests (administrators only)"),
        "privacy.erasure_own": _(
            "You filed this erasure request; a second administrator must approve it (four eyes)."
        ),
        "privacy.erasure_not_found": _("There is no erasure request #%(id)s."),
        "privacy.erasure_decided": _("This erasure request has already been decided."),
        "backup.no_pg_tool": _("%(tool)s is not installed; install the PostgreSQL client tools."),
        "backup.not_a_backup": _("%(name)s is not a kesu backup."),
        "backup.damaged": _("The backup is damaged: %(name)s does not match its checksum."),
        "backup.other_database": _("The backup is of a %(kind)s database; this kesu uses %(current)s."),
        "backup.not_empty": _("Restore needs an empty data folder and database; %(path)s is not empty."),
        "backup.restore_differs": _("The restored data differs from %(name)s."),
    }
)
