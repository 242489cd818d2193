"""The bench's cache for "another period: first view" of the network dashboard.

In production beat keeps each network's open-case figures (as of today, the same on every
period's page) and its default period warm; a coordinator choosing another period waits for
that period's own figures on its first view only (``dashboards.caching``). To measure that
first view on every request, this cache (Redis, as ``bench.web_settings_shared_cache``)
keeps everything except a network period's own copy.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache

from dashboards.caching import TODAY


def _period_copy(key: str) -> bool:
    return key.startswith("dashboards:network:") and f":{TODAY}:" not in key


class PeriodCopiesDropped:
    """A cache backend mixin: ``set_many`` keeps everything but a network period's copy."""

    def set_many(self, data, timeout=None, version=None):
        kept = {key: value for key, value in data.items() if not _period_copy(key)}
        return super().set_many(kept, timeout, version)  # type: ignore[misc]


class FirstViewCache(PeriodCopiesDropped, RedisCache):
    pass
