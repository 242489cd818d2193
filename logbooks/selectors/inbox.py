"""Reads of partners' shared entries on the cases a user sees (the API's ``inbox/``), and
who follows an entry: the people its sharing notifies.

The inbox itself is the alerts app's (``alerts.selectors.notifications.inbox_for``): a
shared entry reaches it as a notification of kind ``shared_entry``
(``logbooks.services.inbox.shared_entry_notify``); its read state is that notification's.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Role, User
from alerts.kinds import SHARED_ENTRY
from alerts.models import Notification
from cases.models import Case
from hrdcase.tenancy import member_in_force
from logbooks.models import LogEntry, Visibility, readable_versions

#: who is told of a partner's shared entry: the people who read cases (not the network
#: coordinators, whose work is the networks' figures).
FOLLOWER_ROLES = (Role.ADMIN, Role.OFFICER, Role.VIEWER)


def inbox_for(user: User) -> QuerySet[LogEntry]:
    """Shared entries written by OTHER organisations on cases ``user`` sees, newest first,
    annotated ``is_unread``: the user's notification of that entry is unread (one EXISTS per
    row, inside the same query)."""
    unread = Notification.objects.for_recipient(user).filter(
        kind=SHARED_ENTRY, source_id=OuterRef("pk"), read_at__isnull=True
    )
    return (
        LogEntry.objects.visible_to(user)
        .current()
        .filter(visibility=Visibility.SHARED)
        .exclude(organisation_id=user.organisation_id)
        .annotate(is_unread=Exists(unread))
        .select_related("case", "author", "organisation")
        .order_by("-created_at")
    )


def unread_entries(user: User) -> QuerySet[LogEntry]:
    """What ``inbox_for(user).filter(is_unread=True)`` holds (current shared entries of other
    organisations on cases the user sees, whose notification the user has not read), read
    from the user's unread lines rather than from the entries: newest first.

    Same set, another way in. From the entries, PostgreSQL expected one unread entry where
    a partner's inbox held hundreds, and checked each against the visible case ids one by
    one (45 ms for 381 unread); the lines are few, indexed by recipient, and
    ``readable_lines`` hashes the visible ids once (docs/performance.md, "Session 15")."""
    if not member_in_force(user):
        return LogEntry.objects.visible_to(user)  # nothing, as the entries' rule says
    lines = (
        Notification.objects.for_recipient(user)
        .filter(kind=SHARED_ENTRY, read_at__isnull=True)
        .filter(readable_lines(user))
        .values("source_id")
    )
    # unscoped: only entries an unread line of the user's names, and ``readable_lines`` is
    # visible_to's rule for the version each line names (its case seen, its version readable).
    return (
        LogEntry.objects.unscoped()
        .current()
        .filter(visibility=Visibility.SHARED, pk__in=lines)
        .exclude(organisation_id=user.organisation_id)
        .order_by("-created_at")
    )


def readable_lines(user: User) -> Q:
    """The condition on the user's ``shared_entry`` lines that they may open the version the
    line names now (``LogEntry.objects.visible_to``, in two halves PostgreSQL runs cheaply
    over a long inbox): the line's case is one the user sees (one set of ids, hashed once),
    and its version is one the user's organisation reads (one lookup by primary key)."""
    # unscoped: the version half of the rule, correlated to the line's own entry; the case
    # half is the first term (the line's case is the entry's case: shared_entry_notify).
    version = (
        LogEntry.objects.unscoped()
        .filter(pk=OuterRef("source_id"), case_id=OuterRef("case_id"))
        .filter(readable_versions(user))
    )
    return Q(case_id__in=Case.objects.visible_ids(user)) & Exists(version)


def followers_of(entry: LogEntry) -> list[User]:
    """The people of the OTHER organisations that may read ``entry`` now: the case's owner
    and the partners whose live share opens the case (``full``, ``feedback``: the entry
    visibility rule of ``logbooks.models``), active members of active organisations. The
    author's organisation is not told of its own entry; a ``relocation`` partner never
    sees the case."""
    from cases.access import partner_group_ids

    case = entry.case
    return list(
        User.objects.filter(is_active=True, organisation__is_active=True, role__in=FOLLOWER_ROLES)
        .filter(
            Q(organisation_id=case.organisation_id)
            | Q(organisation__group_id__in=partner_group_ids(case, "view_case"))
        )
        .exclude(organisation_id=entry.organisation_id)
        .select_related("organisation")
        .order_by("email")
    )
