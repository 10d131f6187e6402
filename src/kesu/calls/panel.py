"""The calls panel of the desk: the phone calls logged on this complaint."""

from __future__ import annotations

from kesu.calls.selectors import calls_for_complaint
from kesu.complaints.models import Complaint
from kesu.core.models import User
from kesu.core.roles import Permission


def calls_context(user: User, complaint: Complaint) -> dict:
    if not user.can(Permission.COMPLAINT_HANDLE):  # transcripts and recordings: not for read-only roles
        return {}
    return {
        "calls": calls_for_complaint(complaint),
        "calls_can_log": user.can(Permission.COMPLAINT_CREATE),
    }
