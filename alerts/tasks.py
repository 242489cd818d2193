"""Background jobs of the alert pipeline: thin, they call a service.

All are idempotent: ``acks_late`` + ``reject_on_worker_lost`` make the broker redeliver a
message whose worker died, and redelivery is harmless (the claim, the dedupe keys).
"""

from __future__ import annotations

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from alerts.services.dispatch import BatchResult, deliveries_send, notifications_send
from alerts.services.sweep import REMINDER_PARTS, URGENT_PARTS, sweep

#: back-off of the retries of a batch's failed notifications: 1, 2, 4... seconds (with full
#: jitter), never more than 5 minutes apart, far below Redis's visibility timeout.
RETRY_BACKOFF_MAX = 300
MAX_RETRIES = 8


@shared_task(
    bind=True,
    name="alerts.tasks.dispatch_notifications_task",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def dispatch_notifications_task(self, notification_ids: list[str]) -> int:
    """Send each pending notification once; already-sent or claimed ones are skipped.

    Each notification is sent on its own: those that fail (their claim was released) are
    retried later, alone, with back-off, while the rest of the batch is sent now. Retrying
    the whole batch instead would hold every other e-mail back behind the failing one.
    Once the retries are spent, the failed rows are still ``pending``: the every-minute
    sweep queues them again until ``MAX_ATTEMPTS`` marks them ``failed``."""
    return _retry_failed(self, notifications_send(notification_ids=notification_ids))


@shared_task(
    bind=True,
    name="alerts.tasks.dispatch_deliveries_task",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def dispatch_deliveries_task(self, delivery_ids: list[str]) -> int:
    """``dispatch_notifications_task`` for the channels beyond e-mail (Signal, webhook):
    each delivery claimed and sent once, the failed ones retried alone with back-off, the
    sweep queueing again what is still pending."""
    return _retry_failed(self, deliveries_send(delivery_ids=delivery_ids))


def _retry_failed(task, result: BatchResult) -> int:
    if result.failed and task.request.retries < task.max_retries:
        countdown = get_exponential_backoff_interval(
            factor=1,
            retries=task.request.retries,
            maximum=RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        raise task.retry(args=[result.failed], countdown=countdown)
    return result.sent


@shared_task(name="alerts.tasks.sweep_task", acks_late=True, reject_on_worker_lost=True)
def sweep_task() -> dict[str, int]:
    """Every part of the sweep in one task: re-queue, escalate, re-notify, check-ins,
    reminders. Beat runs it as the two tasks below instead (a deployment whose beat still
    schedules this one loses nothing)."""
    return sweep()


@shared_task(name="alerts.tasks.urgent_sweep_task", acks_late=True, reject_on_worker_lost=True)
def urgent_sweep_task() -> dict[str, int]:
    """The every-minute urgent sweep (beat, urgent queue): release stale claims, re-queue,
    Signal fallbacks, escalate, re-notify, missed check-ins, automatic alerts."""
    return sweep(parts=URGENT_PARTS)


@shared_task(name="alerts.tasks.reminders_sweep_task", acks_late=True, reject_on_worker_lost=True)
def reminders_sweep_task() -> dict[str, int]:
    """The every-minute reminders sweep (beat, default queue): due items become reminders."""
    return sweep(parts=REMINDER_PARTS)
