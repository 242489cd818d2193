"""Settings of the benchmark's gunicorn workers: the bench settings (production settings
with the bench app) with a dummy cache.

Only the dashboards use the cache (their aggregates, five minutes): measuring a cache hit
would hide what the page costs, so every request of the benchmark computes its figures.
"""

from bench.settings import *  # noqa: F403

CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
