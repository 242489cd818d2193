"""Middleware of the benchmark's gunicorn workers only (``bench.web_settings``)."""

from __future__ import annotations

import os

WORKER_HEADER = "X-Bench-Worker"


class WorkerPidMiddleware:
    """Names the gunicorn worker that answered (its pid) in ``X-Bench-Worker``, so the load
    run (``bench/throughput.py``) sees how requests and connections spread over workers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[WORKER_HEADER] = str(os.getpid())  # per request: right with preload too
        return response
