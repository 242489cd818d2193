"""The network dashboard's figures and charts cache: per network, period and language, five
minutes.

Computing a network's figures runs about twenty aggregates over every member's cases
(~0.2 s on the benchmark data set, docs/performance.md). A coordinator opening the
dashboard nearly always asks for the default period (the current calendar year), so beat
refreshes that period for every network, in the languages of the coordinators who may open
it, before the cached copy expires (``warm_network_figures``): they never wait for the
aggregates, and a figure is never older than ``CACHE_SECONDS``. Another period is computed
on first view and cached the same way.

The warm copies reach the web processes only through a shared cache (``HRDCASE_CACHE_URL``,
Redis in docker-compose); with the per-process default they only cost the worker a few
queries every few minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from accounts.models import ProtectionNetwork, Role, User
from dashboards.charts import chart
from dashboards.figures import Figure
from dashboards.network import network_figures
from dashboards.periods import Period, default_period

#: a new case shows on the network dashboard within this many seconds (beat refreshes the
#: default period before then: ``warm-network-dashboards`` in settings.CELERY_BEAT_SCHEDULE).
CACHE_SECONDS = 300


#: a chart drawn from its figure (``dashboards.charts.chart``): cached with it, so the page as
#: served only fills its template.
Drawn = tuple[Figure, dict]


#: the shape of what is cached: a copy cached by the previous release must not be read as
#: this one's for five minutes after a deploy, so this changes with ``Figure`` or ``chart()``.
CACHED_SHAPE = 2


def _key(network: ProtectionNetwork, period: Period, language: str) -> str:
    return f"dashboards:network:v{CACHED_SHAPE}:{network.pk}:{period.label}:{language}"


def _drawn(network: ProtectionNetwork, period: Period) -> list[Drawn]:
    return [(figure, chart(figure)) for figure in network_figures(network, period)]


def cached_network_charts(network: ProtectionNetwork, period: Period) -> list[Drawn]:
    """The figures and their charts in the current language, from the cache or computed
    (and cached)."""
    key = _key(network, period, translation.get_language())
    return cache.get_or_set(key, lambda: _drawn(network, period), CACHE_SECONDS)


def cached_network_figures(network: ProtectionNetwork, period: Period) -> list[Figure]:
    """The figures alone (the exports), from the same cached copy."""
    return [figure for figure, _geometry in cached_network_charts(network, period)]


def coordinator_languages(network: ProtectionNetwork) -> set[str]:
    """The languages in which the network's dashboard will be read: its coordinators'."""
    languages = set(
        User.objects.filter(
            organisation__networks=network, role=Role.COORDINATOR, is_active=True
        ).values_list("language", flat=True)
    )
    available = {code for code, _name in settings.LANGUAGES}
    return {language or settings.LANGUAGE_CODE for language in languages} & available


def warm_network_figures() -> int:
    """Recompute the default period of every network with a coordinator, in each of their
    languages, and replace the cached copies; returns how many were stored."""
    period = default_period(timezone.localdate())
    stored = 0
    for network in ProtectionNetwork.objects.order_by("name"):
        for language in sorted(coordinator_languages(network)):
            with translation.override(language):
                drawn = _drawn(network, period)
                cache.set(_key(network, period, language), drawn, CACHE_SECONDS)
            stored += 1
    return stored
