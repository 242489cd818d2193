"""Settings of the benchmark's gunicorn workers for pages served from a shared cache: the
bench settings (production settings with the bench app) with the cache in Redis, as
docker-compose runs them (``HRDCASE_CACHE_URL``). Database 12 by default (``BENCH_CACHE_URL``
to change); the bench clears it before warming it. Built on ``bench.web_settings`` (the bare
views' routes, the worker pid header)."""

import os

from bench.web_settings import *  # noqa: F403

CACHES = {
    **CACHES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12"),
    },
}
