"""Settings of the benchmark's gunicorn workers for the network dashboard's "another period,
first view": the shared Redis cache (``bench.web_settings_shared_cache``, warmed by beat's
function) through ``bench.cache.FirstViewCache``, which never keeps a period's own copy, so
every request computes that period's figures while today's open-case figures come from the
warm copy, as in production."""

from bench.web_settings_shared_cache import *  # noqa: F403

CACHES = {
    **CACHES,  # noqa: F405
    "default": {**CACHES["default"], "BACKEND": "bench.cache.FirstViewCache"},  # noqa: F405
}
