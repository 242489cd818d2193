"""The public service every feature calls to tell people something: ``notify``.

Rows are written in the caller's transaction (outbox) and dispatched after commit. If the
broker is unreachable at that moment the rows stay ``pending`` and the beat sweep queues
them again within a minute: a notification is never lost with its message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.timezones import zone
from alerts import conf
from alerts.channels.signal import SIGNAL
from alerts.channels.webhook import WEBHOOK
from alerts.kinds import KINDS
from alerts.models import ChannelDelivery, Notification
from alerts.selectors.channels import Plan, plans_for, webhook_organisations
from alerts.selectors.notifications import forget_badges
from alerts.services.right_of_way import urgent_work_started
from hrdcase.later import in_language_of, is_later, language_of
from hrdcase.text import email_subject

if TYPE_CHECKING:
    from alerts.models import Alert
    from cases.models import Case

logger = logging.getLogger(__name__)


def is_urgent(kind: str | None) -> bool:
    """An urgent kind (``alerts.kinds``: an alert raised, escalated, still unacknowledged)."""
    known = KINDS.get(kind or "")
    return known is not None and known.urgent


def queue_options(*, urgent: bool) -> dict[str, str]:
    """``apply_async`` options of a dispatch: an urgent kind's goes to the urgent queue
    (``ALERTS_URGENT_QUEUE``), consumed by a worker of its own; any other is routed as
    usual (``CELERY_TASK_ROUTES``, else the default queue), where a backlog of reminders
    may wait without delaying an alert (docs/alerts.md, "Queues")."""
    return {"queue": conf.urgent_queue()} if urgent else {}


def enqueue_dispatch(notification_ids: Iterable, *, urgent: bool = False) -> None:
    """Queue the e-mail of these notifications after the current transaction commits, on
    the urgent queue when they are of an urgent kind (``urgent``).

    A failure to reach the broker is logged, not raised: the rows are committed and pending,
    and the sweep re-queues them (at-least-once dispatch, exactly-once send by the claim).
    """
    ids = [str(pk) for pk in notification_ids]
    if not ids:
        return
    if urgent:  # from now until it is sent, the default queue's workers wait between sends
        # (marked before the commit, to cover the raise itself: a raise that rolls back
        # holds the reminders back for a second at most)
        urgent_work_started()

    def _send() -> None:
        from alerts.tasks import dispatch_notifications_task

        try:
            dispatch_notifications_task.apply_async(args=[ids], **queue_options(urgent=urgent))
        except Exception:  # broker down: the sweep re-queues pending rows.
            logger.exception("could not queue %d notification(s); the sweep will", len(ids))

    transaction.on_commit(_send)


def enqueue_deliveries(delivery_ids: Iterable, *, urgent: bool = False) -> None:
    """``enqueue_dispatch`` for the channel deliveries (Signal, webhook)."""
    ids = [str(pk) for pk in delivery_ids]
    if not ids:
        return
    if urgent:
        urgent_work_started()

    def _send() -> None:
        from alerts.tasks import dispatch_deliveries_task

        try:
            dispatch_deliveries_task.apply_async(args=[ids], **queue_options(urgent=urgent))
        except Exception:  # broker down: the sweep re-queues pending rows.
            logger.exception("could not queue %d delivery(ies); the sweep will", len(ids))

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

    Every row reaches the recipient's inbox. Unless ``email`` is False (in the inbox only,
    through no channel), it also goes through the channels the recipient's preferences
    choose for that ``kind`` (``alerts.selectors.channels.plans_for``): by e-mail (the row's
    own ``status``; ``skipped`` when not e-mailed), by Signal (a ``ChannelDelivery``), and
    once per organisation to its webhook when it takes the kind. Non-urgent kinds wait for
    the end of the recipient's quiet hours (``deliver_after``; the sweep queues them then).

    ``subject`` may be e-mailed: a pseudonym and a kind of event, never an identity or a
    message body. It is stored as one line (``hrdcase.text.email_subject``): a stored value
    that went into it cannot break the e-mail's header, nor the inbox's line. ``source_id``:
    the object the notification is about, when it is neither the case nor an alert (opening
    it marks the notification read: ``alerts.services.notifications``).

    A ``subject`` made with ``hrdcase.later.later`` is written in each recipient's language;
    a plain string is stored as given.
    """
    fresh = _not_told_yet(recipients, dedupe_key)
    if not fresh:
        return []
    now = timezone.now()
    plans = plans_for(kind, list(fresh.values()), now) if email else {}
    rows = [_row(user, key, plans.get(user.pk, NOTHING), now) for key, user in fresh.items()]
    subjects = _SubjectsByLanguage(subject)
    subjects.know_zones(fresh.values())
    for row, user in zip(rows, fresh.values(), strict=True):
        row.kind, row.subject, row.url = kind, subjects.of(user), url
        row.case, row.alert, row.source_id = case, alert, source_id
    created = _inserted(rows, fresh, now)
    enqueue_dispatch(
        (n.pk for n in created if n.status == Notification.Status.PENDING and not n.deliver_after),
        urgent=is_urgent(kind),
    )
    if email:
        _plan_deliveries(created, plans, kind=kind, event_key=dedupe_key, now=now)
    forget_badges(n.recipient_id for n in created)
    return created


def _not_told_yet(recipients: Iterable[User], dedupe_key: str) -> dict[str, User]:
    """The active recipients without a notification of the event yet, by their row's key."""
    wanted = {}
    for user in recipients:
        if user.is_active and user.organisation_id and user.pk not in wanted:
            wanted[user.pk] = user
    keys = {f"{dedupe_key}:{pk}"[:200]: user for pk, user in wanted.items()}
    if not keys:
        return {}
    # unscoped: an existence check on our own dedupe keys, across recipients' tenants.
    existing = set(
        Notification.objects.unscoped()
        .filter(dedupe_key__in=list(keys))
        .values_list("dedupe_key", flat=True)
    )
    return {key: user for key, user in keys.items() if key not in existing}


def _inserted(rows: list[Notification], fresh: dict[str, User], now) -> list[Notification]:
    """The rows written now (a concurrent caller inserting the same key loses quietly), each
    with its recipient: the callers read who was told without a query per row."""
    try:
        # The keys were free a moment ago: written as they are, the rows need no reading back.
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
        return rows
    except IntegrityError:  # a concurrent caller wrote some of these keys meanwhile
        pass
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.unscoped().filter(
            dedupe_key__in=[row.dedupe_key for row in rows], created_at=now
        )
    )
    for notification in created:
        if notification.dedupe_key in fresh:
            notification.recipient = fresh[notification.dedupe_key]
    return created


class _SubjectsByLanguage:
    """A subject as each recipient reads it: in their language, with times in their zone
    (``accounts.timezones``), rendered once per language and zone."""

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.texts: dict[tuple[str, str], str] = {}
        self.org_zones: dict[Any, str] = {}

    def of(self, user: User) -> str:
        key = (language_of(user), self._zone_of(user)) if is_later(self.subject) else ("", "")
        if key not in self.texts:
            with in_language_of(user), timezone.override(zone(key[1] or settings.TIME_ZONE)):
                self.texts[key] = email_subject(
                    str(self.subject), max_length=Notification._meta.get_field("subject").max_length
                )
        return self.texts[key]

    def know_zones(self, users: Iterable[User]) -> None:
        """The zones of the recipients' organisations, for those without their own: one
        query for them all (and none for a plain subject)."""
        if not is_later(self.subject):
            return
        wanted = set()
        for user in users:
            if user.time_zone:
                continue
            if _ORGANISATION.is_cached(user):  # read with the recipient: no query
                self.org_zones[user.organisation_id] = user.organisation.time_zone
            else:
                wanted.add(user.organisation_id)
        if not wanted - set(self.org_zones):
            return
        self.org_zones.update(
            Organisation.objects.filter(pk__in=wanted - set(self.org_zones)).values_list(
                "pk", "time_zone"
            )
        )

    def _zone_of(self, user: User) -> str:
        """As ``accounts.timezones.effective_time_zone_name``."""
        if user.time_zone:
            return user.time_zone
        return self.org_zones.get(user.organisation_id) or settings.TIME_ZONE


_ORGANISATION = User._meta.get_field("organisation")

#: ``email=False``: in the inbox only, through no channel.
NOTHING = Plan(email=False, signal=False)


def _row(user: User, key: str, plan: Plan, now) -> Notification:
    return Notification(
        organisation_id=user.organisation_id,
        recipient=user,
        dedupe_key=key,
        status=Notification.Status.PENDING if plan.email else Notification.Status.SKIPPED,
        created_at=now,
        queued_at=now if plan.email and plan.deliver_after is None else None,
        deliver_after=plan.deliver_after,
    )


def _plan_deliveries(
    created: list[Notification], plans: dict[Any, Plan], *, kind: str, event_key: str, now
) -> None:
    """The rows of the channels beyond e-mail: Signal per recipient who gets it, the
    webhook once per organisation of the recipients (on its first member's notification)."""
    deliveries = [
        ChannelDelivery(
            organisation_id=n.organisation_id,
            notification=n,
            channel=SIGNAL,
            dedupe_key=f"{n.dedupe_key}:{SIGNAL}",
            deliver_after=n.deliver_after,
            queued_at=None if n.deliver_after else now,
            created_at=now,
        )
        for n in created
        if plans.get(n.recipient_id, NOTHING).signal
    ]
    first_of = {}
    for n in created:
        first_of.setdefault(n.organisation_id, n)
    for org_id in webhook_organisations(kind, first_of):
        deliveries.append(
            ChannelDelivery(
                organisation_id=org_id,
                notification=first_of[org_id],
                channel=WEBHOOK,
                dedupe_key=f"{event_key}:{WEBHOOK}:{org_id}"[:220],
                queued_at=now,
                created_at=now,
            )
        )
    if not deliveries:
        return
    ChannelDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    # unscoped: the rows just written (across the recipients' tenants), by their keys.
    queued = ChannelDelivery.objects.unscoped().filter(
        dedupe_key__in=[d.dedupe_key for d in deliveries],
        created_at=now,
        deliver_after__isnull=True,
    )
    enqueue_deliveries(queued.values_list("pk", flat=True), urgent=is_urgent(kind))
