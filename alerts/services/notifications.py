"""Writes of the inbox: a user marks their own notifications read, one, all of a category,
or those about an object they just opened (a partner's shared entry).

Reading is the user's own business, never a write to the organisation's data: viewers mark
theirs read too. Each write forgets the user's menu badge once committed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Notification
from alerts.selectors.notifications import forget_badges, inbox_for

if TYPE_CHECKING:
    from accounts.models import User


def notification_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of ``user``'s notifications read (a notification of another user is not
    found: the caller opened it through ``inbox_for(user)``)."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_badges([user.pk])
    return notification


@transaction.atomic
def notifications_read_all(*, user: User, category: str | None = None) -> int:
    """Mark every unread notification of ``user`` read (of one ``category`` only, when
    given: "mark all read" on a filtered inbox reads what the user sees)."""
    count = (
        inbox_for(user, category=category, unread=True).order_by().update(read_at=timezone.now())
    )
    if count:
        forget_badges([user.pk])
    return count


def purged_subject() -> str:
    """What a notification about a purged case says instead of its subject (which named the
    case's pseudonym: the purge replaces it)."""
    return _("Notification about a purged case")


def notifications_forget_purged(*, object_ids: list[Any]) -> int:
    """Retention: the notifications about these objects of a purged case (a referral, a
    support request: written for the side that cannot open the case, so with no case link)
    forget their subjects. Found by ``source_id``, or by the object's id in their
    ``dedupe_key`` (every key names the object it is about, and ids are UUIDs): rows written
    without a ``source_id``, and reminders, are found too."""
    if not object_ids:
        return 0
    about = Q(source_id__in=object_ids)
    for object_id in object_ids:
        about |= Q(dedupe_key__contains=str(object_id))
    # unscoped: the purge runs for every tenant; narrowed to these objects.
    return Notification.objects.unscoped().filter(about).update(subject=purged_subject())


def notifications_read_about(*, user: User, source_ids: QuerySet | list[Any]) -> int:
    """``user`` opened the object(s) ``source_ids`` (e.g. every version of a shared entry):
    the notifications that point at them are read."""
    count = (
        Notification.objects.for_recipient(user)
        .filter(source_id__in=source_ids, read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    if count:
        forget_badges([user.pk])
    return count
