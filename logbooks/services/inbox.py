"""Writes of the updates inbox: a user read a partner's shared entry, or all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from logbooks.models import EntryRead, LogEntry
from logbooks.selectors.inbox import forget_inbox_badge, inbox_for

if TYPE_CHECKING:
    from accounts.models import User


def entry_mark_read(*, entry: LogEntry, user: User) -> None:
    _read, created = EntryRead.objects.get_or_create(user=user, entry=entry)
    if created:
        forget_inbox_badge(user)


@transaction.atomic
def inbox_mark_all_read(*, user: User) -> int:
    unread = list(inbox_for(user).filter(is_unread=True).values_list("pk", flat=True))
    EntryRead.objects.bulk_create(
        [EntryRead(user=user, entry_id=pk) for pk in unread], ignore_conflicts=True
    )
    forget_inbox_badge(user)
    return len(unread)
