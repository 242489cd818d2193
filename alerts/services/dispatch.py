"""Sending notifications through their channels, exactly once per channel (each send
claimed by a conditional update).

Two kinds of outbox row share one life cycle (``pending`` -> ``sending`` -> ``sent``, or
back to ``pending`` on a failure, ``failed`` after ``MAX_ATTEMPTS``): the ``Notification``
itself is its e-mail (as before issue 22: its ``status`` is the e-mail's), and each
``ChannelDelivery`` is one other channel's send (Signal, the organisation's webhook). Both
go through the channel registry (``alerts.channels``).

The claim (``pending`` -> ``sending``) is a conditional UPDATE checked by its row count, as
healthchecks' ``sendalerts`` does: two workers handed the same id (a re-queued message, a
doubled sweep, a redelivery after a worker died) cannot both send it. A send that fails puts
the row back to ``pending`` (the retry can claim it again); a worker killed between claim
and send leaves the row ``sending``, and the sweep releases claims older than
``ALERTS_STALE_CLAIM_SECONDS``. A row whose ``deliver_after`` (the recipient's quiet hours)
is still ahead cannot be claimed.

A batch (``notifications_send``, ``deliveries_send``) sends each of its rows on its own: one
that fails (a recipient refused, a server down) is released for a later retry and the
others are sent at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from alerts.channels import get_channel
from alerts.channels.base import Channel, Destination, message_for
from alerts.channels.email import EMAIL, EmailChannel
from alerts.channels.signal import SIGNAL
from alerts.channels.webhook import WEBHOOK
from alerts.kinds import KINDS
from alerts.models import ChannelDelivery, Notification
from alerts.services.deactivation import (
    ORGANISATION_INACTIVE,
    RECIPIENT_INACTIVE,
    RECIPIENT_MOVED,
)
from alerts.services.links import action_links
from alerts.services.notify import enqueue_dispatch
from alerts.services.right_of_way import wait_for_urgent_work
from hrdcase.later import in_language_of

logger = logging.getLogger(__name__)

#: after this many failed attempts a row is marked failed (the health page shows it)
#: instead of being retried for ever.
MAX_ATTEMPTS = 10
#: ``last_error`` of a delivery skipped because its channel had nowhere to send it at the
#: send (a Signal number removed or not verified again, the server unset, a webhook off).
NO_DESTINATION = "no destination for this channel"


def due(now: datetime) -> Q:
    """Rows whose quiet hours (if any) are over."""
    return Q(deliver_after__isnull=True) | Q(deliver_after__lte=now)


def rows_in_status(model: type[models.Model], pks: Iterable, status: str) -> QuerySet:
    """The outbox rows ``pks`` that are still in ``status``, found by their primary key.

    ``status`` is compared as an expression, not as the column, so that PostgreSQL never
    looks the rows up in the status index instead. During an alert storm the table's
    statistics have not seen the backlog yet ("pending" is rare until autoanalyze), and the
    planner preferred that index, which read every pending row for each claim: 6-10 ms a
    claim with 6,000 pending instead of 0.1 (docs/performance.md, session 14)."""
    # unscoped: the worker serves every tenant; the rows are named by id.
    return (
        model.objects.unscoped()  # type: ignore[attr-defined]
        .alias(status_now=Concat("status", Value("")))
        .filter(pk__in=list(pks), status_now=status)
    )


def _claim(model: type[models.Model], pk) -> bool:
    now = timezone.now()
    claimed = (
        rows_in_status(model, [pk], "pending")
        .filter(due(now))
        .update(status="sending", attempts=F("attempts") + 1, claimed_at=now)
    )
    return claimed == 1


def _send_claimed(
    model: type[models.Model],
    row,
    send: Callable[[], None],
    on_skip: str = "",
    on_give_up: Callable[[], object] | None = None,
) -> bool:
    """Run ``send`` for a claimed ``row``: mark it sent, or release it (``failed`` once its
    attempts are spent, then ``on_give_up``) and re-raise for the caller's retry."""
    rows = model.objects.unscoped().filter(pk=row.pk)  # type: ignore[attr-defined]
    if on_skip:  # nowhere to send now (a number removed, a webhook turned off)
        rows.update(status="skipped", last_error=on_skip[:500], claimed_at=None)
        return False
    try:
        send()
    except Exception as error:
        failure = {"last_error": f"{type(error).__name__}: {error}"[:500], "claimed_at": None}
        # The attempts as counted by the claims in the database (the row may have been read
        # before its claim, with the rest of its batch).
        sending = rows_in_status(model, [row.pk], "sending")
        gave_up = bool(
            sending.filter(attempts__gte=MAX_ATTEMPTS).update(status="failed", **failure)
        )
        if not gave_up:
            sending.update(status="pending", **failure)
        if gave_up:
            if on_give_up is not None:
                on_give_up()
            return False
        raise
    rows.update(status="sent", sent_at=timezone.now(), last_error="")
    return True


def _notifications(ids: Iterable):
    # unscoped: the worker serves every tenant; the rows are named by id.
    return (
        Notification.objects.unscoped()
        .select_related("recipient__organisation", "case", "alert")
        .filter(pk__in=list(ids))
    )


def notification_send(
    *,
    notification_id,
    notification: Notification | None = None,
    mail_connection: BaseEmailBackend | None = None,
) -> bool:
    """Send one pending notification's e-mail; False if another worker has it or it is done,
    or its recipient (or their organisation) was deactivated (then it is ``skipped``).
    ``notification``: its row, read with its batch's; ``mail_connection``: the batch's
    connection to the mail server (``notifications_send``)."""
    if not _claim(Notification, notification_id):
        return False
    if notification is None:
        notification = _notifications([notification_id]).get()
    inactive = _inactive(notification)
    if inactive:
        return _send_claimed(Notification, notification, lambda: None, on_skip=inactive)
    channel = get_channel(EMAIL) or EmailChannel()
    destination = channel.destination(notification)
    assert destination is not None  # e-mail always has one: the recipient's address

    def send() -> None:
        # in the recipient's language: the kind's label, the body's lines, the links' labels
        with in_language_of(notification.recipient):
            message = message_for(notification, actions=_actions(notification))
            if isinstance(channel, EmailChannel):
                channel.send(message, destination, connection=mail_connection)
            else:  # another e-mail channel registered in its place (a test's)
                channel.send(message, destination)

    return _send_claimed(Notification, notification, send)


def delivery_send(*, delivery_id) -> bool:
    """Send one pending channel delivery (Signal, webhook); False if another worker has it,
    it is done, or its channel has nowhere to send it now (then it is ``skipped``; an urgent
    Signal message skipped so is e-mailed instead: ``email_fallback``)."""
    if not _claim(ChannelDelivery, delivery_id):
        return False
    delivery = (
        ChannelDelivery.objects.unscoped()
        .select_related(
            "notification__recipient__organisation",
            "notification__case",
            "notification__alert",
            "organisation",
        )
        .get(pk=delivery_id)
    )
    notification = delivery.notification
    inactive = _delivery_inactive(delivery)
    if inactive:  # nothing reaches a deactivated member: no fallback either
        return _send_claimed(ChannelDelivery, delivery, lambda: None, on_skip=inactive)
    channel: Channel | None = get_channel(delivery.channel)
    destination = _destination(channel, notification)
    if channel is None or destination is None:
        _send_claimed(ChannelDelivery, delivery, lambda: None, on_skip=NO_DESTINATION)
        if delivery.channel == SIGNAL:
            # the number removed (or re-entered, not verified yet), the server unset on this
            # worker: an urgent kind left to Signal alone is e-mailed instead, as on a failure
            email_fallback(notification_id=notification.pk)
        return False

    def send() -> None:
        # a webhook reaches a tool, not the recipient the action links are bound to
        with in_language_of(notification.recipient):
            actions = () if delivery.channel == WEBHOOK else _actions(notification)
            message = message_for(notification, message_id=str(delivery.pk), actions=actions)
            channel.send(message, destination)

    def give_up() -> None:
        # Signal failed for good: an urgent kind left to Signal alone is e-mailed after all
        email_fallback(notification_id=notification.pk)

    fallback = give_up if delivery.channel == SIGNAL else None
    return _send_claimed(ChannelDelivery, delivery, send, on_give_up=fallback)


def _delivery_inactive(delivery: ChannelDelivery) -> str:
    """``_inactive`` for a delivery: its recipient, their organisation, or (a webhook) the
    organisation it posts for deactivated."""
    inactive = _inactive(delivery.notification)
    organisation = delivery.organisation if delivery.organisation_id else None
    if not inactive and organisation is not None and not organisation.is_active:
        inactive = ORGANISATION_INACTIVE  # the webhook's organisation
    return inactive


def _destination(channel: Channel | None, notification: Notification) -> Destination | None:
    """Where ``channel`` sends ``notification`` now; None when it is not registered, not
    configured on this worker, or has no destination for this recipient any more."""
    if channel is None or not channel.enabled():
        return None
    return channel.destination(notification)


def email_fallback(*, notification_id) -> bool:
    """An urgent notification that was not e-mailed (the member left that kind to Signal
    alone) and that Signal did not carry: its delivery failed for good (its attempts spent),
    or was skipped for want of a destination at the send (the number removed or not
    verified again, the Signal server unset). Its e-mail is sent after all, so an urgent
    alert still reaches a channel outside hrdcase. Called when the delivery gives up or is
    skipped so, and by the sweep for any such row left behind. True if queued.

    Once: the reopening is a conditional update (``skipped`` with no error -> ``pending``),
    and the e-mail then goes through the claim like any other. A notification already
    e-mailed, skipped for a deactivation, or whose recipient or organisation is inactive now
    is left alone: nothing reaches a deactivated member."""
    kind = (
        Notification.objects.unscoped()
        .filter(pk=notification_id)
        .values_list("kind", flat=True)
        .first()
    )
    known = KINDS.get(kind or "")
    if known is None or not known.urgent:
        return False
    now = timezone.now()
    # skipped with no error: not e-mailed by the member's choice (a deactivation says why).
    reopened = (
        Notification.objects.unscoped()
        .filter(pk=notification_id, status="skipped", last_error="", recipient__is_active=True)
        .filter(
            Q(recipient__organisation__isnull=True) | Q(recipient__organisation__is_active=True)
        )
        .update(status="pending", attempts=0, queued_at=now, deliver_after=None, claimed_at=None)
    )
    if reopened:
        logger.warning(
            "notification %s: Signal did not carry it, e-mailed instead", notification_id
        )
        enqueue_dispatch([notification_id], urgent=True)
    return bool(reopened)


def _inactive(notification: Notification) -> str:
    """Why nothing may reach this notification's recipient any more (deactivated, moved to
    another organisation than the one it was written for, or their organisation
    deactivated), else blank: checked at the send, whatever was queued."""
    recipient = notification.recipient
    if not recipient.is_active:
        return RECIPIENT_INACTIVE
    if recipient.organisation_id != notification.organisation_id:
        return RECIPIENT_MOVED
    organisation = recipient.organisation if recipient.organisation_id else None
    if organisation is not None and not organisation.is_active:
        return ORGANISATION_INACTIVE
    return ""


def _actions(notification: Notification) -> tuple[tuple[str, str], ...]:
    """The recipient's acknowledge / resolve links, made now (fresh nonces, read at send
    time so a reminder's links are not already spent). A failure to make them sends the
    message without them: an urgent alert must never wait for its shortcuts."""
    try:
        return tuple(action_links(notification))
    except Exception:
        logger.exception("action links of notification %s not made", notification.pk)
        return ()


@dataclass
class BatchResult:
    """What became of a batch: how many were sent now, and the ids to try again later."""

    sent: int = 0
    failed: list[str] = field(default_factory=list)


def _batch(ids: Iterable, send_one: Callable[[object], bool], what: str) -> BatchResult:
    result = BatchResult()
    for pk in ids:
        wait_for_urgent_work()  # a worker of the default queue only: urgent work goes first
        try:
            result.sent += send_one(pk)
        except Exception:
            logger.warning("%s %s not sent; it will be retried", what, pk, exc_info=True)
            result.failed.append(str(pk))
    return result


def notifications_send(*, notification_ids: Iterable) -> BatchResult:
    """Send each notification's e-mail of a batch on its own (``notification_send``).

    A failure is caught per notification: it was released to ``pending`` with its error (or
    marked ``failed`` after ``MAX_ATTEMPTS``), it is logged, and the loop goes on, so one
    recipient's trouble never holds back the e-mails of the others. The ids that failed are
    returned for the caller to retry, later and alone."""
    ids = list(notification_ids)
    # Read once for the batch, each still claimed on its own before its send: a worker
    # killed in the middle leaves the rest pending, for the redelivered message at once.
    rows = {str(n.pk): n for n in _notifications(ids)}
    # One connection to the mail server for the batch, opened by its first send: one
    # handshake (and TLS negotiation) for an alert's recipients instead of one each.
    mail_connection = get_connection()
    try:
        return _batch(
            ids,
            lambda pk: notification_send(
                notification_id=pk,
                notification=rows.get(str(pk)),
                mail_connection=mail_connection,
            ),
            "notification",
        )
    finally:
        mail_connection.close()


def deliveries_send(*, delivery_ids: Iterable) -> BatchResult:
    """``notifications_send`` for channel deliveries (``delivery_send``)."""
    return _batch(delivery_ids, lambda pk: delivery_send(delivery_id=pk), "delivery")
