"""Tunables of the alert pipeline, read from Django settings with safe defaults.

Settings (optional; ``hrdcase/settings.py`` reads them from the environment):
- ``ALERTS_RENOTIFY_SECONDS`` (600): an unacknowledged alert reminds its current step's
  recipients this often;
- ``ALERTS_REQUEUE_AFTER_SECONDS`` (60): the sweep queues again a notification still
  pending this long after it was queued (a lost broker message);
- ``ALERTS_STALE_CLAIM_SECONDS`` (300): a notification claimed this long ago and still
  ``sending`` belonged to a worker that died mid-send; the sweep releases it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def renotify_every() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "ALERTS_RENOTIFY_SECONDS", 600)))


def requeue_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "ALERTS_REQUEUE_AFTER_SECONDS", 60)))


def stale_claim_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "ALERTS_STALE_CLAIM_SECONDS", 300)))
