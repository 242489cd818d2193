"""Background jobs of the alert pipeline: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from alerts.services.dispatch import notification_send


@shared_task(
    name="alerts.tasks.dispatch_notifications_task",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def dispatch_notifications_task(notification_ids: list[str]) -> int:
    """Send each pending notification once; already-sent or claimed ones are skipped."""
    return sum(notification_send(notification_id=pk) for pk in notification_ids)
