"""Reads of entries' documents: they follow the version that holds them, exactly
(``Attachment.visible_to``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from logbooks.models import Attachment, LogEntry

if TYPE_CHECKING:
    from accounts.models import User


def attachments_visible(user: User) -> QuerySet[Attachment]:
    return Attachment.objects.visible_to(user)


def attachments_of_entry(entry: LogEntry, user: User) -> QuerySet[Attachment]:
    """The documents of this version of the entry."""
    return attachments_visible(user).filter(entry=entry)


def attachments_of_thread(entry: LogEntry, user: User) -> QuerySet[Attachment]:
    """The documents of every version of ``entry`` that ``user`` may see (the entry page)."""
    return (
        attachments_visible(user)
        .filter(entry__version_of_id=entry.version_of_id)
        .select_related("entry")
    )
