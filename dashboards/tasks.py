"""Background jobs of the dashboards: thin, they call dashboards.caching."""

from __future__ import annotations

from celery import shared_task

from dashboards.caching import warm_network_figures
from hrdcase.db_router import use_replica


@shared_task(name="dashboards.tasks.warm_network_figures_task")
def warm_network_figures_task() -> int:
    """Refresh every network's default-period figures before the cached copy expires (beat,
    every four minutes). Only reads and overwrites cache entries: a lost or doubled tick
    costs one computation or one cache miss, nothing else. Read on the replica, if any."""
    with use_replica():
        return warm_network_figures()
