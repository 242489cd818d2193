"""Background jobs of the alert pipeline: thin, they call a service.

Both are idempotent: ``acks_late`` + ``reject_on_worker_lost`` make the broker redeliver a
message whose worker died, and redelivery is harmless (the claim, the dedupe keys).
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from alerts.services.dispatch import notification_send
from alerts.services.sweep import sweep


@shared_task(
    name="alerts.tasks.dispatch_notifications_task",
    acks_late=True,
    reject_on_worker_lost=True,
    # SMTP and socket errors: the claim was released, so the retry can send.
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def dispatch_notifications_task(notification_ids: list[str]) -> int:
    """Send each pending notification once; already-sent or claimed ones are skipped."""
    return sum(notification_send(notification_id=pk) for pk in notification_ids)


@shared_task(name="alerts.tasks.sweep_task", acks_late=True, reject_on_worker_lost=True)
def sweep_task() -> dict[str, int]:
    """The every-minute sweep (beat): re-queue, escalate, re-notify, check-ins, reminders."""
    return sweep()
