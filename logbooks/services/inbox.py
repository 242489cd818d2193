"""A partner's shared entry reaches the inbox of every follower of the case, and is read
there or by opening it (the inbox is the alerts app's: ``alerts:notifications``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.kinds import SHARED_ENTRY, Category
from alerts.models import Notification
from alerts.services.notifications import notifications_read_about, notifications_read_all
from alerts.services.notify import notify
from logbooks.models import LogEntry
from logbooks.selectors.inbox import followers_of

if TYPE_CHECKING:
    from accounts.models import User


def shared_entry_notify(entry: LogEntry) -> list[Notification]:
    """Tell the followers of ``entry``'s case (``followers_of``) that a shared version was
    written: a new entry, or a correction that is still shared. In the entry service's
    transaction (the outbox: no notification without its entry, no entry without them).

    The subject carries the pseudonym and the kind of entry, never the summary: the entry
    may be taken back later (an internal correction, a share ending) and its page then
    answers 404, while the inbox line stays. No e-mail unless the recipient asked for this
    kind by e-mail (``alerts.kinds``: off by default)."""
    if not entry.is_shared or not entry.is_current:
        return []
    values = {"pseudonym": entry.case.pseudonym, "kind": entry.get_kind_display()}
    subject = (
        _("Shared entry corrected on %(pseudonym)s: %(kind)s")
        if entry.version > 1
        else _("Shared entry on %(pseudonym)s: %(kind)s")
    ) % values
    created = notify(
        recipients=followers_of(entry),
        kind=SHARED_ENTRY,
        subject=subject,
        dedupe_key=f"logbooks.shared_entry:{entry.pk}",
        url=reverse("logbooks:entry_detail", kwargs={"pk": entry.pk}),
        case=entry.case,
        source_id=entry.pk,
    )
    if entry.supersedes_id:
        # The correction's line replaces the earlier versions' unread ones: one unread line
        # per entry, pointing at its latest text.
        # unscoped: the followers' rows in every partner's tenant, about this entry only.
        Notification.objects.unscoped().filter(
            kind=SHARED_ENTRY,
            source_id__in=_versions(entry).exclude(pk=entry.pk),
            read_at__isnull=True,
        ).update(read_at=timezone.now())
    return created


def _versions(entry: LogEntry):
    # unscoped: the ids of the entry's own thread, compared with notifications only.
    return LogEntry.objects.unscoped().filter(version_of_id=entry.version_of_id).values("pk")


def entry_mark_read(*, entry: LogEntry, user: User) -> None:
    """``user`` opened a partner's shared entry: its notifications (of any version) are read."""
    notifications_read_about(user=user, source_ids=_versions(entry))


def inbox_mark_all_read(*, user: User) -> int:
    """Every shared entry of the user's inbox read (the rest of the inbox stays unread)."""
    return notifications_read_all(user=user, category=Category.SHARED_ENTRIES)
