"""Reads of notifications: a person's list and their unread count."""

from __future__ import annotations

from django.db.models import QuerySet

from kesu.core.models import User
from kesu.notifications.models import ContactPoint, Notification


def notification_list(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the complaint each one is about (and its customer,
    whose name is masked for a reader who may not see it). Read through ``user``'s related manager,
    every row shares ``user`` as its recipient: masking decides with one viewer, no query per row."""
    notifications = user.notifications.select_related("complaint", "complaint__customer")
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get(*, user: User, notification_id: int) -> Notification | None:
    """One of the person's notifications (another person's is as good as missing)."""
    return user.notifications.filter(pk=notification_id).select_related("complaint").first()


def contact_point_get(*, user: User) -> ContactPoint | None:
    return ContactPoint.objects.filter(user=user).first()
