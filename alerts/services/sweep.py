"""The beat sweep (every minute): everything time-driven in the alert pipeline.

1. release claims of workers that died mid-send (``sending`` for too long), of e-mails and
   of the other channels' deliveries alike;
2. re-queue notifications and deliveries still pending a minute after they were queued (a
   lost broker message, a broker down at commit time), or whose quiet hours just ended; and
   e-mail an urgent notification left to Signal alone whose Signal delivery failed, or was
   skipped for want of a destination;
3. fire due escalation steps, and re-notify the current step of unacknowledged alerts;
4. raise automatic alerts: missed check-ins and the sources features register;
5. turn due items of the registered sources into reminders, once per recipient per item.

Beat runs 1-4 as the urgent sweep, on the urgent queue and its own worker, and 5 with the
re-queue of the non-urgent kinds as the reminders sweep on the default queue
(``URGENT_PARTS``, ``REMINDER_PARTS``): a backlog of reminders never delays an escalation
(docs/alerts.md, "Queues").

Every part is idempotent (conditional updates, unique dedupe keys), so a doubled or missed
tick is harmless: the next one catches up. Each part runs on its own, so a failing reminder
source cannot stop escalation.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from alerts import conf
from alerts.channels.signal import SIGNAL
from alerts.due import registered_alert_sources, registered_due_sources
from alerts.kinds import KINDS
from alerts.models import Alert, ChannelDelivery, Notification, PipelineState
from alerts.services.alerts import alert_escalate_due, alert_raise_automatic, alert_renotify
from alerts.services.checkins import missed_check_ins
from alerts.services.dispatch import NO_DESTINATION, due, email_fallback, rows_in_status
from alerts.services.notify import enqueue_deliveries, enqueue_dispatch, notify
from cases.models import Case

logger = logging.getLogger(__name__)

BATCH = 100


#: the two outboxes: a notification's own e-mail, and the other channels' deliveries.
OUTBOXES = ((Notification, enqueue_dispatch), (ChannelDelivery, enqueue_deliveries))
#: where each outbox row's kind is read (a delivery has its notification's kind).
KIND_FIELD = {Notification: "kind", ChannelDelivery: "notification__kind"}


def release_stale_claims(now: datetime) -> int:
    cutoff = now - conf.stale_claim_after()
    # unscoped: pipeline maintenance across every tenant.
    return sum(
        model.objects.unscoped()
        .filter(status="sending", claimed_at__lt=cutoff)
        .update(status="pending", claimed_at=None, queued_at=None)
        for model, _enqueue in OUTBOXES
    )


def requeue_urgent(now: datetime) -> int:
    """Queue again, on the urgent queue, the urgent kinds' rows still pending a minute after
    they were queued (or never queued): the urgent sweep's part."""
    return _requeue(now, urgent=True)


def requeue_other(now: datetime) -> int:
    """The same for every other kind, on the default queue, once its quiet hours
    (``deliver_after``) are over: the reminders sweep's part, so a backlog of them costs the
    urgent worker nothing."""
    return _requeue(now, urgent=False)


def _requeue(now: datetime, *, urgent: bool) -> int:
    cutoff = now - conf.requeue_after()
    urgent_kinds = [k.kind for k in KINDS.values() if k.urgent]
    total = 0
    for model, enqueue in OUTBOXES:
        of_urgent_kind = Q(**{f"{KIND_FIELD[model]}__in": urgent_kinds})
        # unscoped: pipeline maintenance across every tenant.
        stale = (
            model.objects.unscoped()
            .filter(due(now), status="pending")
            .filter(of_urgent_kind if urgent else ~of_urgent_kind)
            .annotate(since=Coalesce("queued_at", "created_at"))
            .filter(Q(since__lt=cutoff) | Q(queued_at__isnull=True))
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        ids = list(stale[:5000])
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            rows_in_status(model, batch, "pending").update(queued_at=now)
            enqueue(batch, urgent=urgent)
        total += len(ids)
    return total


def signal_fallbacks(now: datetime) -> int:
    """E-mail the urgent notifications that were not e-mailed and whose Signal delivery
    failed for good or was skipped for want of a destination at the send
    (``alerts.services.dispatch.email_fallback``): the rows the give-up or the skip itself
    did not reopen (a worker that died in between). A delivery skipped for a deactivation
    is not one of them."""
    urgent = [k.kind for k in KINDS.values() if k.urgent]
    # unscoped: pipeline maintenance across every tenant.
    ids = (
        ChannelDelivery.objects.unscoped()
        .filter(Q(status="failed") | Q(status="skipped", last_error=NO_DESTINATION))
        .filter(
            channel=SIGNAL,
            notification__kind__in=urgent,
            notification__status="skipped",
            notification__last_error="",
            # a deactivated member's rows can never be reopened: they take no place below
            notification__recipient__is_active=True,
        )
        .exclude(notification__recipient__organisation__is_active=False)
        .values_list("notification_id", flat=True)
    )
    return sum(email_fallback(notification_id=pk) for pk in list(ids[:500]))


def _unanswered() -> QuerySet[Alert]:
    """Alerts nobody has acknowledged, on cases still open: a closed (or purged) case's
    alerts wait for its owner to resolve them, and chase nobody meanwhile."""
    # unscoped: the sweep escalates every organisation's alerts by its own policy.
    return (
        Alert.objects.unscoped()
        .filter(status=Alert.Status.RAISED, case__purged_at__isnull=True)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case", "organisation")
    )


def escalate(now: datetime) -> tuple[int, int]:
    due = _unanswered().filter(next_escalation_at__lte=now)
    fired = sum(_isolated(alert_escalate_due, alert=alert, now=now) for alert in due)
    reminders = _unanswered().filter(renotify_at__lte=now)
    renotified = sum(_isolated(alert_renotify, alert=alert, now=now) for alert in reminders)
    return fired, renotified


def _isolated(fn, **kwargs) -> int:
    """One alert's trouble (a deleted user, a broken policy) must not hold up the others."""
    try:
        with transaction.atomic():
            return int(fn(**kwargs))
    except Exception:
        logger.exception("alerts sweep: %s failed for %s", fn.__name__, kwargs.get("alert"))
        return 0


def automatic_alerts(now: datetime) -> int:
    raised = 0
    for name, source in registered_alert_sources().items():
        try:
            with transaction.atomic():
                for item in source(now):
                    alert = alert_raise_automatic(
                        case=item.case,
                        kind=item.kind,
                        severity=item.severity,
                        reason=item.reason,
                        auto_key=item.key,
                        cause=item.cause,
                    )
                    raised += alert is not None
        except Exception:
            logger.exception("automatic alert source %s failed", name)
    return raised


def reminders(now: datetime) -> int:
    created = 0
    for name, source in registered_due_sources().items():
        try:
            with transaction.atomic():
                for item in source(now):
                    created += len(
                        notify(
                            recipients=item.recipients,
                            kind=item.kind,
                            subject=item.subject,
                            dedupe_key=f"due:{item.key}",
                            url=item.url,
                            case=item.case,
                        )
                    )
        except Exception:
            logger.exception("due source %s failed", name)
    return created


#: the parts of the urgent sweep (``alerts.tasks.urgent_sweep_task``, on the urgent queue):
#: everything that gets an alert delivered, escalated or raised. No backlog of the default
#: queue (a flood of reminders) can hold it back.
URGENT_PARTS = (
    "released",
    "requeued",
    "signal_fallbacks",
    "escalation",
    "missed_check_ins",
    "automatic",
)
#: the parts of the reminders sweep (``alerts.tasks.reminders_sweep_task``, default queue):
#: the other kinds' re-queue and the reminders.
REMINDER_PARTS = ("requeued_other", "reminders")


def sweep(now: datetime | None = None, parts: tuple[str, ...] | None = None) -> dict[str, int]:
    """One tick. ``now`` lets tests move the clock; production passes nothing. ``parts``: the
    parts to run (``URGENT_PARTS``, ``REMINDER_PARTS``), all of them when None."""
    now = now or timezone.now()
    started = time.monotonic()
    result: dict[str, int] = {}
    errors: list[str] = []

    def part(name: str, fn) -> None:
        if parts is not None and name not in parts:
            return
        try:
            with transaction.atomic():
                value = fn(now)
        except Exception as error:
            logger.exception("alerts sweep: %s failed", name)
            errors.append(f"{name}: {type(error).__name__}: {error}")
            return
        if isinstance(value, tuple):
            result[f"{name}_fired"], result[f"{name}_renotified"] = value
        else:
            result[name] = value

    part("released", release_stale_claims)
    part("requeued", requeue_urgent)
    part("requeued_other", requeue_other)
    part("signal_fallbacks", signal_fallbacks)
    part("escalation", escalate)
    part("missed_check_ins", missed_check_ins)
    part("automatic", automatic_alerts)
    part("reminders", reminders)
    if parts is not None and "escalation" not in parts:
        # The pipeline's health (admin) is the urgent sweep's: the reminders' says nothing.
        return result
    try:
        PipelineState.objects.update_or_create(
            pk=1,
            defaults={
                "last_sweep_at": now,
                "last_sweep_ms": int((time.monotonic() - started) * 1000),
                "last_result": result,
                "last_error": "; ".join(errors)[:500],
            },
        )
    except DatabaseError:  # two first sweeps racing to create the row: one record is enough
        logger.warning("alerts sweep: could not record the sweep state", exc_info=True)
    return result
