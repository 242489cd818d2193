"""The alert dispatch probe: alert raised -> notification e-mail sent by a live Celery worker.

DESIGN.md: "alert raised -> notification dispatched by a live worker: p95 <= 1 s". The probe
starts a real worker process (``celery -A hrdcase worker``, prefork, 2 processes as the 2
cores allow, consuming the urgent queue that alerts' e-mails take and the default one) on
the Redis broker of the bench environment (``BENCH_BROKER_URL``, default
``redis://127.0.0.1:6379/11``, a database number of its own, flushed first) against the
bench database, with Django's in-memory e-mail backend (the SMTP round trip is not ours to
measure). Then, on the bench officer's open cases, through the real service
(``alerts.services.alerts.alert_raise``: the alert and its notifications in one
transaction, the dispatch task queued after commit):

1. 200 alerts one by one: for each, the time from just before ``alert_raise`` until the last
   of its notifications has ``sent_at`` (every first recipient e-mailed);
2. 1,000 alerts raised in a burst, one request each (issue 24): ``POST /api/v1/alerts/``
   to the production gunicorn (``bench.throughput.production_server``: the Dockerfile's
   command, ``WEB_CONCURRENCY`` workers) from ``BENCH_CONCURRENCY`` (default 8) keep-alive
   connections of the bench officer's API token, as fast as answers come; seconds from the
   first request until every notification of the 1,000 is sent. Target: **<= 15 s**, every
   request answered 201, 0 lost.

A notification still not sent 60 s after its alert (120 s after the burst) counts as lost.
No beat runs: the sweep that re-queues lost messages would hide a loss. The probe's alerts
(and their notifications) are deleted afterwards, so the data set stays as seeded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from bench import runner
from bench.operations import Probe, ProbeOutcome, RunContext, register_probe
from bench.throughput import concurrency, connections, production_server

BASE_DIR = Path(__file__).resolve().parent.parent
SEQUENTIAL = 200
BURST = 1_000
BURST_TARGET_S = 15
WAIT_ONE_S = 60
WAIT_BURST_S = 120
DISPATCH_P95_MS = 1_000
#: per connection, before the burst: every gunicorn worker is warm (``FREEZE_AFTER``).
WARMUP_PER_CONNECTION = 20


def _start_worker() -> subprocess.Popen:
    from django.conf import settings

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="hrdcase.settings",
        HRDCASE_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "hrdcase",
        "worker",
        "--loglevel=WARNING",
        "--concurrency=2",
        # Both queues: an alert's e-mails go to the urgent queue (docs/alerts.md, "Queues"),
        # anything else its raise queues to the default one; nothing else runs meanwhile.
        f"--queues={settings.ALERTS_URGENT_QUEUE},{settings.CELERY_TASK_DEFAULT_QUEUE}",
        "--without-gossip",
        "--without-mingle",
        f"--hostname=bench-{os.getpid()}@%h",
    ]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env)


def _flush_broker(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _cases(officer, needed: int) -> list:
    from cases.models import Case

    cases = list(
        Case.objects.owned_by(officer.organisation)
        .exclude(status=Case.Status.CLOSED)
        .filter(purged_at__isnull=True)
        .order_by("pk")[:needed]
    )
    if not cases:
        raise RuntimeError("the bench officer has no open case to raise alerts on")
    return cases


def _raise(case, officer, n: int):
    from alerts.services.alerts import alert_raise

    return alert_raise(
        case=case,
        kind="detained",
        message=f"Bench probe alert {n}.",
        acting_user=officer,
        severity="critical",
    )


def _pending(alert_ids) -> tuple[int, int, object]:
    """(notifications of these alerts, how many sent, the latest sent_at)."""
    from django.db.models import Count, Max, Q

    from alerts.models import Notification

    # unscoped: the probe's own alerts, across their recipients' organisations.
    row = (
        Notification.objects.unscoped()
        .filter(alert_id__in=alert_ids)
        .aggregate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=Notification.Status.SENT)),
            last=Max("sent_at"),
        )
    )
    return row["total"], row["sent"], row["last"]


def _wait(alert_ids, timeout: float, poll: float = 0.005) -> tuple[int, int, object]:
    deadline = time.monotonic() + timeout
    while True:
        total, sent, last = _pending(alert_ids)
        if (total and sent == total) or time.monotonic() > deadline:
            return total, sent, last
        time.sleep(poll)


def _burst_over_http(officer, cases) -> tuple[list, Counter, float, datetime]:
    """``BURST`` alerts, one ``POST /api/v1/alerts/`` each, from ``concurrency()``
    connections to the production gunicorn. Returns the alerts' ids, the answers' statuses,
    the seconds until the last answer and the moment of the first request."""
    from django.utils import timezone

    with production_server() as (port, _process):
        clients = connections(port, officer, "token")
        try:
            for client in clients:  # warm-up: reads only, nothing to clean afterwards
                for _ in range(WARMUP_PER_CONNECTION):
                    client.request("GET", "/api/v1/alerts/?status=open")
            numbers = iter(range(BURST))
            take = threading.Lock()
            ids: list = []
            statuses: Counter = Counter()

            def work(client) -> None:
                while True:
                    with take:
                        n = next(numbers, None)
                    if n is None:
                        return
                    status, _location, text = client.request(
                        "POST", "/api/v1/alerts/", _alert_form(cases[n % len(cases)], n)
                    )
                    with take:
                        statuses[status] += 1
                        if status == 201:
                            ids.append(json.loads(text)["id"])

            threads = [threading.Thread(target=work, args=(c,), daemon=True) for c in clients]
            started = timezone.now()
            clock = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return ids, statuses, time.perf_counter() - clock, started
        finally:
            for client in clients:
                client.close()


def _alert_form(case, n: int) -> dict:
    return {
        "case": str(case.pk),
        "kind": "detained",
        "severity": "critical",
        "message": f"Bench probe alert {SEQUENTIAL + n}.",
    }


def run_dispatch_probe(ctx: RunContext, requests: int) -> ProbeOutcome:
    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    from alerts.models import Alert

    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis://"):
        return ProbeOutcome([], errors=[f"needs a Redis broker, not {broker.split(':')[0]}"])
    officer = ctx.users["officer"]
    cases = _cases(officer, 50)
    since = timezone.now()
    _flush_broker(broker)
    worker = _start_worker()
    raised: list = []
    outcome = ProbeOutcome([])
    try:
        # Warm-up: the worker is up when a first alert's notifications are sent.
        warm = [_raise(cases[0], officer, -1)]
        raised.extend(a.pk for a in warm)
        total, sent, _last = _wait([warm[0].pk], timeout=90, poll=0.05)
        if not total or sent != total:
            outcome.errors.append("the worker sent nothing within 90 s")
            return outcome
        lost = 0
        for n in range(SEQUENTIAL):
            started = timezone.now()
            alert = _raise(cases[n % len(cases)], officer, n)
            raised.append(alert.pk)
            total, sent, last = _wait([alert.pk], timeout=WAIT_ONE_S)
            lost += total - sent
            if total and sent == total:
                outcome.samples.append((last - started).total_seconds() * 1000)
        burst, statuses, raising, started = _burst_over_http(officer, cases)
        raised.extend(burst)
        total, sent, last = _wait(burst, timeout=WAIT_BURST_S, poll=0.05)
        lost += total - sent
        every = (last - started).total_seconds() if last and sent == total else None
        outcome.note = (
            f"{SEQUENTIAL} alerts one by one; burst of {BURST} requests at concurrency "
            f"{concurrency()}: answered in {raising:.1f} s, "
            + (f"all {total} sent {every:.1f} s after the first" if every else "NOT all sent")
            + f" (<= {BURST_TARGET_S} s {'pass' if every and every <= BURST_TARGET_S else 'FAIL'})"
            + f"; {lost} lost"
        )
        outcome.extra = {
            "burst_alerts": BURST,
            "burst_concurrency": concurrency(),
            "burst_statuses": {str(k): v for k, v in statuses.items()},
            "burst_notifications": total,
            "burst_raise_s": round(raising, 2),
            "burst_all_sent_s": None if every is None else round(every, 2),
            "burst_target_s": BURST_TARGET_S,
            "lost": lost,
        }
        if set(statuses) != {201}:
            outcome.errors.append(f"burst answered HTTP {dict(sorted(statuses.items()))}")
        if every is None or every > BURST_TARGET_S:
            outcome.errors.append(f"burst not all sent within {BURST_TARGET_S} s")
        if lost:
            outcome.errors.append(f"{lost} notifications not sent")
        return outcome
    finally:
        runner.stop(worker, timeout=30)  # a worker finishes its current task first
        # unscoped: the probe's own alerts (their notifications go with them), with any a
        # broken burst raised without telling its id.
        Alert.objects.unscoped().filter(
            Q(pk__in=raised) | Q(raised_by=officer, created_at__gte=since)
        ).delete()


register_probe(
    Probe(
        name="alert raised -> e-mail sent (live worker)",
        run=run_dispatch_probe,
        target_p95_ms=DISPATCH_P95_MS,
        http=True,  # the burst is served by gunicorn
    )
)
