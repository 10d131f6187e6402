"""What the one-page desk shows beside the complaint: customer history, composer, suggestions."""

from __future__ import annotations

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.models import User


def desk_context(user: User, complaint: Complaint, events: list[ComplaintEvent]) -> dict:
    return {}
