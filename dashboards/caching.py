"""The network dashboard's figures and charts cache: per network, period and language, five
minutes.

Computing a network's figures runs about twenty aggregates over every member's cases
(~0.2 s on the benchmark data set, docs/performance.md). A coordinator opening the
dashboard nearly always asks for the default period (the current calendar year), so beat
refreshes that period for every network, in the languages of the coordinators who may open
it, before the cached copy expires (``warm_network_figures``): they never wait for the
aggregates, and a figure is never older than ``CACHE_SECONDS``. The open-case figures (as of
today, the costliest) are the same for every period and cached once per network and
language: another period computes its own figures only on first view, and is cached the
same way.

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
from dashboards.network import network_members, open_case_figures, period_figures
from dashboards.periods import Period, default_period

#: a new case shows on the network dashboard within this many seconds (beat refreshes the
#: default period before then: ``warm-network-dashboards`` in settings.CELERY_BEAT_SCHEDULE).
CACHE_SECONDS = 300


#: a chart drawn from its figure (``dashboards.charts.chart``): cached with it, so the page as
#: served only fills its template.
Drawn = tuple[Figure, dict]

#: the shape of what is cached: a copy cached by the previous release must not be read as
#: this one's for five minutes after a deploy, so this changes with ``Figure`` or ``chart()``.
CACHED_SHAPE = 3
#: the part of the key of the open-case figures, which every period shows the same (a
#: period's label is a year, "2026-Q3" or "2026-11", never this).
TODAY = "today"


def _key(network: ProtectionNetwork, part: str, language: str) -> str:
    # With the members' version: a member that left is out of the next page at once (the
    # copies computed with it are never read again and expire), not at beat's next refresh.
    network_version = f"{network.pk}.{network.members_version}"
    return f"dashboards:network:v{CACHED_SHAPE}:{network_version}:{part}:{language}"


def _drawn(figures: list[Figure]) -> list[Drawn]:
    return [(figure, chart(figure)) for figure in figures]


def cached_network_charts(network: ProtectionNetwork, period: Period) -> list[Drawn]:
    """The figures and their charts in the current language: today's open cases (one copy
    for every period) then the period's, each from the cache or computed and cached. A
    period first viewed computes its own figures only."""
    language = translation.get_language()
    today_key, period_key = _key(network, TODAY, language), _key(network, period.label, language)
    found = cache.get_many([today_key, period_key])
    missing: dict[str, list[Drawn]] = {}
    if today_key not in found or period_key not in found:
        members = network_members(network)
        if today_key not in found:
            missing[today_key] = _drawn(open_case_figures(members))
        if period_key not in found:
            missing[period_key] = _drawn(period_figures(members, period))
        cache.set_many(missing, CACHE_SECONDS)
    found.update(missing)
    return found[today_key] + found[period_key]


def cached_network_figures(network: ProtectionNetwork, period: Period) -> list[Figure]:
    """The figures alone (the exports), from the same cached copies."""
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
    """Recompute today's open-case figures and the default period of every network with a
    coordinator, in each of their languages, and replace the cached copies; returns how many
    network and language pairs were stored."""
    period = default_period(timezone.localdate())
    stored = 0
    for network in ProtectionNetwork.objects.order_by("name"):
        for language in sorted(coordinator_languages(network)):
            with translation.override(language):
                members = network_members(network)
                drawn = {
                    _key(network, TODAY, language): _drawn(open_case_figures(members)),
                    _key(network, period.label, language): _drawn(period_figures(members, period)),
                }
                cache.set_many(drawn, CACHE_SECONDS)
            stored += 1
    return stored
