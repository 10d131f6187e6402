"""Reads of notifications: a person's list and their unread count."""

from __future__ import annotations

from django.db.models import QuerySet

from kesu.core.models import User
from kesu.notifications.models import ContactPoint, Notification


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the complaint each one is about."""
    notifications = Notification.objects.filter(recipient=user).select_related("complaint")
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get(*, user: User, notification_id: int) -> Notification | None:
    """One of the person's notifications (another person's is as good as missing)."""
    return Notification.objects.filter(recipient=user, pk=notification_id).first()


def contact_point_get(*, user: User) -> ContactPoint | None:
    return ContactPoint.objects.filter(user=user).first()
