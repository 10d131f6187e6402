"""The wordings of the complaints app's message ids: life-cycle actions and statuses (used as
parameters of other messages), and the errors of intake, the life cycle, import and export."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import EventKind, Status
from kesu.core.messages import messages_define

ACTION_LABELS = {
    "assign": _("Assign"),
    "start": _("Start handling"),
    "pend": _("Wait for customer"),
    "resume": _("Resume"),
    "resolve": _("Resolve"),
    "close": _("Close"),
    "reopen": _("Reopen"),
    "transfer": _("Transfer"),
    "merge": _("Merge as duplicate"),
    "note": _("Add internal note"),
    "contact": _("Record customer contact"),
    "follow_up": _("Record follow-up visit"),
    "reply": _("Reply"),
}

messages_define({f"action.{name}": label for name, label in ACTION_LABELS.items()})
messages_define({f"status.{status.value}": status.label for status in Status})
messages_define({f"event.{kind.value}": kind.label for kind in EventKind})

messages_define(
    {
        "notice.transfer": _("%(number)s transferred to %(group)s"),
        "notice.transfer_body": _("%(number)s was transferred to your group. Reason: %(reason)s"),
        "transition.refused": _("Cannot “%(action)s” this complaint: its current status is “%(status)s”."),
        "transition.merged_reopen": _(
            "%(number)s was merged into %(primary)s and cannot be reopened; reopen %(primary)s instead."
        ),
        "transition.merged_reply": _("%(number)s was merged into %(primary)s; reply on %(primary)s."),
        "action.unknown": _("Unknown action “%(value)s”."),
        "category.unknown": _("Unknown category “%(value)s”."),
        "idempotency.reused": _("The Idempotency-Key %(key)s was already used with a different request."),
        "idempotency.concurrent": _("The Idempotency-Key %(key)s is being used by a concurrent request."),
        "complaint.no_such": _("There is no such complaint."),
        "complaint.not_found": _("There is no complaint “%(value)s”."),
        "files.type": _("Files of type “%(suffix)s” are not accepted. Allowed: %(allowed)s"),
        "recordings.type": _("Recordings of type “%(suffix)s” are not accepted. Allowed: %(allowed)s"),
        "attachment.empty": _("%(name)s is empty."),
        "attachment.too_large": _("%(name)s is %(size)s MB; the limit is %(limit)s MB."),
        "attachment.program": _("%(name)s looks like a program, not a %(suffix)s file."),
        "attachment.mismatch": _("%(name)s does not look like a %(suffix)s file."),
        "amount.float": _("Enter the amount as a decimal number."),
        "amount.invalid": _("“%(value)s” is not an amount."),
        "amount.negative": _("The amount must not be negative."),
        "amount.too_large": _("The amount must be below %(limit)s yuan."),
        "amount.decimals": _("The amount may have at most two decimal places."),
        "assignee.not_handler": _("%(user)s (%(role)s) does not handle complaints and cannot be assigned one."),
        "transfer.not_awaiting": _("%(number)s is not waiting for a group to accept a transfer."),
        "transfer.not_receiving_group": _("Only a member of the receiving group %(group)s may accept this transfer."),
        "transfer.same_group": _("The complaint is already in group %(group)s."),
        "merge.self": _("A complaint cannot be merged into itself."),
        "merge.primary_merged": _("%(number)s is itself merged into another complaint."),
        "merge.has_duplicates": _("%(number)s has duplicates merged into it; merge %(other)s into it instead."),
        "import.broken": _("%(name)s line %(line)s: %(reason)s; the %(count)s rows before it were imported."),
        "import.broken_dry": _("%(name)s line %(line)s: %(reason)s; the %(count)s rows before it would be imported."),
        "import.encoding": _("%(name)s: the text is neither UTF-8 nor GB18030; save it as UTF-8 CSV."),
        "import.not_xlsx": _("%(name)s is not a readable .xlsx workbook (%(reason)s)."),
        "import.one_of": _("one of %(columns)s"),
        "import.missing_columns": _("Missing column: %(columns)s; nothing was imported."),
        "import.number_repeated": _("%(number)s is already on row %(row)s (duplicate)."),
        "import.number_exists": _("%(number)s already exists (duplicate)."),
        "import.not_datetime": _("“%(value)s” is not a date and time (use 2026-03-02 09:00)."),
        "import.future": _("%(value)s is later than now."),
    }
)
