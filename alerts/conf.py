"""Tunables of the alert pipeline, read from Django settings with safe defaults.

Settings (optional; ``hrdcase/settings.py`` reads them from the environment):
- ``ALERTS_RENOTIFY_SECONDS`` (600): an unacknowledged alert reminds its current step's
  recipients this often;
- ``ALERTS_REQUEUE_AFTER_SECONDS`` (60): the sweep queues again a notification still
  pending this long after it was queued (a lost broker message);
- ``ALERTS_STALE_CLAIM_SECONDS`` (300): a notification claimed this long ago and still
  ``sending`` belonged to a worker that died mid-send; the sweep releases it;
- ``SIGNAL_URL`` / ``SIGNAL_NUMBER`` (``HRDCASE_SIGNAL_URL``, ``HRDCASE_SIGNAL_NUMBER``):
  the signal-cli REST API server and the number it sends from; the Signal channel is off
  unless both are set;
- ``CHANNEL_TIMEOUT_SECONDS`` (10): every HTTP call of a channel gives up after this;
- ``WEBHOOK_ALLOW_HTTP`` (False): accept ``http://`` webhook URLs (tests, a local relay);
  otherwise only ``https://``. The scheme only: it allows no internal address;
- ``WEBHOOK_ALLOWED_HOSTS`` (empty): webhook host names allowed to resolve to a loopback or
  private address (a relay inside the organisation's network); link-local addresses and the
  compose services' names are refused whatever it says;
- ``ALERTS_URGENT_QUEUE`` (``urgent``, ``HRDCASE_URGENT_QUEUE``): the Celery queue of the
  deliveries of urgent kinds and of the escalation sweep, consumed by a worker of its own so
  that no backlog of reminders on the default queue delays them (docs/alerts.md, "Queues");
- ``SIGNAL_CODE_MINUTES`` (15) and ``SIGNAL_CODE_ATTEMPTS`` (5): a Signal verification
  code's life and the wrong entries it survives.
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


def urgent_queue() -> str:
    return str(getattr(settings, "ALERTS_URGENT_QUEUE", "") or "urgent")


def signal_url() -> str:
    return str(getattr(settings, "SIGNAL_URL", "") or "").rstrip("/")


def signal_number() -> str:
    return str(getattr(settings, "SIGNAL_NUMBER", "") or "")


def signal_enabled() -> bool:
    return bool(signal_url() and signal_number())


def channel_timeout() -> float:
    return float(getattr(settings, "CHANNEL_TIMEOUT_SECONDS", 10))


def webhook_allow_http() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_HTTP", False))


def webhook_allowed_hosts() -> frozenset[str]:
    hosts = getattr(settings, "WEBHOOK_ALLOWED_HOSTS", ()) or ()
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return frozenset(h.strip().rstrip(".").lower() for h in hosts if h.strip())


def signal_code_valid_for() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "SIGNAL_CODE_MINUTES", 15)))


def signal_code_attempts() -> int:
    return int(getattr(settings, "SIGNAL_CODE_ATTEMPTS", 5))
