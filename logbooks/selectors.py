"""Reads of the logbooks app, all built on the two ``visible_to`` rules in models.py."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from cases.models import Case
from logbooks.models import (
    ActionParticipant,
    DiplomaticAction,
    EntryRead,
    LogEntry,
    ParticipantStatus,
    Visibility,
)

if TYPE_CHECKING:
    from accounts.models import User


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_of_case(
    case: Case, user: User, filters: dict[str, Any] | None = None
) -> QuerySet[LogEntry]:
    """Current versions of the entries of ``case`` that ``user`` may see, newest first.

    Filters: ``kind``, ``visibility``, ``author``, ``date_from``, ``date_to``. Summaries are
    encrypted, so there is no text search in SQL.
    """
    filters = filters or {}
    queryset = (
        LogEntry.objects.visible_to(user)
        .current()
        .filter(case=case)
        .select_related("author", "organisation")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-occurred_at", "-created_at")
    )
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("visibility"):
        queryset = queryset.filter(visibility=filters["visibility"])
    if filters.get("author"):
        queryset = queryset.filter(author=filters["author"])
    if filters.get("date_from"):
        queryset = queryset.filter(occurred_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        end = filters["date_to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(occurred_at__lt=_day_start(end))
    return queryset


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


#: the menu's "Updates" badge is kept this long per user: a partner's new shared entry shows
#: within it; the user's own reads show at once (``forget_inbox_badge``).
INBOX_BADGE_SECONDS = 30


def _inbox_badge_key(user: User) -> str:
    return f"logbooks:inbox-badge:{user.pk}"


def inbox_badge_count(user: User) -> int:
    """The menu badge's count (up to ``BADGE_CAP``), from the cache when fresh: the menu is
    on every page, and the count costs ~7 ms (docs/performance.md, round 3)."""
    from hrdcase.navigation import BADGE_CAP

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


def actions_visible(user: User) -> QuerySet[DiplomaticAction]:
    return (
        DiplomaticAction.objects.visible_to(user)
        .select_related("organisation", "created_by", "case")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=ActionParticipant.objects.select_related("organisation"),
            )
        )
    )


def actions_of_case(case: Case, user: User) -> QuerySet[DiplomaticAction]:
    """Every organisation's actions on a case the user sees ("who already raised it")."""
    return actions_visible(user).filter(case=case).order_by("-taken_on", "-created_at")


def actions_taken_part_in(user: User) -> QuerySet[DiplomaticAction]:
    """Joint actions the user's organisation was invited to (pending or accepted)."""
    return (
        actions_visible(user)
        .filter(
            participants__organisation_id=user.organisation_id,
            participants__status__in=[ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED],
        )
        .distinct()
        .order_by("-taken_on", "-created_at")
    )


def user_sees_case(user: User, case_id) -> bool:
    return Case.objects.visible_to(user).filter(pk=case_id).exists()


def participation_of(action: DiplomaticAction, user: User) -> ActionParticipant | None:
    for participant in action.participants.all():
        if participant.organisation_id == user.organisation_id:
            return participant
    return None
