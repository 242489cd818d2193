"""The public service every feature calls to tell people something: ``notify``.

Rows are written in the caller's transaction (outbox) and dispatched after commit. If the
broker is unreachable at that moment the rows stay ``pending`` and the beat sweep queues
them again within a minute: a notification is never lost with its message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from alerts.kinds import KINDS, email_wanted
from alerts.models import Notification, NotificationPreference
from alerts.selectors.notifications import forget_badges
from hrdcase.text import email_subject

if TYPE_CHECKING:
    from accounts.models import User
    from alerts.models import Alert
    from cases.models import Case

logger = logging.getLogger(__name__)


def enqueue_dispatch(notification_ids: Iterable) -> None:
    """Queue the e-mail of these notifications after the current transaction commits.

    A failure to reach the broker is logged, not raised: the rows are committed and pending,
    and the sweep re-queues them (at-least-once dispatch, exactly-once send by the claim).
    """
    ids = [str(pk) for pk in notification_ids]
    if not ids:
        return

    def _send() -> None:
        from alerts.tasks import dispatch_notifications_task

        try:
            dispatch_notifications_task.delay(ids)
        except Exception:  # broker down: the sweep re-queues pending rows.
            logger.exception("could not queue %d notification(s); the sweep will", len(ids))

    transaction.on_commit(_send)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    dedupe_key: str,
    url: str = "",
    case: Case | None = None,
    email: bool = True,
    alert: Alert | None = None,
    source_id: Any = None,
) -> list[Notification]:
    """One notification per active recipient for the event ``dedupe_key``; a recipient who
    already has one for that event gets no second. Returns the rows created now.

    Every row reaches the recipient's inbox. It is also e-mailed when ``email`` (False: in
    the inbox only) and the recipient's preferences want that ``kind`` by e-mail
    (``alerts.kinds.email_wanted``: urgent kinds always); otherwise its status is
    ``skipped``.

    ``subject`` may be e-mailed: a pseudonym and a kind of event, never an identity or a
    message body. It is stored as one line (``hrdcase.text.email_subject``): a stored value
    that went into it cannot break the e-mail's header, nor the inbox's line. ``source_id``:
    the object the notification is about, when it is neither the case nor an alert (opening
    it marks the notification read: ``alerts.services.notifications``).
    """
    subject = email_subject(subject, max_length=Notification._meta.get_field("subject").max_length)
    wanted = {}
    for user in recipients:
        if user.is_active and user.organisation_id and user.pk not in wanted:
            wanted[user.pk] = user
    if not wanted:
        return []
    keys = {f"{dedupe_key}:{pk}"[:200]: user for pk, user in wanted.items()}
    # unscoped: an existence check on our own dedupe keys, across recipients' tenants.
    existing = set(
        Notification.objects.unscoped()
        .filter(dedupe_key__in=list(keys))
        .values_list("dedupe_key", flat=True)
    )
    by_email = _by_email(kind, list(wanted)) if email else set()
    now = timezone.now()
    rows = [
        Notification(
            organisation_id=user.organisation_id,
            recipient=user,
            kind=kind,
            subject=subject,
            url=url,
            case=case,
            alert=alert,
            source_id=source_id,
            dedupe_key=key,
            status=_status(user.pk in by_email),
            created_at=now,
            queued_at=now if user.pk in by_email else None,
        )
        for key, user in keys.items()
        if key not in existing
    ]
    if not rows:
        return []
    # ignore_conflicts: a concurrent caller inserting the same key loses quietly.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.unscoped().filter(
            dedupe_key__in=[row.dedupe_key for row in rows], created_at=now
        )
    )
    enqueue_dispatch(n.pk for n in created if n.status == Notification.Status.PENDING)
    forget_badges(n.recipient_id for n in created)
    return created


def _status(by_email: bool) -> str:
    return Notification.Status.PENDING if by_email else Notification.Status.SKIPPED


def _by_email(kind: str, user_ids: list[Any]) -> set[Any]:
    """Which of ``user_ids`` receive a ``kind`` notification by e-mail: one query for their
    preferences, none for an urgent kind (always e-mailed) or an unknown one."""
    known = KINDS.get(kind)
    if known is None or known.urgent:
        return set(user_ids)
    choices = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids).values_list("user_id", "email")
    )
    return {pk for pk in user_ids if email_wanted(kind, choices.get(pk) or {})}
