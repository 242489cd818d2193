"""Urgent work has the right of way: while an urgent alert is being raised or sent, a worker
of the default queue pauses between two sends of its batch (docs/alerts.md, "Queues").

A worker that consumes no urgent queue already runs at Linux's idle priority
(``hrdcase.celery``), but the database works for it at normal priority: on a machine whose
cores the web, the urgent worker and PostgreSQL share, a flood of 10,000 reminders still
slowed urgent alerts by 5-20 ms at p95 (docs/performance.md, sessions 14-15). So each
urgent dispatch queued (``alerts.services.notify``: a raise, an escalation, a re-queue)
marks urgent work in flight for ``HOLD_SECONDS`` in the shared cache; a worker that gives
way checks the mark before each send and waits while it stands, never longer than
``MAX_PAUSE_SECONDS`` a send, so a storm of alerts slows the reminders but never stops them.

The mark lives in the ``default`` cache, shared by every process in production (Redis:
docker-compose, ``HRDCASE_CACHE_URL``). Without a shared cache (``make run``'s embedded
mode) each process sees only its own marks and nothing pauses. A cache that cannot be
reached marks nothing and pauses nothing: an alert never fails for its right of way.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches

from hrdcase.celery import worker_yields_cpu

logger = logging.getLogger(__name__)

KEY = "alerts:urgent-work-in-flight"
#: how long one urgent dispatch holds the default workers back, at most: a raise, its
#: commit and its send take ~50 ms; a burst keeps renewing the mark.
HOLD_SECONDS = 1.0
#: the longest a send of the default queue waits for urgent work, however long it lasts. The
#: wait comes before the send's claim (no claim goes stale), and a batch of the sweep's 100
#: waits 17 minutes at most: far below the broker's visibility timeout (an hour).
MAX_PAUSE_SECONDS = 10.0
#: how often a waiting worker looks again.
POLL_SECONDS = 0.02


def urgent_work_started() -> None:
    """An urgent dispatch is on its way: mark it for ``HOLD_SECONDS`` (a new mark renews)."""
    try:
        caches["default"].set(KEY, 1, timeout=_setting("ALERTS_URGENT_HOLD_SECONDS", HOLD_SECONDS))
    except Exception:  # no shared cache at this moment: nothing holds the reminders back
        logger.warning("urgent work not marked in the cache", exc_info=True)


def wait_for_urgent_work() -> float:
    """In a process that gives way, wait while urgent work is in flight, at most
    ``MAX_PAUSE_SECONDS``; the seconds waited (0 elsewhere, or when none is in flight)."""
    if not worker_yields_cpu():  # the web, the urgent worker, a worker of both queues
        return 0.0
    longest = _setting("ALERTS_URGENT_MAX_PAUSE_SECONDS", MAX_PAUSE_SECONDS)
    started = time.monotonic()
    waited = 0.0
    while waited < longest and _in_flight():
        time.sleep(POLL_SECONDS)
        waited = time.monotonic() - started
    return waited


def _in_flight() -> bool:
    try:
        return caches["default"].get(KEY) is not None
    except Exception:  # the cache is down: go on rather than wait for nothing
        return False


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))
