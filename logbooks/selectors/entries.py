"""Reads of logbook entries: a case's logbook and an entry's versions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from logbooks.models import LogEntry

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries_visible(user: User) -> QuerySet[LogEntry]:
    """Every version of every entry ``user`` may see, with what an entry's page shows."""
    return LogEntry.objects.visible_to(user).select_related(
        "case", "author", "organisation", "milestone"
    )


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


def entry_versions(entry: LogEntry, user: User) -> QuerySet[LogEntry]:
    """Every version of ``entry``'s thread that ``user`` may see, oldest first."""
    return (
        LogEntry.objects.visible_to(user)
        .filter(version_of_id=entry.version_of_id)
        .select_related("author")
        .order_by("version")
    )
