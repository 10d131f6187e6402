"""The compensation panel of the desk: the matrix's suggestion, proposals and their audit."""

from __future__ import annotations

from kesu.complaints.models import Complaint
from kesu.core.models import User


def compensation_context(user: User, complaint: Complaint) -> dict:
    return {}
