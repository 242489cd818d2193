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
