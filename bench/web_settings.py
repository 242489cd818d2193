"""Settings of the benchmark's gunicorn workers: the bench settings (production settings
with the bench app) with a dummy cache, the bare views' routes and the worker's pid in a
response header.

Only the dashboards use the cache (their aggregates, five minutes): measuring a cache hit
would hide what the page costs, so every request of the benchmark computes its figures.

``bench.urls`` adds ``/__bench__/bare/<slug>/`` (bench/bare.py) to the product's routes;
``bench.middleware.WorkerPidMiddleware`` (first, so it marks every answer) names the worker
that answered, for the load run's spread over workers (bench/throughput.py).
"""

from bench.middleware import WorkerPidMiddleware
from bench.settings import *  # noqa: F403

CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = [f"{WorkerPidMiddleware.__module__}.WorkerPidMiddleware", *MIDDLEWARE]  # noqa: F405
