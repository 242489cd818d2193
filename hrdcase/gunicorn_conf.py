"""gunicorn settings that every way of serving hrdcase shares (the Dockerfile's command,
``make run``, the benchmark, CI's Schemathesis run): ``--config python:hrdcase.gunicorn_conf``.

Full garbage collections stalled every thread of a worker for 60-135 ms about every 100
requests (issue 24, docs/performance.md): each one scans every object the process holds,
most of them built once and kept for the process's life (URL resolvers, compiled templates,
translation catalogues, model metadata, the caches filled by the first requests). Once a
worker has served its first ``FREEZE_AFTER`` requests, those are built: ``gc.freeze()`` moves
every object alive then into a permanent generation that later collections skip, so a full
collection scans only what requests made since."""

from __future__ import annotations

import gc
from typing import Any

#: requests a worker serves before it freezes what it holds (its warm-up).
FREEZE_AFTER = 50

# The access log names the path, never the query string nor the referrer: both may carry
# what a user typed (a case filter, a search) and logs travel further than the database.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    served = getattr(worker, "hrdcase_served", 0) + 1
    worker.hrdcase_served = served
    if served == FREEZE_AFTER:  # once; with threads a second call would only freeze again
        gc.freeze()


#: connections a worker takes beyond its threads (``worker_connections`` = threads + this).
QUEUED_PER_WORKER = 2
#: gunicorn's own default for ``worker_connections``: left as is, we size it (below).
GUNICORN_DEFAULT_CONNECTIONS = 1000


def on_starting(server: Any) -> None:
    """Each worker takes at most ``threads + QUEUED_PER_WORKER`` connections at once.

    With gunicorn's default (1,000) a worker that woke first accepted whatever arrived: in
    issue 24's load runs every keep-alive connection sometimes landed on one worker of two,
    which then served alone at half the node's capacity (docs/performance.md, session 15).
    Capped, a busy worker stops accepting and the next connection waits in the listen
    backlog for whichever worker has room. Behind the reverse proxy (docs/deploy.md: one
    connection per request) the cap is each worker's requests in progress or queued."""
    cfg = server.cfg
    if cfg.worker_connections == GUNICORN_DEFAULT_CONNECTIONS:  # not set by the deployment
        cfg.set("worker_connections", cfg.threads + QUEUED_PER_WORKER)


# A reload (HUP) reads the settings again: sized again before its new workers start.
on_reload = on_starting
