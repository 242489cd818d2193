"""Reads of a user's own notifications: the inbox (every update that concerns the user:
alerts, decisions, partners' shared entries, coordination, reminders), its unread count and
the menu badge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from alerts.kinds import Category, kinds_in, readable_sources
from alerts.models import Notification
from hrdcase.navigation import BADGE_CAP, forget_badge_counts, kept_badge_count
from hrdcase.tenancy import member_in_force

if TYPE_CHECKING:
    from accounts.models import User


def _readable(user: User) -> QuerySet[Notification]:
    """The user's own notifications, less those whose object the user may no longer open
    (``alerts.kinds.register_readable_source``: a partner's shared entry taken back, or on a
    case whose share ended or lapsed). The line goes with the right to read what it names:
    it is neither listed, nor counted, nor opened (404)."""
    rows = Notification.objects.visible_to(user)
    if not member_in_force(user):  # nothing to read (and no case a condition could name)
        return rows
    for kind, readable in readable_sources().items():
        # filter, not exclude: a NULL in the condition (no case) hides the line.
        rows = rows.filter(~Q(kind=kind) | readable(user))
    return rows


def inbox_for(
    user: User, *, category: str | None = None, unread: bool | None = None
) -> QuerySet[Notification]:
    """The user's inbox, newest first: every notification, or those of one ``category``
    (``alerts.kinds.Category``; an unknown one raises ``ValueError``: parse it first with
    ``parse_category``), the unread ones (``unread=True``) or the read ones (``False``)."""
    rows = _readable(user)
    if category:
        if category not in Category.values:
            raise ValueError(f"unknown inbox category {category!r}")
        rows = rows.filter(kind__in=kinds_in(category))
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return rows.select_related("alert").order_by("-created_at")


def parse_category(value: Any) -> str | None:
    """A category from a query string: blank is every category; anything else must be one
    of ``Category`` (``ValidationError`` naming the accepted values otherwise)."""
    if value in (None, ""):
        return None
    if value not in Category.values:
        raise ValidationError(
            _("Unknown category %(value)s: choose one of %(choices)s.")
            % {"value": str(value)[:40], "choices": ", ".join(Category.values)},
            code="invalid",
        )
    return str(value)


def unread_count(user: User, *, category: str | None = None, up_to: int | None = None) -> int:
    """The user's unread notifications (of one ``category``, when given); with ``up_to``,
    counting stops there (the badge shows "99+"), so the count never walks a long-neglected
    inbox."""
    unread = inbox_for(user, category=category, unread=True)
    if up_to is None:
        return unread.count()
    return unread.order_by().values("pk")[:up_to].count()


def unread_by_category(user: User) -> dict[str, int]:
    """Unread notifications per category (the inbox's filters), and under ``"all"`` every
    unread one (kinds without a category too), in one query."""
    counts = dict(
        _readable(user)
        .filter(read_at__isnull=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {
        "all": sum(counts.values()),
        **{
            category: sum(counts.get(kind, 0) for kind in kinds_in(category))
            for category in Category.values
        },
    }


def _badge_key(user_id: Any) -> str:
    return f"alerts:inbox-badge:{user_id}"


def inbox_badge_count(user: User) -> int:
    """The menu's "Inbox" badge (up to ``BADGE_CAP``), kept per user: the user's own reads
    and a new notification to the user show at once (``forget_badges``)."""
    return kept_badge_count(_badge_key(user.pk), lambda: unread_count(user, up_to=BADGE_CAP))


def forget_badges(user_ids: Iterable[Any]) -> None:
    """Once the current transaction commits (a read, a new notification), these users'
    badges are counted again on their next page."""
    forget_badge_counts([_badge_key(pk) for pk in user_ids])
