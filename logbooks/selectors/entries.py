"""Reads of logbook entries: a case's logbook and an entry's versions."""

from __future__ import annotations

import datetime
import unicodedata
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from hrdcase.links import object_url
from logbooks.models import LogEntry

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case
    from cases.registries.timeline import TimelineItem


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


#: the case page shows this much of an entry's summary (its page shows it whole).
SUMMARY_CHARS = 240


def _start_of(summary: str) -> str:
    # Truncator normalizes and walks every character (~40 µs an entry): only for the long ones
    if len(summary) <= SUMMARY_CHARS:
        return unicodedata.normalize("NFC", summary)
    return Truncator(summary).chars(SUMMARY_CHARS)


def entry_item(entry: LogEntry) -> TimelineItem:
    """An entry as a line of the case page (the timeline, the quick log's latest entries and
    the one it just logged): its kind linked to its page, shared or internal, its version once
    corrected, who wrote it for which organisation, and the start of its summary."""
    from cases.registries.timeline import Tag, TimelineItem

    tags = [Tag(_("shared"), "tag shared") if entry.is_shared else Tag(_("internal"))]
    if entry.version > 1:
        tags.append(Tag(_("version %(n)s") % {"n": entry.version}))
    return TimelineItem(
        at=entry.occurred_at,
        kind="entry",
        title=entry.get_kind_display(),
        url=object_url("logbooks:entry_detail", entry.pk),
        tags=tuple(tags),
        byline=f"{entry.organisation.name} · {entry.author.full_name or entry.author.email}",
        detail=_start_of(entry.summary),
    )
