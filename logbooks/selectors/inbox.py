"""Reads of the updates inbox: partners' shared entries on the cases a user sees, and the
menu badge counting the unread ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from hrdcase.navigation import BADGE_CAP
from logbooks.models import EntryRead, LogEntry, Visibility

if TYPE_CHECKING:
    from accounts.models import User

#: the menu's "Updates" badge is kept this long per user: a partner's new shared entry shows
#: within it; the user's own reads show at once (``forget_inbox_badge``).
INBOX_BADGE_SECONDS = 30


def inbox_for(user: User) -> QuerySet[LogEntry]:
    """Shared entries written by OTHER organisations on cases ``user`` sees, newest first,
    annotated ``is_unread`` (one EXISTS per row, inside the same query)."""
    reads = EntryRead.objects.filter(user_id=user.pk, entry=OuterRef("pk"))
    return (
        LogEntry.objects.visible_to(user)
        .current()
        .filter(visibility=Visibility.SHARED)
        .exclude(organisation_id=user.organisation_id)
        .annotate(is_unread=~Exists(reads))
        .select_related("case", "author", "organisation")
        .order_by("-created_at")
    )


def _inbox_badge_key(user: User) -> str:
    return f"logbooks:inbox-badge:{user.pk}"


def inbox_badge_count(user: User) -> int:
    """The menu badge's count (up to ``BADGE_CAP``), from the cache when fresh: the menu is
    on every page, and the count costs ~7 ms (docs/performance.md, round 3)."""
    return caches["badges"].get_or_set(
        _inbox_badge_key(user),
        lambda: inbox_unread_count(user, up_to=BADGE_CAP),
        INBOX_BADGE_SECONDS,
    )


def forget_inbox_badge(user: User) -> None:
    """After ``user`` read entries (once the reads are committed)."""
    key = _inbox_badge_key(user)
    transaction.on_commit(lambda: caches["badges"].delete(key))


def inbox_unread_count(user: User, *, up_to: int | None = None) -> int:
    """Unread inbox entries; with ``up_to``, counting stops there (the menu badge shows
    "99+" from 100 on), so PostgreSQL stops at the 100th unread entry instead of walking
    the shared entries of every visible case on every page (docs/performance.md)."""
    unread = inbox_for(user).filter(is_unread=True)
    if up_to is None:
        return unread.count()
    return unread.order_by().values("pk")[:up_to].count()
