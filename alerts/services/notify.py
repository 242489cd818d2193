"""The public service every feature calls to tell people something: ``notify``.

Rows are written in the caller's transaction (outbox) and dispatched after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from alerts.models import Notification

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    dedupe_key: str,
    url: str = "",
    case: Case | None = None,
    email: bool = True,
) -> list[Notification]:
    """One notification per active recipient for the event ``dedupe_key``; a recipient who
    already has one for that event gets no second. Returns the rows created now.

    ``subject`` may be e-mailed: a pseudonym and a kind of event, never an identity or a
    message body.
    """
    status = Notification.Status.PENDING if email else Notification.Status.SKIPPED
    wanted = {}
    for user in recipients:
        if user.is_active and user.organisation_id and user.pk not in wanted:
            wanted[user.pk] = user
    if not wanted:
        return []
    keys = {f"{dedupe_key}:{pk}": user for pk, user in wanted.items()}
    # unscoped: an existence check on our own dedupe keys, across recipients' tenants.
    existing = set(
        Notification.objects.unscoped()
        .filter(dedupe_key__in=list(keys))
        .values_list("dedupe_key", flat=True)
    )
    rows = [
        Notification(
            organisation_id=user.organisation_id,
            recipient=user,
            kind=kind,
            subject=subject[:200],
            url=url,
            case=case,
            dedupe_key=key,
            status=status,
        )
        for key, user in keys.items()
        if key not in existing
    ]
    # ignore_conflicts: a concurrent caller inserting the same key loses quietly.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.unscoped().filter(dedupe_key__in=[row.dedupe_key for row in rows])
    )
    to_send = [n.pk for n in created if n.status == Notification.Status.PENDING]
    if to_send:
        from alerts.tasks import dispatch_notifications_task

        transaction.on_commit(
            lambda: dispatch_notifications_task.delay([str(pk) for pk in to_send])
        )
    return created
