"""Reads of a user's own notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from alerts.models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user).order_by("-created_at")


def unread_notification_count(user: User) -> int:
    """The user's unread notifications (the menu's badge and the notification centre)."""
    return Notification.objects.for_recipient(user).filter(read_at__isnull=True).count()
