"""The calls panel of the desk: the phone calls logged on this complaint."""

from __future__ import annotations

from kesu.complaints.models import Complaint
from kesu.core.models import User


def calls_context(user: User, complaint: Complaint) -> dict:
    return {}
