"""Background jobs of the case file: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from cases.services.retention import retention_purge_due


@shared_task(name="cases.tasks.retention_purge_task", acks_late=True, reject_on_worker_lost=True)
def retention_purge_task(batch_size: int = 100) -> dict[str, int]:
    """Purge the closed cases whose retention period is over (beat runs it hourly). Each case is
    purged in its own transaction and a purged case is skipped, so a doubled or missed tick,
    or a worker killed mid-run, is harmless: the next run finishes the work."""
    return retention_purge_due(batch_size=batch_size)


@shared_task(name="cases.tasks.shares_expire_task", acks_late=True, reject_on_worker_lost=True)
def shares_expire_task() -> int:
    """End every share past its expiry (beat runs it every minute); idempotent."""
    from cases.services.sharing import shares_expire

    return shares_expire()
