"""Reads of the e-mail channel."""

from __future__ import annotations

from django.db.models import QuerySet

from kesu.channels.models import InboundMessage, Outcome


def failed_intakes(*, limit: int | None = None) -> QuerySet[InboundMessage]:
    """The messages that could not be taken in, newest first, with their mailbox."""
    rows = InboundMessage.objects.filter(outcome=Outcome.FAILED).select_related("mailbox").order_by("-received_at", "-id")
    return rows[:limit] if limit else rows
